#!/usr/bin/env bash
# The console and what it stands on, against the built binary: the journal's event stream read by a
# plain client (curl), `authemu explain` and POST /_authemu/explain with the exact verdict of each
# mint case, then the page itself in headless Chromium (scripts/console.mjs; screenshots light,
# dark and phone in build/test-logs/console-*.png). Prints "ok - …" / "not ok - …" lines.
set -uo pipefail
cd "$(dirname "$0")/.."
. scripts/lib.sh
mkdir -p build/test-logs
tmp=$(mktemp -d)
trap 'stop_servers; rm -rf "$tmp"' EXIT

start_server || { not_ok "server starts"; finish; }
READY=$(curl -s "$URL/_authemu" | jq -r .console)
check_eq "the admin index links the console" "/_authemu/console" "$READY"

# The stream, by a plain client: one event per request, its data one line of JSON.
curl -sN --max-time 4 "$URL/_authemu/journal/stream" >"$tmp/sse" &
sse=$!
for _ in $(seq 50); do [ -s "$tmp/sse" ] && break; sleep 0.05; done
curl -s -u testing:testing -d grant_type=client_credentials "$ISSUER/oauth/token" >/dev/null
curl -s -d grant_type=password -d client_id=testing -d client_secret=testing -d username=alice \
  -d password=Not-Alice-Pw-42 "$ISSUER/oauth/token" >/dev/null
for _ in $(seq 80); do [ "$(grep -c '^data: ' "$tmp/sse")" -ge 2 ] && break; sleep 0.05; done
kill "$sse" 2>/dev/null; wait "$sse" 2>/dev/null
check_eq "the stream opens with a comment and a retry delay" ": authemu journal|retry: 2000" \
  "$(head -2 "$tmp/sse" | paste -sd'|')"
check_eq "one event per request: id lines 1 and 2" "id: 1|id: 2" "$(grep '^id: ' "$tmp/sse" | paste -sd'|')"
check_eq "each data line is the entry's JSON: endpoint, grant, status, outcome" \
  "token client_credentials 200 ok|token password 400 invalid_grant" \
  "$(sed -n 's/^data: //p' "$tmp/sse" | jq -r '"\(.endpoint) \(.grant_type) \(.status) \(.outcome)"' | paste -sd'|')"
check_eq "the Basic credentials, the password and the secret are masked in the events" "Basic ****|****|****" \
  "$(sed -n 's/^data: //p' "$tmp/sse" | jq -r '.params.password // empty, .params.client_secret // empty, .headers.Authorization // empty' | paste -sd'|')"
check "no secret in the stream" bash -c "! grep -q 'Not-Alice-Pw-42' '$tmp/sse'"

# explain: each mint case's verdict, by the command (with the token as an argument and on stdin)
# and by the endpoint.
mint() { curl -s -H 'Content-Type: application/json' -d "$1" "$URL/_authemu/mint" | jq -r '.access_token // .id_token'; }
failed() { curl -s -H 'Content-Type: application/json' -d "$1" "$URL/_authemu/explain" | jq -r '[.valid, (.checks[] | select(.ok | not) | "\(.check):\(.reason)")] | join(" ")'; }
for spec in "valid|true" "expired|false exp:expired" "not_yet_valid|false nbf:not_yet_valid" \
  "wrong_audience|false aud:wrong_audience" "wrong_issuer|false iss:untrusted_issuer" \
  "foreign_key|false signature:unknown_key" "alg_none|false signature:alg_none" \
  "bad_signature|false signature:bad_signature"; do
  c=${spec%%|*}
  t=$(mint "{\"case\":\"$c\"}")
  check_eq "POST /_authemu/explain: mint case $c" "${spec#*|}" "$(failed "{\"token\":\"$t\"}")"
  out=$($AUTHEMU explain "$t" --url "$URL"); rc=$?
  want=$([ "$c" = valid ] && echo "verdict: valid" || echo "verdict: refused")
  check_eq "authemu explain: mint case $c (exit 0 whatever the verdict)" "0 $want $(grep -c '  FAIL  ' <<<"$out")" \
    "$rc $(head -1 <<<"$out") $([ "$c" = valid ] && echo 0 || echo 1)"
done
t=$(mint '{"token":"id_token","case":"wrong_nonce","nonce":"n-1"}')
check_eq "explain an ID token of case wrong_nonce, given the nonce sent" "false nonce:wrong_nonce" \
  "$(failed "{\"token\":\"$t\",\"nonce\":\"n-1\"}")"
t=$(mint '{"token":"id_token","case":"wrong_at_hash","access_token":"at-1"}')
check_eq "explain an ID token of case wrong_at_hash, given the access token" "false at_hash:wrong_at_hash" \
  "$(failed "{\"token\":\"$t\",\"access_token\":\"at-1\"}")"
t=$(mint '{"case":"expired"}')
out=$(printf '%s\n' "$t" | $AUTHEMU explain - --url "$URL")
check "authemu explain - reads the token from stdin and prints the failed check" \
  grep -qE '^  FAIL  exp +expired: expired 1 min ago \(.*Z\)$' <<<"$out"
check_eq "authemu explain names the environment that signed the token" "environment: sandbox" \
  "$($AUTHEMU explain "$(mint '{"environment":"sandbox"}')" --url "$URL" | sed -n 2p)"
$AUTHEMU explain "" --url "$URL" >/dev/null 2>"$tmp/err"; rc=$?
check_eq "authemu explain: exit 1 and the server's refusal when nothing was explained" \
  "1 authemu explain: 400 VALIDATION: token: required (a JWT)" "$rc $(cat "$tmp/err")"

run_checks timeout -k 5 90 node scripts/console.mjs "$URL" build/node build/test-logs
finish
