#!/usr/bin/env bash
# The realistic read load (issue 16): many people over many compounds of the seeded city, every sort, a
# third of reads on page 2, a share of co-signs — against the in-memory reference, then gongzhi with its
# cache in process, in Redis and off, in one run. See bench/README.md.
#
#   bench/realistic.sh                       # 10 s per set-up
#   BENCH_DURATION=3m bench/realistic.sh     # the long run
#
# Environment: BENCH_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/gongzhi_readbench?sslmode=disable,
# seeded by `gongzhi seed-bench`), BENCH_REDIS_URL (default redis://127.0.0.1:6379; empty skips that set-up),
# BENCH_DURATION (10s), BENCH_CONNECTIONS (64), BENCH_THREADS (2), BENCH_COMPOUNDS (200),
# BENCH_PER_COMPOUND (10), BENCH_WRITE_PERCENT (3), BENCH_OUT (default /tmp/gongzhi-realistic).
set -euo pipefail
cd "$(dirname "$0")/.."
database=${BENCH_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/gongzhi_readbench?sslmode=disable}
redis=${BENCH_REDIS_URL-redis://127.0.0.1:6379}
duration=${BENCH_DURATION:-10s}
connections=${BENCH_CONNECTIONS:-64}
export BENCH_THREADS=${BENCH_THREADS:-2}
compounds=${BENCH_COMPOUNDS:-200}
per_compound=${BENCH_PER_COMPOUND:-10}
write_percent=${BENCH_WRITE_PERCENT:-3}
out=${BENCH_OUT:-/tmp/gongzhi-realistic}
mkdir -p "$out"
[[ -n "${BENCH_SKIP_BUILD:-}" ]] || cargo build --release -p gongzhi-api -p gongzhi-bench --bin gongzhi --bin reference
bin=${CARGO_TARGET_DIR:-target}/release
port=18081
base="http://127.0.0.1:$port"
export BENCH_FIXTURES="$out/fixtures.lua"

# Every process started here is stopped on the way out, however the script ends.
pids=()
cleanup() { for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done; }
trap cleanup EXIT

wait_ready() {
  for _ in $(seq 1 500); do
    curl -fs "$1" >/dev/null 2>&1 && return 0
    sleep 0.02
  done
  echo "not ready: $1" >&2
  return 1
}

crowd() {
  env "$@" "$bin/gongzhi" bench-crowd --compounds "$compounds" --per-compound "$per_compound" --out "$out/crowd.json"
  python3 bench/realistic.py fixtures --base "$base" --crowd "$out/crowd.json" --out "$BENCH_FIXTURES"
}

# One measured run: a warm-up that only reads (so the measured run's co-signs are all new), then the load.
run_load() {
  local log=$1
  BENCH_WRITE_PERCENT=0 wrk -t"$BENCH_THREADS" -c"$connections" -d3s -s bench/wrk/realistic.lua "$base" >/dev/null 2>&1
  BENCH_WRITE_PERCENT=$write_percent wrk -t"$BENCH_THREADS" -c"$connections" -d"$duration" --latency \
    -s bench/wrk/realistic.lua "$base" >"$log" 2>&1 || true
  grep -i 'first failed' "$log" >&2 || true
}

result() { # key from wrk's RESULT line
  grep '^RESULT ' "$1" | tr ' ' '\n' | awk -F= -v k="$2" '$1 == k { print $2 }'
}

rows=()

# --- The ceiling -------------------------------------------------------------------------------------------------
"$bin/reference" --bind "127.0.0.1:$port" >"$out/reference.out" 2>&1 &
pids+=($!)
sleep 0.5
crowd DATABASE_URL="$database" RUST_LOG=warn
run_load "$out/reference.log"
ref_rps=$(result "$out/reference.log" rps)
rows+=("reference (memory)|$ref_rps|$(result "$out/reference.log" p50_ms)|$(result "$out/reference.log" p99_ms)|$(result "$out/reference.log" graphql_errors)/$(result "$out/reference.log" non200)/$(result "$out/reference.log" refused)|-|-|-|-|-|-|-")
kill "${pids[-1]}"; wait "${pids[-1]}" 2>/dev/null || true

# --- gongzhi on PostgreSQL --------------------------------------------------------------------------------------
# As bench/read_path.sh: rate limits raised, background work and request logs off.
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

setup() {
  local name=$1; shift
  local slug=${name// /_}
  env "${server_env[@]}" "$@" "$bin/gongzhi" serve >"$out/$slug.server.log" 2>&1 &
  local pid=$!
  pids+=("$pid")
  wait_ready "$base/readyz"
  crowd "${server_env[@]}" "$@"
  local before after
  before=$(python3 bench/realistic.py scrape --base "$base")
  python3 bench/realistic.py sample --base "$base" --out "$out/$slug.pool" &
  local sampler=$!
  pids+=("$sampler")
  run_load "$out/$slug.log"
  after=$(python3 bench/realistic.py scrape --base "$base")
  kill -TERM "$sampler"; wait "$sampler" 2>/dev/null || true
  local hwm
  hwm=$(awk '/VmHWM/ {printf "%.0f", $2/1024}' "/proc/$pid/status")
  kill "$pid"; wait "$pid" 2>/dev/null || true
  local figures
  figures=$(python3 - "$before" "$after" <<'EOF'
import json, sys
b, a = json.loads(sys.argv[1]), json.loads(sys.argv[2])
d = {k: a[k] - b.get(k, 0) for k in a}
requests = max(d["requests"], 1)
reads = max(d["near"] + d["shared"] + d["database"], 1)
print("%.2f|%.1f|%.1f|%.0f/%.0f/%.0f %%|%.1f %%" % (
    d["statements"] / requests, 1000 * d["statement_seconds"] / requests, 1000 * d["pool_wait_seconds"] / requests,
    100 * d["near"] / reads, 100 * d["shared"] / reads, 100 * d["database"] / reads,
    100 * d["reused"] / requests))
EOF
)
  local log="$out/$slug.log"
  read -r idle_min idle_mean _ <"$out/$slug.pool"
  rows+=("$name|$(result "$log" rps)|$(result "$log" p50_ms)|$(result "$log" p99_ms)|$(result "$log" graphql_errors)/$(result "$log" non200)/$(result "$log" refused)|$figures|$idle_min / $idle_mean|$hwm")
}

setup "cache in process"
if [[ -n "$redis" ]]; then
  setup "cache in Redis" REDIS_URL="$redis" GONGZHI_REDIS_PREFIX="realistic$(date +%s):"
fi
setup "cache off" GONGZHI_CACHE__ENABLED=false

# --- The table ---------------------------------------------------------------------------------------------------
printf '\n%s people in %s compounds, %s connections, %s per set-up, %s %% co-signs\n' \
  "$(python3 -c "import json; print(len(json.load(open('$out/crowd.json'))['people']))")" "$compounds" \
  "$connections" "$duration" "$write_percent"
printf '\n| set-up | req/s | p50 ms | p99 ms | errors (graphql/non-200/refused) | share of reference | statements / request | SQL ms / request | pool wait ms / request | cache reads near/shared/database | responses reused | pool idle min / mean | peak RSS MiB |\n'
printf '|---|---:|---:|---:|---|---:|---:|---:|---:|---|---:|---|---:|\n'
for row in "${rows[@]}"; do
  IFS='|' read -r name rps p50 p99 errors per_request sql_ms wait_ms layers reused idle hwm <<<"$row"
  share=$(awk -v a="$rps" -v b="$ref_rps" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "-" }')
  printf '| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |\n' \
    "$name" "$rps" "$p50" "$p99" "$errors" "$share" "$per_request" "$sql_ms" "$wait_ms" "$layers" "$reused" "$idle" "$hwm"
done
