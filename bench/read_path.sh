#!/usr/bin/env bash
# The read-path benchmark (issue 5): drives `gongzhi` (release, PostgreSQL seeded by `gongzhi seed-bench`)
# and the in-memory reference with wrk, and prints one table. See bench/README.md.
#
#   bench/read_path.sh            # every scenario; the database must have been seeded
#
# Environment: BENCH_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/gongzhi_readbench?sslmode=disable),
# BENCH_REDIS_URL (default redis://127.0.0.1:6379; empty skips the Redis run), BENCH_DURATION (10s),
# BENCH_CONNECTIONS (64), BENCH_THREADS (2), BENCH_OUT (where logs go, default /tmp/gongzhi-read-path).
set -euo pipefail
cd "$(dirname "$0")/.."
# Loopback: no TLS (sqlx prefers it when the server offers it, and it cost ~7 % of the server's CPU here).
database=${BENCH_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/gongzhi_readbench?sslmode=disable}
redis=${BENCH_REDIS_URL-redis://127.0.0.1:6379}
duration=${BENCH_DURATION:-10s}
connections=${BENCH_CONNECTIONS:-64}
export BENCH_THREADS=${BENCH_THREADS:-2}
out=${BENCH_OUT:-/tmp/gongzhi-read-path}
mkdir -p "$out"
# BENCH_SKIP_BUILD=1 uses the binaries already built (e.g. when only formatting changed since).
[[ -n "${BENCH_SKIP_BUILD:-}" ]] || cargo build --release -p gongzhi-api -p gongzhi-bench --bin gongzhi --bin reference
bin=${CARGO_TARGET_DIR:-target}/release
port=18080
ref_port=18090

rows=()
# One wrk run: label, server, scenario file, connections. Appends a table row; the wrk output is kept.
measure() {
  local label=$1 server=$2 scenario=$3 conns=$4 base=$5
  local log="$out/${server// /_}-${label// /_}.log"
  local threads=$BENCH_THREADS
  ((conns >= threads)) || threads=$conns
  local cmd="env BENCH_THREADS=$threads wrk -t$threads -c$conns -d$duration --latency -s bench/wrk/$scenario.lua $base"
  echo "== $server: $label: $cmd" >&2
  $cmd >"$log" 2>&1 || true
  local line
  line=$(grep '^RESULT ' "$log" || echo "RESULT requests=0 rps=0 p50_ms=- p99_ms=- graphql_errors=? non200=? refused=? socket_errors=?")
  grep -i 'first failed' "$log" >&2 || true
  declare -A r=()
  for kv in ${line#RESULT }; do r[${kv%%=*}]=${kv#*=}; done
  local errors=$((${r[graphql_errors]//\?/0} + ${r[non200]//\?/0} + ${r[refused]//\?/0} + ${r[socket_errors]//\?/0}))
  rows+=("$label|$server|${r[rps]}|${r[p50_ms]}|${r[p99_ms]}|$errors|$conns|$cmd")
}

wait_ready() {
  for _ in $(seq 1 500); do
    curl -fs "http://127.0.0.1:$1/readyz" >/dev/null 2>&1 && return 0
    sleep 0.02
  done
  echo "not ready on :$1" >&2
  return 1
}

# --- The ceiling ---------------------------------------------------------------------------------------------
# The reference ignores tokens, but the feed script reads its variables from the fixtures too.
DATABASE_URL="$database" RUST_LOG=warn "$bin/gongzhi" bench-fixtures --people 200 --out "$out/fixtures.lua"
export BENCH_FIXTURES="$out/fixtures.lua"
"$bin/reference" --bind "127.0.0.1:$ref_port" >"$out/reference.out" 2>&1 &
ref_pid=$!
trap 'kill $ref_pid ${server_pid:-} 2>/dev/null || true' EXIT
sleep 0.5
wrk -t"$BENCH_THREADS" -c"$connections" -d3s -s bench/wrk/feed.lua "http://127.0.0.1:$ref_port" >/dev/null 2>&1
measure "feed page" "reference (memory)" feed "$connections" "http://127.0.0.1:$ref_port"
ceiling=${rows[-1]}
ceiling_rps=$(cut -d'|' -f3 <<<"$ceiling")
kill $ref_pid; wait $ref_pid 2>/dev/null || true

# --- gongzhi on PostgreSQL, in three set-ups -----------------------------------------------------------------
# Raised for the benchmark: rate limits (64 connections of 200 people would spend the per-person and per-IP
# budgets in seconds). Off for the benchmark: the outbox worker and the deadline scheduler (background work
# not on the measured path); request logging (RUST_LOG=warn).
server_env=(
  DATABASE_URL="$database"
  GONGZHI_BIND="127.0.0.1:$port"
  GONGZHI_SEED_DEMO=false
  GONGZHI_RATE_LIMITS__PERSON_POINTS=1000000000
  GONGZHI_RATE_LIMITS__IP_POINTS=1000000000
  GONGZHI_OUTBOX__WORKER_IN_SERVE=false
  GONGZHI_PIPELINE__SUPERVISE_EVERY_SECONDS=0
  RUST_LOG=warn
)
rss=()
run_server() {
  local name=$1; shift
  local extra=("$@")
  env "${server_env[@]}" "${extra[@]}" "$bin/gongzhi" serve >"$out/${name// /_}.server.log" 2>&1 &
  server_pid=$!
  wait_ready "$port"
  env "${server_env[@]}" "${extra[@]}" "$bin/gongzhi" bench-fixtures --people 200 --out "$out/fixtures.lua" \
    >>"$out/${name// /_}.server.log" 2>&1
}
stop_server() {
  local name=$1
  rss+=("$name|$(awk '/VmHWM/ {printf "%.0f", $2/1024}' "/proc/$server_pid/status")|$(awk '/VmRSS/ {printf "%.0f", $2/1024}' "/proc/$server_pid/status")")
  kill "$server_pid"; wait "$server_pid" 2>/dev/null || true
}
base="http://127.0.0.1:$port"

name="gongzhi, PG, cache in memory"
run_server "$name"
wrk -t"$BENCH_THREADS" -c"$connections" -d3s -s bench/wrk/feed.lua "$base" >/dev/null 2>&1
measure "feed page (cached)" "$name" feed "$connections" "$base"
measure "topic detail (cached)" "$name" topic "$connections" "$base"
measure "submit topic" "$name" submit "$connections" "$base"
measure "co-sign" "$name" cosign "$connections" "$base"
measure "cast ballot" "$name" ballot "$connections" "$base"
measure "tally, 5,000 ballots (1 conn)" "$name" tally 1 "$base"
measure "tally, 5,000 ballots" "$name" tally "$connections" "$base"
stop_server "$name"

# The same cached pages, with no response kept whole (decision 37): what a person's first ask of a page
# costs, or any ask once the page changed; shared entries and kept relations still serve it.
name="gongzhi, PG, cache in memory, no kept responses"
run_server "$name" GONGZHI_CACHE__RESPONSE_BYTES=0
wrk -t"$BENCH_THREADS" -c"$connections" -d3s -s bench/wrk/feed.lua "$base" >/dev/null 2>&1
measure "feed page (cached, made afresh)" "$name" feed "$connections" "$base"
stop_server "$name"

if [[ -n "$redis" ]]; then
  name="gongzhi, PG, cache in Redis"
  run_server "$name" REDIS_URL="$redis" GONGZHI_REDIS_PREFIX="bench$(date +%s):"
  wrk -t"$BENCH_THREADS" -c"$connections" -d3s -s bench/wrk/feed.lua "$base" >/dev/null 2>&1
  measure "feed page (cached)" "$name" feed "$connections" "$base"
  measure "topic detail (cached)" "$name" topic "$connections" "$base"
  stop_server "$name"
fi

name="gongzhi, PG, no cache"
run_server "$name" GONGZHI_CACHE__ENABLED=false
wrk -t"$BENCH_THREADS" -c"$connections" -d3s -s bench/wrk/feed.lua "$base" >/dev/null 2>&1
measure "feed page (uncached)" "$name" feed "$connections" "$base"
measure "topic detail (uncached)" "$name" topic "$connections" "$base"
stop_server "$name"

# --- Ready time on SQLite: from exec to the first 200 on /readyz -------------------------------------------
ready() {
  local dir=$1 start end
  start=$(date +%s%N)
  env -i PATH="$PATH" DATABASE_URL="sqlite://$dir/gongzhi.sqlite?mode=rwc" GONGZHI_BIND="127.0.0.1:$port" \
    GONGZHI_UPLOADS_DIR="$dir/uploads" GONGZHI_OUTBOX__LOG_PATH="$dir/outbox.jsonl" RUST_LOG=warn \
    "$bin/gongzhi" serve >>"$out/sqlite.server.log" 2>&1 &
  local pid=$!
  until curl -fs "http://127.0.0.1:$port/readyz" >/dev/null 2>&1; do sleep 0.005; done
  end=$(date +%s%N)
  kill $pid; wait $pid 2>/dev/null || true
  echo $(((end - start) / 1000000))
}
sqlite_dir=$(mktemp -d)
ready_first=$(ready "$sqlite_dir")
ready_again=$(ready "$sqlite_dir")
rm -rf "$sqlite_dir"

# --- The table -------------------------------------------------------------------------------------------------
printf '\n| scenario | server | req/s | p50 ms | p99 ms | errors | conns | ratio to ceiling |\n'
printf '|---|---|---:|---:|---:|---:|---:|---:|\n'
for row in "${rows[@]}"; do
  IFS='|' read -r label server rps p50 p99 errors conns _ <<<"$row"
  ratio=$(awk -v a="$rps" -v b="$ceiling_rps" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "-" }')
  printf '| %s | %s | %s | %s | %s | %s | %s | %s |\n' "$label" "$server" "$rps" "$p50" "$p99" "$errors" "$conns" "$ratio"
done
printf '\n| server | peak RSS (VmHWM) MiB | RSS at end MiB |\n|---|---:|---:|\n'
for row in "${rss[@]}"; do
  IFS='|' read -r server hwm now <<<"$row"
  printf '| %s | %s | %s |\n' "$server" "$hwm" "$now"
done
printf '\nready on SQLite: %s ms on first start (migrations and demo world), %s ms on the next\n' "$ready_first" "$ready_again"
printf '\ncommands (in the order run):\n'
for row in "${rows[@]}"; do printf '  %s\n' "$(cut -d'|' -f8 <<<"$row")"; done
