#!/usr/bin/env bash
# Browser sign-in against the built binary, from the outside:
# - headless Chromium (puppeteer-core) through a relying party built on openid-client v6
#   (scripts/browser_flow.mjs, scripts/browser_rp.mjs): the login page's buttons, password and
#   any-subject forms, deny, SSO, logout, form_post, the public and confidential clients and the
#   sandbox environment; a screenshot of the login page goes to build/test-logs/login-page.png;
# - Debian's Authlib with PKCE against a server in --login-mode auto, no browser
#   (scripts/interop_authlib_code.py).
# Each prints "ok - …" / "not ok - …" lines, and "# measured: …" timings.
set -uo pipefail
cd "$(dirname "$0")/.."
. scripts/lib.sh
NODE_DIR=build/node
mkdir -p build/test-logs

start_server || { not_ok "server starts"; finish; }
# A confidential client of the sandbox for the RP (the fixture's sandbox has only testing).
SANDBOX=${ISSUER%/api/auth}/sandbox/api/auth
TOKEN=$(curl -s -m 5 -u testing:testing -d grant_type=client_credentials "$SANDBOX/oauth/token" | jq -r .access_token)
SANDBOX_CLIENT_ID=$(curl -s -m 5 -H "Authorization: Bearer $TOKEN" "$SANDBOX/clients" -d '{"name":"browser-rp",
  "redirectUris":["http://127.0.0.1/callback"],"postLogoutRedirectUris":["http://127.0.0.1/"]}' | jq -r .data.id)
SANDBOX_CLIENT_SECRET=$(curl -s -m 5 -H "Authorization: Bearer $TOKEN" "$SANDBOX/clients/$SANDBOX_CLIENT_ID/secrets" \
  -d '{"name":"rp"}' | jq -r .data.clear)
check "sandbox: a confidential client for the RP is created" test -n "$SANDBOX_CLIENT_SECRET" -a "$SANDBOX_CLIENT_SECRET" != null
export SANDBOX_CLIENT_ID SANDBOX_CLIENT_SECRET
# puppeteer closes Chromium on SIGTERM; the flow has its own 50 s watchdog.
run_checks timeout -k 5 60 node scripts/browser_flow.mjs "$ISSUER" "$NODE_DIR" build/test-logs/login-page.png

start_server --login-mode auto || { not_ok "server with --login-mode auto starts"; finish; }
run_checks timeout -k 5 30 /usr/bin/python3 scripts/interop_authlib_code.py "$ISSUER"
finish
