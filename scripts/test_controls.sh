#!/usr/bin/env bash
# The admin API's test controls against the built binary, as a test suite would use them: an admin
# token, time travel (curl and the CLI), minted negative cases checked by a PyJWT "service under
# test", queued faults, the journal, and reset between tests.
set -uo pipefail
cd "$(dirname "$0")/.."
. scripts/lib.sh
PY=/usr/bin/python3

start_server --admin-token s3cret-admin || { not_ok "server starts"; finish; }
ok "server starts with an admin token"
export AUTHEMU_URL=$URL ADMIN_TOKEN=s3cret-admin
ADMIN=(-H "Authorization: Bearer s3cret-admin" -H "Content-Type: application/json")  # JSON bodies only

check_eq "the admin API refuses a request without the admin token" "401" \
  "$(curl -s -o /dev/null -w '%{http_code}' "$URL/_authemu/clock")"
check_eq "the admin API takes the admin token" "200" \
  "$(curl -s -o /dev/null -w '%{http_code}' "${ADMIN[@]}" "$URL/_authemu/clock")"

token() { curl -s -u testing:testing -d grant_type=client_credentials "$ISSUER/oauth/token" | jq -r .access_token; }
introspect() { curl -s -u testing:testing --data-urlencode "token=$1" "$ISSUER/oauth/introspect" | jq -r .active; }
service() { $PY scripts/service_under_test.py "$ISSUER" testing "$1"; }

# Time travel: a token expires without sleeping. Freezing first makes every second exact.
$AUTHEMU clock freeze >/dev/null
TOKEN=$(token)
check_eq "a fresh token is active" "true" "$(introspect "$TOKEN")"
check_eq "the service accepts a fresh token" "accepted" "$(service "$TOKEN")"
CLOCK=$(curl -s "${ADMIN[@]}" -d '{"advance":"59m59s"}' "$URL/_authemu/clock")
check_eq "advancing by curl reports the new time" "3599" \
  "$(( $(jq -r '.environments[0].now' <<<"$CLOCK") - $(jwt_part "$TOKEN" 2 | jq .iat) ))"
check_eq "one second before exp the token is active" "true" "$(introspect "$TOKEN")"
$AUTHEMU clock advance 1s >/dev/null
check_eq "after 'authemu clock advance', authemu sees it expired" "false" "$(introspect "$TOKEN")"
LATER=$(token)
check_eq "new tokens are stamped with the moved clock" "3600" \
  "$(( $(jwt_part "$LATER" 2 | jq .iat) - $(jwt_part "$TOKEN" 2 | jq .iat) ))"
$AUTHEMU clock set 2030-01-01T00:00:00Z >/dev/null
check_eq "'authemu clock set' sets the time of new tokens" "1893456000" "$(jwt_part "$(token)" 2 | jq .iat)"
$AUTHEMU clock reset >/dev/null
check_eq "'authemu clock reset' unfreezes" "false" "$($AUTHEMU clock --environment default | jq .environments[0].frozen)"
check_eq "'authemu clock reset' returns to real time" "0" "$($AUTHEMU clock --environment default | jq .environments[0].offset)"

# Minted tokens: each negative case against the service under test.
mint() { $AUTHEMU mint "$@"; }
check_eq "a minted valid token is accepted" "accepted" "$(service "$(mint scope=ledger:read)")"
check_eq "expired is refused" "ExpiredSignatureError" "$(service "$(mint case=expired)")"
check_eq "not yet valid is refused" "ImmatureSignatureError" "$(service "$(mint case=not_yet_valid)")"
check_eq "a wrong audience is refused" "InvalidAudienceError" "$(service "$(mint case=wrong_audience)")"
check_eq "a wrong issuer is refused" "InvalidIssuerError" "$(service "$(mint case=wrong_issuer)")"
check_eq "a key outside the JWKS is refused" "PyJWKClientError" "$(service "$(mint case=foreign_key)")"
check_eq "a tampered signature is refused" "InvalidSignatureError" "$(service "$(mint case=bad_signature)")"
NONE=$(mint case=alg_none)
check_eq "alg none has an empty signature" "" "$(cut -d. -f3 <<<"$NONE")"
check "alg none is refused" bash -c '[ "$('"$PY"' scripts/service_under_test.py "$0" testing "$1")" != accepted ]' "$ISSUER" "$NONE"
CUSTOM=$(curl -s "${ADMIN[@]}" -d '{"user":"alice","claims":{"tenant":"acme"},"expires_in":"10m"}' "$URL/_authemu/mint")
check_eq "mint by curl: custom claims" "acme" "$(jq -r .claims.tenant <<<"$CUSTOM")"
check_eq "mint by curl: a user's subject" "alice" "$(jq -r .claims.preferred_username <<<"$CUSTOM")"
check_eq "mint by curl: the lifetime asked for" "600" "$(jq -r .expires_in <<<"$CUSTOM")"

# Key rotation: the old key stays in the JWKS for the grace period, then leaves.
OLD=$(token)
OLD_KID=$(jwt_part "$OLD" 1 | jq -r .kid)
ROTATED=$($AUTHEMU rotate-key grace=10m)
NEW_KID=$(jq -r .kid <<<"$ROTATED")
check "rotate-key names a new kid" test -n "$NEW_KID" -a "$NEW_KID" != "$OLD_KID"
check_eq "new tokens carry the new kid" "$NEW_KID" "$(jwt_part "$(token)" 1 | jq -r .kid)"
check_eq "the JWKS has both keys during the grace period" "2" "$(curl -s "$ISSUER/keys" | jq '.keys | length')"
check_eq "the service still accepts a token of the old key" "accepted" "$(service "$OLD")"
$AUTHEMU clock advance 10m >/dev/null
check_eq "after the grace period the JWKS has the new key alone" "$NEW_KID" "$(curl -s "$ISSUER/keys" | jq -r '[.keys[].kid] | join(",")')"
check_eq "the service refuses a token of the old key" "PyJWKClientError" "$(service "$OLD")"
check_eq "authemu refuses it too" "false" "$(introspect "$OLD")"
$AUTHEMU clock reset >/dev/null

# Faults: the next token request fails, the one after works.
curl -s "${ADMIN[@]}" -d '{"endpoint":"token","error":"temporarily_unavailable"}' "$URL/_authemu/faults" >/dev/null
FAILED=$(curl -s -w '\n%{http_code}' -u testing:testing -d grant_type=client_credentials "$ISSUER/oauth/token")
check_eq "a queued fault answers 503" "503" "$(tail -n1 <<<"$FAILED")"
check_eq "with the OAuth error body" "temporarily_unavailable" "$(head -n1 <<<"$FAILED" | jq -r .error)"
check "the next request gets a token" test -n "$(token)"
$AUTHEMU fault endpoint=jwks status=500 >/dev/null
check_eq "'authemu fault' breaks the JWKS once" "500" "$(curl -s -o /dev/null -w '%{http_code}' "$ISSUER/keys")"

# The journal: what happened, without secrets.
JOURNAL=$(curl -s "${ADMIN[@]}" "$URL/_authemu/journal?endpoint=token")
check_eq "the journal lists the failed token request" "temporarily_unavailable" \
  "$(jq -r '[.entries[] | select(.fault != null)][0].outcome' <<<"$JOURNAL")"
check "the journal holds no secret or token" bash -c '! grep -q -e "testing:testing" -e "$1" <<<"$0"' "$JOURNAL" "${TOKEN:0:30}"

# Reset: a clean slate for the next test.
curl -s -H "Authorization: Bearer $(token)" -H 'Content-Type: application/json' -d '{"name":"temp"}' \
  "$URL/api/auth/clients" >/dev/null
check_eq "a dynamic client exists before reset" "1" \
  "$(curl -s -H "Authorization: Bearer $(token)" "$URL/api/auth/clients" | jq '.data | length')"
$AUTHEMU clock advance 1d >/dev/null
$AUTHEMU reset >/dev/null
check_eq "reset removes dynamic clients" "0" \
  "$(curl -s -H "Authorization: Bearer $(token)" "$URL/api/auth/clients" | jq '.data | length')"
check_eq "reset returns the clock of every environment" "0 0 0" "$($AUTHEMU clock | jq -r '[.environments[].offset] | join(" ")')"
check_eq "reset empties the journal but for what came after" "1" \
  "$($AUTHEMU journal | jq '.entries | length')"
ADMIN_TOKEN=wrong $AUTHEMU reset 2>/dev/null
check_eq "an admin command with a wrong token fails" "1" "$?"

# A request held by a delay does not hold up SIGTERM (docker stop gives 10 s).
$AUTHEMU fault endpoint=token delay=30s >/dev/null
curl -s -o /dev/null -u testing:testing -d grant_type=client_credentials "$ISSUER/oauth/token" &
# The request is in flight once it has taken the fault out of the queue (it then waits the delay).
queued=1
for _ in $(seq 1 500); do
  queued=$(curl -s "${ADMIN[@]}" "$URL/_authemu/faults" | jq '.faults | length')
  [ "$queued" = 0 ] && break
  sleep 0.01
done
check_eq "the delayed request has taken its fault before SIGTERM" "0" "$queued"
started=$(date +%s%N)
kill -TERM "$SERVER_PID"; wait "$SERVER_PID"
rc=$?
check_eq "SIGTERM with a delayed request in flight exits 0" "0" "$rc"
check "and within 2 s" test $(( ($(date +%s%N) - started) / 1000000 )) -lt 2000

# A server whose clocks start frozen at a fixed instant: the same token times on every run.
CLOCK_START=2030-01-01T00:00:00Z CLOCK_FROZEN=true start_server || not_ok "a frozen server starts"
FIRST=$(token); sleep 1.1; SECOND=$(token)
check_eq "CLOCK_START sets iat" "1893456000" "$(jwt_part "$FIRST" 2 | jq .iat)"
check_eq "CLOCK_FROZEN holds it" "1893456000" "$(jwt_part "$SECOND" 2 | jq .iat)"

# Without an admin token: no cross-site writes, JSON bodies only, local Host names only.
export ADMIN_TOKEN=
start_server || not_ok "a server without an admin token starts"
export AUTHEMU_URL=$URL
code() { curl -s -o /dev/null -w '%{http_code}' "$@"; }
check_eq "an empty POST resets, whatever its Content-Type" "200" "$(code -d '' "$URL/_authemu/reset")"
check_eq "the admin commands work without a token" "0" "$($AUTHEMU clock advance 1s >/dev/null; echo $?)"
check_eq "a form body (curl -d) is 415" "415" "$(code -d '{"advance":60}' "$URL/_authemu/clock")"
check_eq "a JSON body is taken" "200" "$(code -H 'Content-Type: application/json' -d '{"advance":60}' "$URL/_authemu/clock")"
check_eq "a cross-site page's POST is 403" "403" "$(code -d '' -H 'Origin: http://evil.example' "$URL/_authemu/reset")"
check_eq "Sec-Fetch-Site cross-site is 403" "403" "$(code -d '' -H 'Sec-Fetch-Site: cross-site' "$URL/_authemu/reset")"
check_eq "a rebound DNS name is 403" "403" "$(code -H 'Host: evil.example:8080' "$URL/_authemu/clock")"
check_eq "a compose service name is served" "200" "$(code -H 'Host: authemu:8080' "$URL/_authemu/clock")"

# A generated key on a wildcard address: a warning, and mint waits for an admin token.
log=$(mktemp)
SERVER_LOG=$log start_server --generate-signing-key --listen 0.0.0.0:0 || not_ok "a generated-key server starts"
check "start-up warns that mint needs an admin token" grep -q "warning: the admin API refuses mint and rotation to a given key until an admin token is set" "$log"
check_eq "mint is 403 without an admin token" "403" "$(code -d '' "$URL/_authemu/mint")"
check_eq "the clock stays open" "200" "$(code "$URL/_authemu/clock")"
rm -f "$log"

finish
