#!/usr/bin/env bash
# Third-party clients against the built binary: Debian's PyJWT verifies tokens through discovery and
# JWKS (scripts/interop_pyjwt.py); Debian's Authlib runs password -> refresh -> introspect -> revoke
# -> introspect (scripts/interop_authlib.py); npm's jose checks tokens as an RFC 9068 resource
# server (scripts/interop_jose.mjs). A second server with tests/data/algorithms.yaml has environments
# signing ES256, PS256 and HS256; both PyJWT and jose verify their tokens.
set -uo pipefail
cd "$(dirname "$0")/.."
. scripts/lib.sh
export AUTHEMU_INTEROP_SECRET=$(head -c 32 /dev/urandom | base64)
start_server --config tests/data/algorithms.yaml || { not_ok "server with ES256, PS256 and HS256 environments starts"; finish; }
export ALGORITHMS_ORIGIN=${ISSUER%/api/auth} ALGORITHMS_SECRET=$AUTHEMU_INTEROP_SECRET
run_checks /usr/bin/python3 scripts/interop_pyjwt.py --algorithms "$ALGORITHMS_ORIGIN" "$AUTHEMU_INTEROP_SECRET"
start_server || { not_ok "server starts"; finish; }
run_checks /usr/bin/python3 scripts/interop_pyjwt.py "$ISSUER"
run_checks /usr/bin/python3 scripts/interop_authlib.py "$ISSUER"
run_checks node scripts/interop_jose.mjs "$ISSUER" build/node
finish
