#!/usr/bin/env python3
"""How fast `{ __typename }` and /healthz answer while hostile requests run, and after them (issue 13).

Starts nothing: point it at a running server (`bench/hostile.sh` starts one). For each attack, two
threads send it over and over for --seconds while a third asks `{ __typename }` and `/healthz` in turn;
then the probe alone runs for a second. Prints one line per attack: the attack's answers, and the probe's
p50 / p99 / max in milliseconds during and after it.
"""
import argparse
import json
import statistics
import threading
import time
import urllib.error
import urllib.parse
import urllib.request


def nested(open_, inner, close, levels):
    return open_ * levels + inner + close * levels


def bomb(links):
    parts = ["query{...F0}"]
    parts += [f" fragment F{n} on Query{{...F{n + 1} ...F{n + 1}}}" for n in range(links)]
    parts.append(f" fragment F{links} on Query{{__typename}}")
    return "".join(parts)


ATTACKS = {
    "list nested 10,000": "{ node(id: " + nested("[", "1", "]", 10_000) + ") { id } }",
    "object nested 10,000": "{ node(id: " + nested("{a:", "1", "}", 10_000) + ") { id } }",
    "selection nested 10,000": nested("{ a ", "b", "}", 10_000),
    "fragment bomb n=24": bomb(24),
    "20,000 aliases": "{" + "".join(f"a{n}:__typename " for n in range(20_000)) + "}",
    "90,000 duplicates": "{" + "__typename " * 90_000 + "}",
    "2,000 aliases (within length)": "{" + "".join(f"a{n}:__typename " for n in range(2_000)) + "}",
    "introspection": open(__file__.replace("hostile.py", "introspection.graphql")).read(),
}


def post(base, query, timeout=30):
    body = json.dumps({"query": query}).encode()
    request = urllib.request.Request(base + "/graphql", body, {"content-type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as err:
        return err.code, err.read()
    except Exception as err:  # noqa: BLE001 - a dropped connection is an answer too
        return 0, str(err).encode()


def probe_once(base):
    started = time.perf_counter()
    status, _ = post(base, "{ __typename }", timeout=10)
    typename = (time.perf_counter() - started) * 1000
    started = time.perf_counter()
    try:
        with urllib.request.urlopen(base + "/healthz", timeout=10) as response:
            health_ok = response.status == 200
    except Exception:  # noqa: BLE001
        health_ok = False
    health = (time.perf_counter() - started) * 1000
    return status == 200 and health_ok, max(typename, health)


def summary(samples):
    if not samples:
        return "-"
    ordered = sorted(samples)
    p99 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))]
    return f"{statistics.median(ordered):.1f}/{p99:.1f}/{ordered[-1]:.1f}"


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--base", default="http://127.0.0.1:18180")
    parser.add_argument("--seconds", type=float, default=5.0)
    args = parser.parse_args()
    print(f"{'attack':32} {'answers':>18} {'probe during p50/p99/max ms':>30} {'after':>20} {'probe failures':>15}")
    for name, query in ATTACKS.items():
        stop = threading.Event()
        answers = {}

        def attack():
            while not stop.is_set():
                status, body = post(args.base, query)
                code = "ok"
                try:
                    errors = json.loads(body).get("errors") or []
                    code = errors[0]["extensions"]["code"] if errors else "ok"
                except Exception:  # noqa: BLE001
                    code = "unreadable"
                key = f"{status} {code}"
                answers[key] = answers.get(key, 0) + 1

        attackers = [threading.Thread(target=attack) for _ in range(2)]
        for thread in attackers:
            thread.start()
        during, failures = [], 0
        deadline = time.monotonic() + args.seconds
        while time.monotonic() < deadline:
            ok, ms = probe_once(args.base)
            during.append(ms)
            failures += not ok
        stop.set()
        for thread in attackers:
            thread.join()
        after = []
        deadline = time.monotonic() + 1.0
        while time.monotonic() < deadline:
            ok, ms = probe_once(args.base)
            after.append(ms)
            failures += not ok
        shown = ", ".join(f"{k}×{v}" for k, v in sorted(answers.items()))
        print(f"{name:32} {shown:>18} {summary(during):>30} {summary(after):>20} {failures:>15}")


if __name__ == "__main__":
    main()
