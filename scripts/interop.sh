#!/usr/bin/env bash
# Third-party verification of authemu tokens: Debian's PyJWT fetches discovery and JWKS and checks
# signature, issuer, audience and expiry (scripts/interop_pyjwt.py).
set -uo pipefail
cd "$(dirname "$0")/.."
. scripts/lib.sh
start_server || { not_ok "server starts"; finish; }
/usr/bin/python3 scripts/interop_pyjwt.py "$ISSUER" || checks_failed=$((checks_failed + 1))
finish
