#!/usr/bin/env bash
# Benchmark of the built binary on this machine (a script, not a test). Reports:
#   cold start to first token (median of COLD_RUNS starts), RSS idle and under load,
#   RS256 tokens/s with p50/p99 latency from wrk at fixed concurrency, the server's CPU use in
#   that run, and the raw in-process RS256 signing rate of the same build (the ceiling):
#   efficiency = tokens/s / (signing rate x cores the server used); the connection scenarios of
#   scripts/bench_connections.py; a soak.
# The load run pins the server to CPU 1 and wrk to CPU 0 so that they do not compete.
# Environment: DURATION (s, default 10), CONNECTIONS (default 8), COLD_RUNS (default 21),
# SOAK_SECONDS (default 300; 0 skips the soak run).
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${AUTHEMU:-build/authemu}
DURATION=${DURATION:-10}
CONNECTIONS=${CONNECTIONS:-8}
COLD_RUNS=${COLD_RUNS:-21}
tmp=$(mktemp -d)
server=""
trap '[ -n "$server" ] && kill "$server" 2>/dev/null; rm -rf "$tmp"' EXIT

rss_kib() { awk '/^VmRSS:/ {print $2}' "/proc/$1/status"; }
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }

echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')"
echo "binary:  $BIN ($(stat -c %s "$BIN") bytes, $(ldd "$BIN" 2>&1 | tr -d '\t'))"

cold=$(/usr/bin/python3 scripts/bench_cold_start.py "$BIN" "$COLD_RUNS")
echo "cold start to first token: $(jq -r '"median \(.median_ms) ms, min \(.min_ms), max \(.max_ms) over \(.runs) starts"' <<<"$cold")"
spawn=$(/usr/bin/python3 -c '
import subprocess, time, statistics
s = []
for _ in range(21):
    t = time.perf_counter(); subprocess.run(["/bin/true"]); s.append((time.perf_counter() - t) * 1000)
print(round(statistics.median(s), 2))')
echo "  (of which spawning any process from the harness: median $spawn ms, measured with /bin/true)"

sign_rate() { taskset -c 1 "$BIN" bench-sign --seconds 4 | jq -r .per_second; }
sign_before=$(sign_rate)

taskset -c 1 "$BIN" --listen 127.0.0.1:0 --quiet >"$tmp/ready" 2>/dev/null &
server=$!
for _ in $(seq 1 500); do [ -s "$tmp/ready" ] && break; sleep 0.01; done
url=$(jq -r .url <"$tmp/ready")
curl -sf -o /dev/null -u testing:testing -d grant_type=client_credentials "$url/api/auth/oauth/token"
sleep 0.5
echo "RSS idle (after one token): $(rss_kib "$server") KiB"

cat >"$tmp/token.lua" <<'LUA'
wrk.method = "POST"
wrk.body = "grant_type=client_credentials"
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
wrk.headers["Authorization"] = "Basic dGVzdGluZzp0ZXN0aW5n"
done = function(summary, latency, requests)
  io.write(string.format("WRK %d %d %d %.3f %.3f %.3f\n", summary.requests, summary.errors.status,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
    summary.duration / 1e6, latency:percentile(50) / 1000, latency:percentile(99) / 1000))
end
LUA
ticks0=$(cpu_ticks "$server")
(sleep $((DURATION / 2)); rss_kib "$server" >"$tmp/rss_load") &
sampler=$!
taskset -c 0 wrk -t1 -c"$CONNECTIONS" -d"${DURATION}s" -s "$tmp/token.lua" "$url/api/auth/oauth/token" >"$tmp/wrk" 2>&1
ticks1=$(cpu_ticks "$server")
wait "$sampler"
kill "$server"; wait "$server" 2>/dev/null || true; server=""
# This machine's speed drifts by tens of percent between runs: the ceiling is the mean of a
# signing measurement just before and just after the load.
sign_after=$(sign_rate)
sign_rate=$(awk -v a="$sign_before" -v b="$sign_after" 'BEGIN {print (a + b) / 2}')
printf 'in-process RS256 signing (1 thread, CPU 1): %.0f signatures/s before the load, %.0f after\n' "$sign_before" "$sign_after"
read -r _ requests status_errors socket_errors seconds p50 p99 < <(grep '^WRK' "$tmp/wrk")
hz=$(getconf CLK_TCK)
awk -v r="$requests" -v s="$seconds" -v t=$((ticks1 - ticks0)) -v hz="$hz" -v sign="$sign_rate" \
    -v p50="$p50" -v p99="$p99" -v c="$CONNECTIONS" -v se="$status_errors" -v ke="$socket_errors" -v rss="$(cat "$tmp/rss_load")" 'BEGIN {
  tps = r / s; cores = t / hz / s;
  printf "load: wrk, %d connections, %.1f s: %d tokens, %d non-2xx, %d socket errors\n", c, s, r, se, ke;
  printf "  throughput %.1f tokens/s, latency p50 %.2f ms, p99 %.2f ms\n", tps, p50, p99;
  printf "  server CPU %.2f cores (%.2f ms CPU per token)\n", cores, cores * 1000 / tps;
  printf "  RSS under load: %d KiB\n", rss;
  printf "  efficiency: tokens/s / (signing rate x cores) = %.1f / (%.1f x %.2f) = %.2f\n", tps, sign, cores, tps / (sign * cores);
}'

# The same ratio without the machine's drift: instructions (valgrind callgrind) spent in RS256
# signing per token against all instructions per token, from the difference of two runs that
# differ only in the number of token requests (start-up cancels out).
callgrind_run() {
  local n=$1 out="$tmp/cg.$1"
  valgrind --tool=callgrind --callgrind-out-file="$out" "$BIN" --listen 127.0.0.1:0 --quiet >"$tmp/cg.ready" 2>/dev/null &
  local pid=$!
  for _ in $(seq 1 1000); do [ -s "$tmp/cg.ready" ] && break; sleep 0.02; done
  local u; u=$(jq -r .url <"$tmp/cg.ready"); : >"$tmp/cg.ready"
  for _ in $(seq 1 "$n"); do curl -sf -o /dev/null -u testing:testing -d grant_type=client_credentials "$u/api/auth/oauth/token"; done
  kill -TERM "$pid"; wait "$pid" || true
  callgrind_annotate --inclusive=yes "$out" 2>/dev/null | awk '
    /PROGRAM TOTALS/ {gsub(",", "", $1); total = $1}
    /RsaKey::sign_rs256/ && !sign {gsub(",", "", $1); sign = $1}
    END {print total, sign}'
}
if command -v valgrind >/dev/null; then
  read -r total_a sign_a < <(callgrind_run 10)
  read -r total_b sign_b < <(callgrind_run 60)
  awk -v ta="$total_a" -v sa="$sign_a" -v tb="$total_b" -v sb="$sign_b" 'BEGIN {
    per = (tb - ta) / 50; sign = (sb - sa) / 50;
    printf "instructions per token (callgrind): %.0f in all, %.0f in RS256 signing: signing share %.3f\n", per, sign, sign / per }'
fi

# Connections as a parallel test suite holds them: a new client's token request beside idle,
# slowloris and busy keep-alive connections, and 1000 connections at once (answered, RSS).
echo "connections: a new client's client_credentials token (fresh connection), 20 requests each, fresh server each:"
/usr/bin/python3 scripts/bench_connections.py "$BIN" | jq -r '"  \(.scenario): p50 \(.p50_ms) ms, p99 \(.p99_ms) ms, \(.failed) failed" +
  (if .answered then ", \(.answered) answered" else "" end) + (if .rss_kib_with_all_open then ", RSS \(.rss_kib_with_all_open) KiB with all open" else "" end) +
  (if .threads then ", \(.threads) threads" else "" end)'

# Soak: sustained password + refresh (+ some revocations) traffic with lifetimes shorter than the
# run, so that expired token records must be purged for memory to level off.
SOAK_SECONDS=${SOAK_SECONDS:-300}
if [ "$SOAK_SECONDS" != 0 ]; then
  "$BIN" --listen 127.0.0.1:0 --quiet --user-token-lifetime 30s --refresh-token-lifetime 60s >"$tmp/ready" 2>/dev/null &
  server=$!
  for _ in $(seq 1 500); do [ -s "$tmp/ready" ] && break; sleep 0.01; done
  echo "soak: ${SOAK_SECONDS} s of password + refresh traffic, user tokens 30 s, refresh tokens 60 s"
  /usr/bin/python3 scripts/soak.py "$(jq -r .url <"$tmp/ready")" "$server" "$SOAK_SECONDS" 2 | tee "$tmp/soak"
  tail -n1 "$tmp/soak" | jq -r '"soak: RSS \(.rss_start_kib) KiB at start, \(.rss_end_kib) KiB at end (max \(.rss_max_kib)); \(.password) password + \(.refresh) refresh grants, \(.revoke) revocations, \(.errors) errors, \(.tokens_per_s) tokens/s"'
fi
