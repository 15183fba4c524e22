#!/usr/bin/env bash
# More real clients of authemu over HTTPS, each trusting the generated CA explicitly (never with
# verification turned off): Go's net/http + x/oauth2 with the CA in a cert pool (scripts/tls_go,
# built against Debian's golang-golang-x-oauth2-dev, GOPATH mode, nothing fetched); openid-client v6
# and oauth4webapi with NODE_EXTRA_CA_CERTS (scripts/tls_node_clients.mjs).
# Prints "# measured: …" for the slow steps.
set -uo pipefail
cd "$(dirname "$0")/.."
. scripts/lib.sh
NODE_DIR=build/node

tmp=$(mktemp -d)
trap 'stop_servers; rm -rf "$tmp"' EXIT
t0=$EPOCHREALTIME
since() { awk -v a="$1" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.1f s", b - a }'; }

# start_ready NAME ARGS...: authemu with ARGS; its ready line in $tmp/NAME.json.
start_ready() {
  local name=$1; shift
  spawn_ready "$tmp/$name.json" '"event":"ready"' "$AUTHEMU" --quiet "$@"
}
field() { jq -r ".$2" <"$tmp/$1.json" 2>/dev/null; }

if ! start_ready main --tls --listen 127.0.0.1:0 --tls-ca-out "$tmp/ca.pem"; then
  not_ok "authemu --tls starts"
  finish
fi
ISSUER=$(field main issuer)
CA=$tmp/ca.pem

# Go: built here from Debian's sources of x/oauth2 (GOPATH mode: no module download).
mkdir -p build/go
gobuild=(env GO111MODULE=off GOPATH=/usr/share/gocode GOCACHE="$PWD/build/go/cache" GOFLAGS= go build -o build/go/tls_go ./scripts/tls_go)
if "${gobuild[@]}" 2>"$tmp/go.err"; then
  run_checks timeout 20 build/go/tls_go "$ISSUER" "$CA"
else
  not_ok "go: scripts/tls_go builds against Debian's x/oauth2" "$(head -c 400 "$tmp/go.err")"
fi

# Node: openid-client and oauth4webapi, the CA from NODE_EXTRA_CA_CERTS only.
run_checks env NODE_EXTRA_CA_CERTS="$CA" timeout 20 node scripts/tls_node_clients.mjs "$ISSUER" "$NODE_DIR"
E=$(node -e 'fetch(process.argv[1] + "/.well-known/openid-configuration").then(() => console.log("fetched"), (e) => console.log(e.cause?.code))' "$ISSUER")
check_eq "node without NODE_EXTRA_CA_CERTS refuses the certificate" UNABLE_TO_VERIFY_LEAF_SIGNATURE "$E"

echo "# measured: tls_clients total $(since "$t0")"
finish
