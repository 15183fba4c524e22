#!/usr/bin/env bash
# Benchmark of key-based client authentication and DPoP (part of `make bench`): client credentials
# tokens per second with a client secret (HTTP Basic), with private_key_jwt (an ES256 assertion per
# request) and with DPoP (Basic plus an ES256 proof per request), in the same run against the same
# server; and the server CPU time per token of each, whose difference is what the check costs.
# Every assertion and proof is made beforehand by jose (scripts/bench_keyauth.mjs): wrk sends each
# once. Prints one line per mode and a summary line.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib.sh
DURATION=${DURATION:-5}
CONNECTIONS=${CONNECTIONS:-16}
N=${KEYAUTH_JWTS:-40000}
tmp=$(mktemp -d)
trap 'stop_servers; rm -rf "$tmp"' EXIT

port=$(/usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
token_url="http://127.0.0.1:$port/api/auth/oauth/token"
node scripts/bench_keyauth.mjs "$tmp" "$token_url" "$N" build/node
cat >"$tmp/fixture.yaml" <<YAML
clients:
  - id: testing
    secrets: [testing]
  - id: pkjwt
    tokenEndpointAuthMethod: private_key_jwt
    jwks: $(cat "$tmp/jwks.json")
YAML
start_server --listen "127.0.0.1:$port" --config "$tmp/fixture.yaml" >/dev/null
server=$SERVER_PID

# wrk: each request takes the next line of FILE (a Lua global per thread), as the assertion or proof.
lua() { # MODE FILE
  cat <<LUA
local lines, i = {}, 0
for l in io.lines("$2") do lines[#lines + 1] = l end
request = function()
  i = i + 1
  local jwt = lines[i] or ""
  local headers = {["Content-Type"] = "application/x-www-form-urlencoded"}
  local body = "grant_type=client_credentials"
  if "$1" == "pkjwt" then
    body = body .. "&client_assertion_type=urn%3Aietf%3Aparams%3Aoauth%3Aclient-assertion-type%3Ajwt-bearer&client_assertion=" .. jwt
  else
    headers["Authorization"] = "Basic dGVzdGluZzp0ZXN0aW5n"
    if "$1" == "dpop" then headers["DPoP"] = jwt end
  end
  return wrk.format("POST", nil, headers, body)
end
done = function(summary, latency, requests)
  io.write(string.format("WRK %d %d %.3f %.3f %.3f\n", summary.requests,
    summary.errors.status + summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
    summary.duration / 1e6, latency:percentile(50) / 1000, latency:percentile(99) / 1000))
end
LUA
}

for mode in secret pkjwt dpop; do
  file=$tmp/assertions; [ "$mode" = dpop ] && file=$tmp/proofs
  lua "$mode" "$file" >"$tmp/$mode.lua"
  t0=$(cpu_ticks "$server")
  wrk -t1 -c"$CONNECTIONS" -d"${DURATION}s" -s "$tmp/$mode.lua" "$token_url" >"$tmp/$mode.out" 2>&1
  t1=$(cpu_ticks "$server")
  read -r _ requests errors seconds p50 p99 < <(grep '^WRK' "$tmp/$mode.out")
  if [ "$requests" -ge "$N" ]; then echo "warning: $mode sent $requests requests, more than the $N prepared JWTs" >&2; fi
  awk -v m="$mode" -v r="$requests" -v e="$errors" -v s="$seconds" -v p50="$p50" -v p99="$p99" -v t=$((t1 - t0)) \
    -v hz="$(getconf CLK_TCK)" 'BEGIN { printf "%s %.1f %.2f %.2f %.4f %d\n", m, r / s, p50, p99, t / hz / r * 1000, e }' >>"$tmp/rows"
done
stop_server "$server" || true

awk '
  { tps[$1] = $2; p50[$1] = $3; p99[$1] = $4; cpu[$1] = $5; err[$1] = $6 }
  END {
    label["secret"] = "client secret (Basic)"; label["pkjwt"] = "private_key_jwt (ES256)"; label["dpop"] = "secret + DPoP (ES256)"
    printf "key-based client auth, client credentials, %s connections:\n", "'"$CONNECTIONS"'"
    split("secret pkjwt dpop", modes, " ")
    for (k = 1; k <= 3; k++) {
      m = modes[k]
      printf "  %-24s %8.0f tokens/s  p50 %.2f ms  p99 %.2f ms  server CPU %.3f ms/token  errors %d\n", label[m], tps[m], p50[m], p99[m], cpu[m], err[m]
    }
    printf "  the check costs: private_key_jwt %+.3f ms CPU per token, DPoP proof %+.3f ms (against the secret)\n", cpu["pkjwt"] - cpu["secret"], cpu["dpop"] - cpu["secret"]
  }' "$tmp/rows"
