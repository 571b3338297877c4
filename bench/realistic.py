#!/usr/bin/env python3
"""Helpers of bench/realistic.sh (issue 16), standard library only.

  realistic.py fixtures --base URL --crowd crowd.json --out fixtures.lua
      asks each compound's feed once per sort (as one of its people) for page 1's end cursor, and writes
      the wrk script's fixtures: tokens, each person's compound and co-signable topics, the cursors.
  realistic.py scrape --base URL
      prints the server's counters from /metrics as one JSON object.
  realistic.py sample --base URL --out FILE
      reads the pool's idle connections from /metrics every 0.5 s until killed (SIGTERM), then writes
      `min mean samples` to FILE.
"""

import argparse
import json
import signal
import sys
import time
import urllib.request

FEED = (
    "query Feed($place: ID!, $sort: TopicSort) { topics(placeId: $place, sort: $sort, first: 20) "
    "{ pageInfo { hasNextPage endCursor } } }"
)
SORTS = ["NEWEST", "MOST_CO_SIGNED", "NEAREST_DEADLINE"]


def post(base, token, query, variables):
    body = json.dumps({"query": query, "variables": variables}).encode()
    request = urllib.request.Request(
        base + "/graphql",
        data=body,
        headers={"Content-Type": "application/json", "Authorization": "Bearer " + token},
    )
    with urllib.request.urlopen(request, timeout=30) as response:
        return json.loads(response.read())


def lua_string(text):
    return json.dumps(text, ensure_ascii=True)


def fixtures(args):
    people = json.load(open(args.crowd))["people"]
    first_of = {}
    for person in people:
        first_of.setdefault(person["compound"], person["token"])
    cursors = {}
    for compound, token in first_of.items():
        for sort in SORTS:
            answer = post(args.base, token, FEED, {"place": compound, "sort": sort})
            if answer.get("errors"):
                sys.exit(f"feed of {compound} ({sort}) failed: {answer['errors']}")
            info = answer["data"]["topics"]["pageInfo"]
            if info["hasNextPage"]:
                cursors.setdefault(compound, {})[sort] = info["endCursor"]
    out = ["-- Written by bench/realistic.py; tokens expire 15 minutes after `gongzhi bench-crowd`.", "return {"]
    out.append("tokens = {" + ",".join(lua_string(p["token"]) for p in people) + "},")
    out.append("compounds = {" + ",".join(lua_string(p["compound"]) for p in people) + "},")
    out.append(
        "co_signable = {"
        + ",".join("{" + ",".join(lua_string(t) for t in p["co_signable"]) + "}" for p in people)
        + "},"
    )
    out.append(
        "cursors = {"
        + ",".join(
            f"[{lua_string(c)}] = {{" + ",".join(f"{s} = {lua_string(v)}" for s, v in by_sort.items()) + "}"
            for c, by_sort in cursors.items()
        )
        + "},"
    )
    out.append("}")
    open(args.out, "w").write("\n".join(out) + "\n")
    with_page2 = sum(len(v) for v in cursors.values())
    print(
        f"{len(people)} people in {len(first_of)} compounds; {with_page2} of {3 * len(first_of)} feeds have a page 2; "
        f"{sum(len(p['co_signable']) for p in people)} co-signable pairs",
        file=sys.stderr,
    )


def metrics(base):
    with urllib.request.urlopen(base + "/metrics", timeout=10) as response:
        text = response.read().decode()
    totals = {}
    for line in text.splitlines():
        if line.startswith("#") or not line.strip():
            continue
        name, _, value = line.rpartition(" ")
        try:
            totals[name] = float(value)
        except ValueError:
            continue
    return totals


def scrape(args):
    totals = metrics(args.base)

    def total(prefix):
        return sum(v for k, v in totals.items() if k.startswith(prefix))

    print(
        json.dumps(
            {
                "requests": total("gongzhi_graphql_requests_total"),
                "statements": total("gongzhi_db_statements_total"),
                "statement_seconds": total("gongzhi_db_statement_seconds_total"),
                "pool_wait_seconds": total("gongzhi_db_pool_wait_seconds_total"),
                "near": total('gongzhi_cache_reads_total{layer="near"}'),
                "shared": total('gongzhi_cache_reads_total{layer="shared"}'),
                "database": total('gongzhi_cache_reads_total{layer="database"}'),
                "reused": total("gongzhi_graphql_responses_reused_total"),
            }
        )
    )


def sample(args):
    samples = []
    stop = []
    signal.signal(signal.SIGTERM, lambda *_: stop.append(True))
    while not stop:
        try:
            samples.append(metrics(args.base).get("gongzhi_db_pool_idle_connections", float("nan")))
        except OSError:
            pass
        time.sleep(0.5)
    if samples:
        open(args.out, "w").write(f"{min(samples):.0f} {sum(samples) / len(samples):.1f} {len(samples)}\n")
    else:
        open(args.out, "w").write("- - 0\n")


def main():
    parser = argparse.ArgumentParser()
    sub = parser.add_subparsers(dest="command", required=True)
    f = sub.add_parser("fixtures")
    f.add_argument("--base", required=True)
    f.add_argument("--crowd", required=True)
    f.add_argument("--out", required=True)
    s = sub.add_parser("scrape")
    s.add_argument("--base", required=True)
    p = sub.add_parser("sample")
    p.add_argument("--base", required=True)
    p.add_argument("--out", required=True)
    args = parser.parse_args()
    {"fixtures": fixtures, "scrape": scrape, "sample": sample}[args.command](args)


if __name__ == "__main__":
    main()
