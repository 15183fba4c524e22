#!/usr/bin/env bash
# Third-party clients against the built binary: Debian's PyJWT verifies tokens through discovery and
# JWKS (scripts/interop_pyjwt.py); Debian's Authlib runs password -> refresh -> introspect -> revoke
# -> introspect (scripts/interop_authlib.py); npm's jose checks tokens as an RFC 9068 resource
# server (scripts/interop_jose.mjs).
set -uo pipefail
cd "$(dirname "$0")/.."
. scripts/lib.sh
start_server || { not_ok "server starts"; finish; }
/usr/bin/python3 scripts/interop_pyjwt.py "$ISSUER" || checks_failed=$((checks_failed + 1))
/usr/bin/python3 scripts/interop_authlib.py "$ISSUER" || checks_failed=$((checks_failed + 1))
node scripts/interop_jose.mjs "$ISSUER" build/node || checks_failed=$((checks_failed + 1))
finish
