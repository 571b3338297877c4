#!/usr/bin/env bash
# Hostile requests against a release `gongzhi` on SQLite (demo profile, rate limits off so every attack
# reaches the server): how fast `{ __typename }` and /healthz answer during and after each (issue 13).
#
#   bench/hostile.sh              # BENCH_SECONDS per attack (default 5)
set -euo pipefail
cd "$(dirname "$0")/.."
[[ -n "${BENCH_SKIP_BUILD:-}" ]] || cargo build --release -p gongzhi-api --bin gongzhi
bin=${CARGO_TARGET_DIR:-target}/release
out=${BENCH_OUT:-/tmp/gongzhi-hostile}
port=18180
rm -rf "$out" && mkdir -p "$out"
DATABASE_URL="sqlite://$out/gongzhi.sqlite?mode=rwc" GONGZHI_BIND="127.0.0.1:$port" \
  GONGZHI_RATE_LIMITS__ENABLED=false GONGZHI_UPLOADS_DIR="$out/uploads" GONGZHI_OUTBOX__LOG_PATH="$out/outbox.jsonl" \
  RUST_LOG=warn "$bin/gongzhi" >"$out/server.log" 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null || true' EXIT
for _ in $(seq 1 500); do curl -fs "http://127.0.0.1:$port/readyz" >/dev/null 2>&1 && break; sleep 0.02; done
python3 bench/hostile.py --base "http://127.0.0.1:$port" --seconds "${BENCH_SECONDS:-5}"
kill -0 $pid && echo "server alive; RSS $(ps -o rss= -p $pid) KiB"
