#!/usr/bin/env bash
# Event append throughput on PostgreSQL (issue 15): concurrent pipeline steps, each one transaction that
# appends to the event log. Prints events/s and step latency.
# Usage: bench/event_append.sh [writers] [steps per writer]   (default 16 200)
# BENCH_POSTGRES_URL: a database the run may wipe (default postgres://postgres@127.0.0.1:5432/gongzhi_bench;
# it must exist). BENCH_PROFILE=debug builds without --release (to check the script, not to measure).
set -euo pipefail
cd "$(dirname "$0")/.."
writers=${1:-16}
steps=${2:-200}
url=${BENCH_POSTGRES_URL:-postgres://postgres@127.0.0.1:5432/gongzhi_bench}
profile=${BENCH_PROFILE:-release}
target=${CARGO_TARGET_DIR:-target}
if [[ "$profile" == release ]]; then
  cargo build --release -p gongzhi-bench --bin event-append
else
  cargo build -p gongzhi-bench --bin event-append
fi
"$target/$profile/event-append" --database-url "$url" --writers "$writers" --steps "$steps"
