#!/usr/bin/env bash
# Live-update fan-out (issue 15): BENCH_SUBSCRIBERS placeFeed subscribers over two gongzhi instances on one
# PostgreSQL and one Redis; each round raises a topic on the first instance and times every subscriber's
# receipt from the mutation's (committed) response; and the two servers' resident memory per idle
# subscriber. Target: p99 ≤ 100 ms at 1,000 subscribers (release). See bench/README.md.
#
#   bench/live_fanout.sh                                              # release, 1,000 subscribers
#   BENCH_PROFILE=debug BENCH_SUBSCRIBERS=20 BENCH_ROUNDS=3 bench/live_fanout.sh   # a quick check
#
# Environment: BENCH_ADMIN_URL (postgres://postgres@127.0.0.1:5432/postgres, to create the database),
# BENCH_DATABASE (gongzhi_livebench, dropped and created afresh), BENCH_REDIS_URL (redis://127.0.0.1:6379),
# BENCH_SUBSCRIBERS (1000), BENCH_ROUNDS (20), BENCH_PROFILE (release), BENCH_OUT (/tmp/gongzhi-live).
set -euo pipefail
cd "$(dirname "$0")/.."
admin=${BENCH_ADMIN_URL:-postgres://postgres@127.0.0.1:5432/postgres}
name=${BENCH_DATABASE:-gongzhi_livebench}
database="${admin%/*}/$name"
redis=${BENCH_REDIS_URL:-redis://127.0.0.1:6379}
subscribers=${BENCH_SUBSCRIBERS:-1000}
rounds=${BENCH_ROUNDS:-20}
profile=${BENCH_PROFILE:-release}
out=${BENCH_OUT:-/tmp/gongzhi-live}
mkdir -p "$out"
# A thousand sockets on each side: more than the usual 1,024 descriptors.
ulimit -n 65536 2>/dev/null || ulimit -n "$(ulimit -Hn)"

if [[ -z "${BENCH_SKIP_BUILD:-}" ]]; then
  flag=(); [[ "$profile" == release ]] && flag=(--release)
  cargo build "${flag[@]}" -p gongzhi-api -p gongzhi-bench --bin gongzhi --bin live-fanout
fi
bin=${CARGO_TARGET_DIR:-target}/$profile

pids=()
cleanup() { for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done; }
trap cleanup EXIT

wait_ready() {
  for _ in $(seq 1 1500); do
    curl -fs "http://127.0.0.1:$1/readyz" >/dev/null 2>&1 && return 0
    sleep 0.02
  done
  echo "not ready: $1" >&2
  return 1
}

psql -q "$admin" -c "DROP DATABASE IF EXISTS $name" -c "CREATE DATABASE $name"

server_env=(
  DATABASE_URL="$database"
  REDIS_URL="$redis"
  GONGZHI_REDIS_PREFIX="gongzhi-livebench-$$:"
  GONGZHI_RATE_LIMITS__ENABLED=false
  GONGZHI_LIVE__MAX_CONNECTIONS_PER_PERSON=$((subscribers + 10))
  GONGZHI_OUTBOX__WORKER_IN_SERVE=false
  GONGZHI_PIPELINE__SUPERVISE_EVERY_SECONDS=0
  RUST_LOG=warn
)
# The first instance loads the demo world; the second shares its database and Redis.
env "${server_env[@]}" GONGZHI_BIND=127.0.0.1:18091 "$bin/gongzhi" serve >"$out/a.log" 2>&1 &
pids+=($!); a_pid=$!
wait_ready 18091
env "${server_env[@]}" GONGZHI_BIND=127.0.0.1:18092 GONGZHI_SEED_DEMO=false "$bin/gongzhi" serve >"$out/b.log" 2>&1 &
pids+=($!); b_pid=$!
wait_ready 18092

"$bin/live-fanout" --a http://127.0.0.1:18091 --b http://127.0.0.1:18092 --pids "$a_pid,$b_pid" \
  --subscribers "$subscribers" --rounds "$rounds" | tee "$out/result.txt"
