# Shared by the black-box scripts: start the built binary on a free port, record checks.
# Each check prints "ok - name" or "not ok - name"; scripts/run_tests.sh counts them.
AUTHEMU=${AUTHEMU:-build/authemu}
checks_failed=0
pids=()

ok() { echo "ok - $1"; }
not_ok() { echo "not ok - $1${2:+: $2}"; checks_failed=$((checks_failed + 1)); }
# check NAME COMMAND...: passes when the command succeeds.
check() { local name=$1; shift; if "$@"; then ok "$name"; else not_ok "$name"; fi; }
# check_eq NAME EXPECTED ACTUAL
check_eq() { if [ "$2" = "$3" ]; then ok "$1"; else not_ok "$1" "expected '$2', got '$3'"; fi; }

# start_server ARGS...: starts authemu on 127.0.0.1:0 and sets URL, ISSUER, SERVER_PID. With RUNNER
# set (e.g. qemu-aarch64-static), the binary runs under it.
start_server() {
  local out; out=$(mktemp)
  ${RUNNER:-} "$AUTHEMU" --listen 127.0.0.1:0 --quiet "$@" >"$out" 2>>"${SERVER_LOG:-/dev/null}" &
  SERVER_PID=$!
  pids+=("$SERVER_PID")
  for _ in $(seq 1 500); do
    [ -s "$out" ] && break
    kill -0 "$SERVER_PID" 2>/dev/null || break
    sleep 0.01
  done
  URL=$(jq -r .url <"$out" 2>/dev/null || true)
  ISSUER=$(jq -r .issuer <"$out" 2>/dev/null || true)
  rm -f "$out"
  [ -n "$URL" ] && [ "$URL" != null ]
}

stop_servers() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; }
trap stop_servers EXIT

finish() { exit $((checks_failed > 0 ? 1 : 0)); }

# jwt_part TOKEN N: the decoded JSON of part N (1 header, 2 payload) of a JWT.
jwt_part() {
  local p; p=$(cut -d. -f"$2" <<<"$1" | tr '_-' '/+')
  while [ $((${#p} % 4)) -ne 0 ]; do p="$p="; done
  base64 -d <<<"$p"
}
