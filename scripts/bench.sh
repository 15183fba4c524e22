#!/usr/bin/env bash
# Benchmark of the built binary beside a peer, oauth2-mock-server (npm, installed into build/node
# by scripts/deps.sh bench), in the same run on this machine (a script, not a test). Absolute
# figures drift here by tens of percent between runs; the ratios of one run are what to quote.
#   cold start to first token (COLD_RUNS starts of each, in turns), and the floor: exec of the
#     binary + key load + one signature (authemu bench-sign --seconds 0); the npm and Python
#     packages' start to a usable server (startAuthemu(), Authemu()) beside it;
#   RSS idle (after one token) and under load; tokens/s with p50/p99 from wrk at CONNECTIONS
#     connections for DURATION s, on both cores (server and wrk unpinned) and on one core (server
#     on CPU 1, wrk on CPU 0); authemu with RS256, ES256 and HS256, the peer with its RS256;
#   authemu's RS256 against its signing ceiling (bench-sign, same cores); callgrind's signing share;
#   the connection scenarios of scripts/bench_connections.py; TLS (bench-tls's handshakes, ceiling and
#     generation; with --tls in the binary tokens/s over TLS, HTTPS cold start, 1,000 idle TLS
#     connections, the peer with --cert/--key); the console (scripts/bench_console.sh: its page with a
#     full journal and 1,000 clients, tokens/s with 50 journal streams); a soak (SOAK_SECONDS, 0 skips it).
# Environment: DURATION (s, default 10), CONNECTIONS (default 16), COLD_RUNS (default 21),
# IDLE_MS (the pause before each start of the second cold-start round, default 300), SOAK_SECONDS
# (default 300).
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib.sh   # start_server, spawn_ready, stop_server, rss_kib, cpu_ticks
BIN=$AUTHEMU
PEER=${PEER:-build/node/node_modules/.bin/oauth2-mock-server}
DURATION=${DURATION:-10}
CONNECTIONS=${CONNECTIONS:-16}
COLD_RUNS=${COLD_RUNS:-21}
HS_SECRET=bench-shared-secret-of-32-bytes-or-more
tmp=$(mktemp -d)
trap 'stop_servers; rm -rf "$tmp"' EXIT

echo "date:    $(date -u +%Y-%m-%d)"
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo "binary:  $BIN ($(stat -c %s "$BIN") bytes, $(ldd "$BIN" 2>&1 | tr -d '\t'))"
echo "peer:    oauth2-mock-server $(jq -r .version build/node/node_modules/oauth2-mock-server/package.json 2>/dev/null || echo "not installed (scripts/deps.sh bench)"), node $(node --version)"

# Cold start: every server in turns (each turn begins one later), so that drift and other load
# fall on all alike; then again with the machine left idle IDLE_MS before each start.
IDLE_MS=${IDLE_MS:-300}
cold_starts() {
  /usr/bin/python3 scripts/bench_cold_start.py "$@" "$COLD_RUNS" "rs256=authemu:$BIN" \
    "es256=authemu:$BIN --signing-algorithm ES256" "hs256=authemu:$BIN --signing-algorithm HS256 --signing-secret $HS_SECRET" \
    "floor=exit:$BIN bench-sign --seconds 0" "true=exit:/bin/true" "peer=peer:$PEER"
}
cold_line() {
  jq -r 'to_entries | map(select(.value | type == "object")) |
    map("\(.key) \(.value.median_ms) ms (\(.value.min_ms)-\(.value.max_ms))") | join(", ")' <<<"$1"
}
cold=$(cold_starts)
echo "cold start to first token, median of $COLD_RUNS (min-max): $(cold_line "$cold")"
echo "  other processes used $(jq -r .other_cpu_percent <<<"$cold") % of the cores meanwhile; floor = exec + key load + one RS256 signature, true = spawning /bin/true"
cold_idle=$(cold_starts --idle "$IDLE_MS")
echo "  each after $IDLE_MS ms idle: $(cold_line "$cold_idle")"
# The packages' start (scripts/bench_packages.*, the package sources with AUTHEMU_BIN=$BIN): the
# call to a usable server and to its first token, in a running Node / Python process.
package_line() {
  jq -r --arg what "$1" '"\($what) \(.start.median_ms) ms (\(.start.min_ms)-\(.start.max_ms)), to its first token \(.start_to_token.median_ms) ms"' <<<"$2"
}
pkg_node=$(AUTHEMU_BIN=$BIN node scripts/bench_packages.mjs "$COLD_RUNS")
pkg_python=$(AUTHEMU_BIN=$BIN /usr/bin/python3 scripts/bench_packages.py "$COLD_RUNS")
echo "package start to a usable server, median of $COLD_RUNS (min-max), target <= 20 ms: $(package_line "startAuthemu() (Node)" "$pkg_node"); $(package_line "Authemu() (Python)" "$pkg_python"); beside the bare binary's cold start to first token above, $(jq -r .rs256.median_ms <<<"$cold") ms"
floor_parts=$("$BIN" bench-sign --seconds 0)
echo "  floor's parts in-process: $(jq -r '"key load \(.key_load_ms * 1000 | round / 1000) ms, prepare \(.prepare_ms * 1000 | round / 1000) ms, one signature \(.first_signature_ms * 1000 | round / 1000) ms"' <<<"$floor_parts")"

# Signing ceilings of this build: one thread on CPU 1, and one thread per core unpinned.
sign_rate() { "$@" | jq -r .per_second; }
ceil_pinned=$(sign_rate taskset -c 1 "$BIN" bench-sign --seconds 3)
ceil_both=$(sign_rate "$BIN" bench-sign --seconds 3 --threads "$(nproc)")
ceil_lone=$(sign_rate "$BIN" bench-sign --seconds 3)
printf 'RS256 signing ceiling (bench-sign): %.0f/s on CPU 1, %.0f/s with %d threads unpinned, %.0f/s for one thread unpinned (CRT halves on two cores)\n' \
  "$ceil_pinned" "$ceil_both" "$(nproc)" "$ceil_lone"


# load NAME KIND PIN ARGS...: one server under wrk, authemu with ARGS or the peer (KIND authemu,
# authemu_tls: ARGS hold --tls and wrk speaks https to its TLS_URL; peer, peer_tls); prints
# "NAME rss_idle rss_load tokens/s p50 p99 cores errors".
load() {
  local name=$1 kind=$2 pin=$3; shift 3
  local RUNNER=() wrk_pin=() url path
  if [ "$pin" = 1 ]; then RUNNER=(taskset -c 1); wrk_pin=(taskset -c 0); fi
  if [ "$kind" = authemu ] || [ "$kind" = authemu_tls ]; then
    start_server "$@"
    url=$URL; path=/api/auth/oauth/token
    if [ "$kind" = authemu_tls ]; then url=$TLS_URL; fi
  else # the peer; peer_tls with PEER_TLS_ARGS (its -c cert and -k key)
    local extra=(); if [ "$kind" = peer_tls ]; then extra=("${PEER_TLS_ARGS[@]}"); fi
    READY_SECONDS=10 spawn_ready "$tmp/out" 'listening on' "${RUNNER[@]}" "$PEER" -a 127.0.0.1 -p 0 "${extra[@]}"
    url=$(grep -o 'listening on https\?://[^ ]*' "$tmp/out" | cut -d' ' -f3); path=/token
    # It says "listening on http://" with -c/-k too, and serves HTTPS there.
    if [ "$kind" = peer_tls ]; then url=${url/#http:/https:}; fi
  fi
  local server=$SERVER_PID
  curl -sfk -o /dev/null -u testing:testing -d grant_type=client_credentials "$url$path" # wrk does not verify either
  sleep 0.5
  local rss_idle; rss_idle=$(rss_kib "$server")
  local ticks0; ticks0=$(cpu_ticks "$server")
  (sleep $((DURATION / 2)); rss_kib "$server" >"$tmp/rss_load") &
  local sampler=$!
  "${wrk_pin[@]}" wrk -t1 -c"$CONNECTIONS" -d"${DURATION}s" -s scripts/wrk_token.lua "$url$path" >"$tmp/wrk" 2>&1
  local ticks1; ticks1=$(cpu_ticks "$server")
  wait "$sampler"
  stop_server "$server" || true
  read -r _ requests status_errors socket_errors seconds p50 p99 < <(grep '^WRK' "$tmp/wrk")
  awk -v n="$name" -v ri="$rss_idle" -v rl="$(cat "$tmp/rss_load")" -v r="$requests" -v s="$seconds" -v p50="$p50" \
    -v p99="$p99" -v t=$((ticks1 - ticks0)) -v hz="$(getconf CLK_TCK)" -v e=$((status_errors + socket_errors)) \
    'BEGIN { printf "%s %d %d %.1f %.2f %.2f %.2f %d\n", n, ri, rl, r / s, p50, p99, t / hz / s, e }'
}

for pin in 0 1; do
  load "rs256_$pin" authemu "$pin"
  load "es256_$pin" authemu "$pin" --signing-algorithm ES256
  load "hs256_$pin" authemu "$pin" --signing-algorithm HS256 --signing-secret "$HS_SECRET"
  load "peer_$pin" peer "$pin"
done >"$tmp/load"

# The table: each figure of authemu (RS256 unless named) beside the peer's RS256, and the ratio.
/usr/bin/python3 - "$tmp/load" "$cold" "$ceil_pinned" "$ceil_both" "$CONNECTIONS" "$cold_idle" "$IDLE_MS" <<'PY'
import json, os, sys
rows = {l.split()[0]: [float(x) for x in l.split()[1:]] for l in open(sys.argv[1])}
cold, ceil_pinned, ceil_both, conns = json.loads(sys.argv[2]), float(sys.argv[3]), float(sys.argv[4]), sys.argv[5]
cold_idle, idle_ms = json.loads(sys.argv[6]), sys.argv[7]
RSS_IDLE, RSS_LOAD, TPS, P50, P99, CORES, ERR = range(7)
table = []
def row(label, a, p, unit, fmt="{:.0f}", better="higher"):
    ratio = a / p if p else float("nan")
    table.append((label, fmt.format(a) + unit, fmt.format(p) + unit, f"{ratio:.2f}x" if better == "higher" else f"{1 / ratio:.1f}x less"))
row("cold start to first token, median", cold["rs256"]["median_ms"], cold["peer"]["median_ms"], " ms", "{:.2f}", "lower")
row("  ES256 / HS256 (peer: its RS256)", cold["es256"]["median_ms"], cold["peer"]["median_ms"], " ms", "{:.2f}", "lower")
table[-1] = (table[-1][0], f'{cold["es256"]["median_ms"]:.2f} / {cold["hs256"]["median_ms"]:.2f} ms', table[-1][2], table[-1][3])
row(f"  each after {idle_ms} ms idle", cold_idle["rs256"]["median_ms"], cold_idle["peer"]["median_ms"], " ms", "{:.2f}", "lower")
table[-1] = (table[-1][0], f'{cold_idle["rs256"]["median_ms"]:.2f} / {cold_idle["es256"]["median_ms"]:.2f} ms', table[-1][2], table[-1][3])
row("RSS idle (after one token)", rows["rs256_0"][RSS_IDLE], rows["peer_0"][RSS_IDLE], " KiB", better="lower")
for pin, where in (("0", "both cores"), ("1", "one core")):
    a, p = rows["rs256_" + pin], rows["peer_" + pin]
    row(f"RSS under load, {where}", a[RSS_LOAD], p[RSS_LOAD], " KiB", better="lower")
    row(f"RS256 tokens/s, {where}", a[TPS], p[TPS], "/s")
    row(f"  p50 / p99 latency", a[P50], p[P50], " ms", "{:.2f}", "lower")
    table[-1] = (table[-1][0], f"{a[P50]:.2f} / {a[P99]:.2f} ms", f"{p[P50]:.2f} / {p[P99]:.2f} ms", table[-1][3] + " (p50)")
    for alg in ("es256", "hs256"):
        b = rows[f"{alg}_{pin}"]
        row(f"  {alg.upper()} tokens/s (p50 / p99 {b[P50]:.2f} / {b[P99]:.2f} ms)", b[TPS], p[TPS], "/s")
    row(f"  server CPU (cores)", a[CORES], p[CORES], "", "{:.2f}")
    table[-1] = table[-1][:3] + ("",)
w = max(len(r[0]) for r in table)
print(f"\n{'':{w}}  {'authemu':>22}  {'oauth2-mock-server':>22}  ratio   ({conns} connections)")
for label, a, p, r in table:
    print(f"{label:{w}}  {a:>22}  {p:>22}  {r}")
errors = {k: int(v[ERR]) for k, v in rows.items() if v[ERR]}
print(f"errors (non-2xx + socket): {errors or 'none'}")
both, one = rows["rs256_0"][TPS], rows["rs256_1"][TPS]
# Both cores: against the whole two-thread ceiling, and against the share of it the server had
# (wrk runs on the same two cores), as the one-core figure is.
cores_both, ncores = rows["rs256_0"][CORES], len(os.sched_getaffinity(0))
print(f"authemu RS256 against its signing ceiling: both cores {both:.1f} / {ceil_both:.1f} = {both / ceil_both:.2f} "
      f"(the server had {cores_both:.2f} of the {ncores} cores: {both / (ceil_both / ncores * cores_both):.2f} per core it had); "
      f"one core {one:.1f} / ({ceil_pinned:.1f} x {rows['rs256_1'][CORES]:.2f} cores) = {one / (ceil_pinned * rows['rs256_1'][CORES]):.2f}")
PY

# The same ratio without the machine's drift: instructions (valgrind callgrind) spent in RS256
# signing per token against all instructions per token, from the difference of two runs that
# differ only in the number of token requests (start-up cancels out).
callgrind_run() {
  local n=$1 out="$tmp/cg.$1"
  local RUNNER=(valgrind --tool=callgrind --callgrind-out-file="$out")
  READY_SECONDS=20 start_server
  for _ in $(seq 1 "$n"); do curl -sf -o /dev/null -u testing:testing -d grant_type=client_credentials "$URL/api/auth/oauth/token"; done
  stop_server "$SERVER_PID" || true
  callgrind_annotate --inclusive=yes "$out" 2>/dev/null | awk '
    /PROGRAM TOTALS/ {gsub(",", "", $1); total = $1}
    /RsaKey::sign_rs256/ && !sign {gsub(",", "", $1); sign = $1}
    /HalfHelper::start\(\)::\{lambda/ && !half {gsub(",", "", $1); half = $1}
    END {print total, sign + half}'
}
if command -v valgrind >/dev/null; then
  read -r total_a sign_a < <(callgrind_run 10)
  read -r total_b sign_b < <(callgrind_run 60)
  awk -v ta="$total_a" -v sa="$sign_a" -v tb="$total_b" -v sb="$sign_b" 'BEGIN {
    per = (tb - ta) / 50; sign = (sb - sa) / 50;
    printf "instructions per token (callgrind): %.0f in all, %.0f in RS256 signing (its helper thread included): signing share %.3f\n", per, sign, sign / per }'
fi

# Connections as a parallel test suite holds them: a new client's token request beside idle,
# slowloris and busy keep-alive connections, and 1000 connections at once (answered, RSS).
echo "connections: a new client's client_credentials token (fresh connection), 20 requests each, fresh server each:"
/usr/bin/python3 scripts/bench_connections.py "$BIN" | jq -r '"  \(.scenario): p50 \(.p50_ms) ms, p99 \(.p99_ms) ms, \(.failed) failed" +
  (if .answered then ", \(.answered) answered" else "" end) + (if .rss_kib_with_all_open then ", RSS \(.rss_kib_with_all_open) KiB with all open" else "" end) +
  (if .threads then ", \(.threads) threads" else "" end)'

# TLS. This build's handshakes on one core (bench-tls: server and client threads both on CPU 1, the
# server thread's CPU per handshake apart), the ceiling its (EC)DHE + ECDSA P-256 operations allow
# and the fraction the server side reaches, CA + leaf generation; then, with a binary that serves
# --tls, tokens/s over TLS, the cold start to the first token over HTTPS, RSS with 1,000 idle TLS
# connections, and the peer over HTTPS (--cert/--key) when it is installed.
tls=$(taskset -c 1 "$BIN" bench-tls --seconds 3)
jq -r '
  def r: . * 10 | round / 10;
  def run(name): "\(name): \(.per_second | round)/s on one core (server + client), server side \(.server_cpu_ms * 1000 | round) us CPU each = \(.server_per_core_second | round)/s per core (\(.version), \(.resumed) resumed)";
  "TLS (bench-tls, CPU 1):",
  "  " + (.tls13_full | run("full TLS 1.3 handshakes")),
  "  " + (.tls13_resumed | run("resumed (ticket, with (EC)DHE)")),
  "  " + (.tls12_full | run("full TLS 1.2 handshakes")),
  "  ceiling (\(.ceiling.group) key \(.ceiling.key_generation_us | round) us + shared secret \(.ceiling.shared_secret_us | round) us + ECDSA P-256 sign \(.ceiling.sign_us | round) us): \(.ceiling.per_second | round)/s; the server side of a full handshake reaches \(.fraction * 100 | r) % of it (with secp256r1: \(.ceiling_secp256r1.per_second | round)/s)",
  "  CA + leaf generation \(.generation_ms.ca + .generation_ms.leaf | . * 100 | round / 100) ms (CA \(.generation_ms.ca * 100 | round / 100), leaf \(.generation_ms.leaf * 100 | round / 100)), server configuration \(.generation_ms.server_config * 100 | round / 100) ms",
  "  an idle server connection holds \(.idle_server_connection.heap_bytes_each / 1024 | r) KiB of heap, \(.idle_server_connection.rss_bytes_each / 1024 | r) KiB RSS (\(.idle_server_connection.connections) in-process): 1,000 = \(.idle_server_connection.rss_bytes_each * 1000 / 1048576 | r) MiB"
' <<<"$tls"
if "$BIN" --help | grep -q -- '--tls'; then
  have_peer=0
  if [ -x "$PEER" ]; then
    have_peer=1
    openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 2 -subj /CN=127.0.0.1 \
      -addext subjectAltName=IP:127.0.0.1 -keyout "$tmp/peer.key" -out "$tmp/peer.crt" 2>/dev/null
    PEER_TLS_ARGS=(-c "$tmp/peer.crt" -k "$tmp/peer.key") # its -c/-k
  else
    echo "  oauth2-mock-server is not installed ($PEER): its HTTPS figures are skipped (scripts/deps.sh bench installs it)"
  fi
  for pin in 0 1; do
    load "tls_rs256_$pin" authemu_tls "$pin" --tls
    load "tls_hs256_$pin" authemu_tls "$pin" --tls --signing-algorithm HS256 --signing-secret "$HS_SECRET"
    if [ "$have_peer" = 1 ]; then load "tls_peer_$pin" peer_tls "$pin"; fi
  done >"$tmp/tls_load"
  echo "  tokens/s over TLS, keep-alive, $CONNECTIONS connections (wrk; the same server over plain HTTP earlier in this run):"
  # Rows of load: NAME rss_idle rss_load tokens/s p50 p99 cores errors.
  awk 'FNR == NR { plain[$1] = $4; next } {
      name = $1; sub(/^tls_/, "", name); where = name ~ /_0$/ ? "both cores" : "one core"
      printf "    %s, %s: %.0f/s (p50 %.2f / p99 %.2f ms, RSS %d KiB under load, %d errors), %s of plain HTTP\n", name, where,
        $4, $5, $6, $3, $8, (plain[name] > 0 ? sprintf("%.2fx", $4 / plain[name]) : "n/a")
    }' "$tmp/load" "$tmp/tls_load"
  peer_https=(); if [ "$have_peer" = 1 ]; then peer_https=("peer_https=peer:$PEER ${PEER_TLS_ARGS[*]}"); fi
  tls_cold=$(/usr/bin/python3 scripts/bench_cold_start.py "$COLD_RUNS" "https=authemu:$BIN --tls" \
    "https_es256=authemu:$BIN --tls --signing-algorithm ES256" "http=authemu:$BIN" "${peer_https[@]}")
  echo "  cold start to the first token over HTTPS, CA + leaf generation included, median of $COLD_RUNS (min-max): $(cold_line "$tls_cold")"
  echo "    other processes used $(jq -r .other_cpu_percent <<<"$tls_cold") % of the cores meanwhile; target <= 5 ms (RS256)"
  /usr/bin/python3 scripts/bench_tls_idle.py "$BIN" 1000 | jq -r '"  1,000 idle TLS connections: RSS \(.rss_kib_before) KiB before, \(.rss_kib_with_all_open) KiB (\(.rss_kib_with_all_open / 1024 | . * 10 | round / 10) MiB) with \(.connections) open (\(.failed) failed), \(.kib_each) KiB each; opened in \(.seconds_to_open) s; target <= 48 MiB"'
else
  echo "  TLS server figures skipped: $BIN has no --tls"
fi

# Key-based client authentication and DPoP: tokens/s and server CPU per token beside a client secret.
DURATION=$DURATION CONNECTIONS=$CONNECTIONS scripts/bench_keyauth.sh

# The console: its page with a full journal and 1,000 clients, and tokens/s with 50 journal streams.
DURATION=$DURATION CONNECTIONS=$CONNECTIONS scripts/bench_console.sh

# Soak: sustained password + refresh (+ some revocations) traffic with lifetimes shorter than the
# run, so that expired token records must be purged for memory to level off.
SOAK_SECONDS=${SOAK_SECONDS:-300}
if [ "$SOAK_SECONDS" != 0 ]; then
  start_server --user-token-lifetime 30s --refresh-token-lifetime 60s
  echo "soak: ${SOAK_SECONDS} s of password + refresh traffic, user tokens 30 s, refresh tokens 60 s"
  /usr/bin/python3 scripts/soak.py "$URL" "$SERVER_PID" "$SOAK_SECONDS" 2 | tee "$tmp/soak"
  tail -n1 "$tmp/soak" | jq -r '"soak: RSS \(.rss_start_kib) KiB at start, \(.rss_end_kib) KiB at end (max \(.rss_max_kib)); \(.password) password + \(.refresh) refresh grants, \(.revoke) revocations, \(.errors) errors, \(.tokens_per_s) tokens/s"'
fi
