#!/usr/bin/env bash
# The device flow (RFC 8628) against the built binary, from the outside: openid-client v6 as the
# device, completed by headless Chromium on the verification page and by `authemu device approve`,
# and the platform variant as fctl runs it into the sandbox's jwt-bearer grant
# (scripts/device_flow.mjs; a screenshot of the consent page goes to build/test-logs/device-page.png).
# Prints "ok - …" / "not ok - …" lines, and "# measured: …" timings.
set -uo pipefail
cd "$(dirname "$0")/.."
. scripts/lib.sh
mkdir -p build/test-logs

start_server --device-code-interval 1 || { not_ok "server starts"; finish; }
run_checks timeout -k 5 90 node scripts/device_flow.mjs "$ISSUER" build/node "$AUTHEMU" "$URL" build/test-logs/device-page.png
finish
