#!/usr/bin/env bash
# Runs the outbox fan-out benchmark at two sizes (×10) on SQLite and PostgreSQL and prints a table.
# Usage: bench/run.sh [small large]   (default 1000 10000)
# PostgreSQL: set BENCH_POSTGRES_URL (default postgres://postgres@127.0.0.1:5432/gongzhi_bench; the
# database must exist, its public schema is dropped and recreated); set it empty to skip PostgreSQL.
set -euo pipefail
cd "$(dirname "$0")/.."
small=${1:-1000}
large=${2:-10000}
postgres=${BENCH_POSTGRES_URL-postgres://postgres@127.0.0.1:5432/gongzhi_bench}
cargo build --release -p gongzhi-bench --bin outbox-fanout
target=${CARGO_TARGET_DIR:-target}
bin="$target/release/outbox-fanout"
urls=("")
[[ -n "$postgres" ]] && urls+=("$postgres")
results=()
for url in "${urls[@]}"; do
  for n in "$small" "$large"; do
    args=(--recipients "$n")
    [[ -n "$url" ]] && args+=(--database-url "$url")
    echo "== ${bin} ${args[*]}" >&2
    out=$("$bin" "${args[@]}")
    echo "$out" >&2
    results+=("$(grep '^RESULT ' <<<"$out")")
  done
done
printf '\n| backend | recipients | enqueue s | delivered | delivery s | msg/s | RSS before MiB | peak enqueue MiB | peak delivery MiB |\n'
printf '|---|---:|---:|---:|---:|---:|---:|---:|---:|\n'
for line in "${results[@]}"; do
  declare -A r=()
  for kv in ${line#RESULT }; do r[${kv%%=*}]=${kv#*=}; done
  printf '| %s | %s | %s | %s | %s | %s | %s | %s | %s |\n' "${r[backend]}" "${r[recipients]}" "${r[enqueue_s]}" \
    "${r[sent]}" "${r[delivery_s]}" "${r[msgs_per_s]}" "${r[rss_before_mib]}" "${r[peak_enqueue_mib]}" \
    "${r[peak_delivery_mib]}"
  unset r
done
