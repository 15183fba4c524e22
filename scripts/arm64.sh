#!/usr/bin/env bash
# The linux/arm64 binary of `make dist` (cross-compiled), run on this amd64 machine by calling
# qemu-aarch64-static directly (no binfmt needed): it is a static AArch64 executable, starts,
# issues a token, and Debian's PyJWT verifies its tokens through discovery and JWKS.
set -uo pipefail
cd "$(dirname "$0")/.."
. scripts/lib.sh

AUTHEMU=${AUTHEMU_ARM64:-build/authemu-arm64}
RUNNER=qemu-aarch64-static
check "the arm64 binary is an AArch64 ELF" bash -c "readelf -h $AUTHEMU | grep -q 'Machine: *AArch64'"
check "the arm64 binary is static (no program interpreter)" bash -c "! readelf -l $AUTHEMU | grep -q INTERP"
check_eq "--version under qemu" "authemu 0.1.0" "$($RUNNER "$AUTHEMU" --version)"

start_server
check "starts under qemu and prints its ready line" test -n "$URL"
token=$(curl -s -u testing:testing -d grant_type=client_credentials "$URL/api/auth/oauth/token" | jq -r .access_token)
check "issues a token" test "$(jwt_part "$token" 1 | jq -r .alg)" = RS256
check_eq "its stand-in accepts the token" "200" \
  "$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $token" "$URL/api/ledger/v2")"
run_checks /usr/bin/python3 scripts/interop_pyjwt.py "$ISSUER"
port=${URL##*:}
check "its healthcheck command answers" $RUNNER "$AUTHEMU" healthcheck --listen "127.0.0.1:$port"
finish
