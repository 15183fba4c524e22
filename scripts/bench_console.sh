#!/usr/bin/env bash
# Benchmark of the console (a script, not a test; run by scripts/bench.sh): GET /_authemu/console
# with a full journal (1,000 entries) and 1,000 clients (target <= 50 ms), and token requests per
# second under wrk with no journal stream open, with 50 streams whose watchers read, and with 50
# whose watchers stopped reading (dropped at their byte cap), in turns (target: within 5 %).
# Environment: DURATION (s per wrk run, default 5), CONNECTIONS (default 16), ROUNDS (default 2).
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib.sh
DURATION=${DURATION:-5}
CONNECTIONS=${CONNECTIONS:-16}
ROUNDS=${ROUNDS:-2}
PY=/usr/bin/python3
tmp=$(mktemp -d)
trap 'stop_servers; rm -rf "$tmp"' EXIT

start_server
$PY scripts/bench_console.py fill "$URL" 1000 1000 >/dev/null
page=$($PY scripts/bench_console.py page "$URL" 100)
echo "console page, 1,000 journal entries and 1,000 clients: $(jq -r '"median \(.median_ms) ms, p95 \(.p95_ms) ms, max \(.max_ms) ms over \(.n) loads of \(.bytes / 1024 | round) KiB"' <<<"$page") (target <= 50 ms)"
stop_server "$SERVER_PID" || true

# run MODE: tokens/s and p99 on a fresh server, with 50 watchers reading or stalled, or none.
run() {
  start_server
  local watcher=""
  if [ "$1" != none ]; then
    $PY scripts/bench_console.py watch "$URL" 50 "$1" >"$tmp/watch" &
    watcher=$!
    until grep -q ready "$tmp/watch" 2>/dev/null; do sleep 0.05; done
  fi
  wrk -t1 -c"$CONNECTIONS" -d"${DURATION}s" -s scripts/wrk_token.lua "$URL/api/auth/oauth/token" >"$tmp/wrk" 2>&1
  if [ -n "$watcher" ]; then kill "$watcher"; wait "$watcher" || true; fi
  stop_server "$SERVER_PID" || true
  read -r _ requests _ _ seconds _ p99 < <(grep '^WRK' "$tmp/wrk")
  awk -v r="$requests" -v s="$seconds" -v p="$p99" 'BEGIN { printf "%.0f %.2f\n", r / s, p }'
}
declare -A sum
for ((i = 0; i < ROUNDS; i++)); do
  for mode in none read stall; do
    read -r tps p99 < <(run "$mode")
    echo "  round $((i + 1)), $mode: $tps tokens/s, p99 $p99 ms"
    sum[$mode]=$(( ${sum[$mode]:-0} + tps ))
  done
done
awk -v n="${sum[none]}" -v r="${sum[read]}" -v s="${sum[stall]}" 'BEGIN {
  printf "token requests with 50 journal streams open: %.0f/s reading, %.0f/s stalled, %.0f/s with none: %.1f %% and %.1f %% slower (target <= 5 %%)\n",
    r / '"$ROUNDS"', s / '"$ROUNDS"', n / '"$ROUNDS"', (1 - r / n) * 100, (1 - s / n) * 100 }'
