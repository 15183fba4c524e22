#!/usr/bin/env bash
# fctl's current sequence with curl and jq against the built binary and its default fixture
# (formance-auth §7.1): `fctl login` as a device authorization at the platform (Basic fctl: with an
# empty secret, prompt=no-org), approved by `authemu device approve`; stack access as a second
# device authorization with organization_id, id_token_hint and resource=stack://<org>/<stack>|…;
# then jwt-bearer at the sandbox and its management API. Also the journal and a fault of the
# device endpoints, and reset.
set -uo pipefail
cd "$(dirname "$0")/.."
. scripts/lib.sh

start_server --device-code-interval 1 || { not_ok "server starts"; finish; }
ORIGIN=${ISSUER%/api/auth}
PLATFORM="$ORIGIN/platform"
G=urn:ietf:params:oauth:grant-type:device_code
poll() { curl -s -u 'fctl:' -d grant_type=$G -d device_code="$1" "${@:2}" "$PLATFORM/oauth/token"; }

check_eq "platform discovery names the device endpoint" "$PLATFORM/device_authorization" \
  "$(curl -s "$PLATFORM/.well-known/openid-configuration" | jq -r .device_authorization_endpoint)"

# 1. fctl login.
started=$(date +%s%N)
DA=$(curl -s -u 'fctl:' -d 'scope=openid offline_access accesses on_behalf' -d prompt=no-org "$PLATFORM/device_authorization")
check_eq "the answer points at the platform's verification page" "$PLATFORM/device" "$(jq -r .verification_uri <<<"$DA")"
CODE=$(jq -r .user_code <<<"$DA")
check_eq "before approval: authorization_pending" authorization_pending "$(poll "$(jq -r .device_code <<<"$DA")" | jq -r .error)"
check_eq "at once again: slow_down" slow_down "$(poll "$(jq -r .device_code <<<"$DA")" | jq -r .error)"
"$AUTHEMU" device approve "$CODE" --user alice --url "$URL" >/dev/null
sleep 6 # the interval grew to 6 s with the slow_down
LOGIN=$(poll "$(jq -r .device_code <<<"$DA")")
ID_TOKEN=$(jq -r .id_token <<<"$LOGIN")
check_eq "login: the ID token's org claim lists the sandbox stack" "acme sandbox $ORIGIN/sandbox" \
  "$(jwt_part "$ID_TOKEN" 2 | jq -r '.org[0] as $o | ($o.stacks[] | select(.id=="sandbox")) as $s | "\($o.id) \($s.id) \($s.uri)"')"
check "login: a refresh token (offline_access)" test "$(jq -r .refresh_token <<<"$LOGIN")" != null
check_eq "the same device code again" invalid_grant "$(poll "$(jq -r .device_code <<<"$DA")" | jq -r .error)"

# 2. Stack access, as EnsureStackAccess.
RESOURCE="stack://acme/sandbox|stack:Read stack:Write"
DA=$(curl -s -u 'fctl:' -d 'scope=openid offline_access' -d organization_id=acme --data-urlencode id_token_hint="$ID_TOKEN" \
  --data-urlencode resource="$RESOURCE" "$PLATFORM/device_authorization")
"$AUTHEMU" device approve "$(jq -r .user_code <<<"$DA")" --url "$URL" >/dev/null # the hint's user
ACCESS=$(poll "$(jq -r .device_code <<<"$DA")" --data-urlencode resource="$RESOURCE")
check_eq "the stack token's aud is the sandbox issuer" "[\"$ORIGIN/sandbox/api/auth\"]" \
  "$(jwt_part "$(jq -r .access_token <<<"$ACCESS")" 2 | jq -c .aud)"

# 3. FetchStackToken: jwt-bearer at the stack, no client authentication.
SANDBOX=$(curl -s "$(jwt_part "$ID_TOKEN" 2 | jq -r '.org[0].stacks[] | select(.id=="sandbox") | .uri')/api/auth/.well-known/openid-configuration" | jq -r .token_endpoint)
STACK=$(curl -s -d grant_type=urn:ietf:params:oauth:grant-type:jwt-bearer --data-urlencode assertion="$(jq -r .access_token <<<"$ACCESS")" \
  -d 'scope=openid email' "$SANDBOX")
check_eq "jwt-bearer at the sandbox: a 5-minute token" 300 "$(jq -r .expires_in <<<"$STACK")"
check_eq "which the sandbox's management API accepts" 200 \
  "$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $(jq -r .access_token <<<"$STACK")" "$ORIGIN/sandbox/api/auth/clients")"
echo "# measured: fctl login + stack access + jwt-bearer with curl: $(( ($(date +%s%N) - started) / 1000000 )) ms (6 s of it the slow_down wait)"

# 4. Test controls: journal, faults, deny, reset.
check_eq "the journal records the device endpoint" device_authorization \
  "$("$AUTHEMU" journal endpoint=device_authorization --url "$URL" | jq -r '.entries[0].endpoint')"
"$AUTHEMU" fault endpoint=device_authorization error=temporarily_unavailable --environment platform --url "$URL" >/dev/null
check_eq "a fault answers the next device authorization" temporarily_unavailable \
  "$(curl -s -u 'fctl:' -d scope=openid "$PLATFORM/device_authorization" | jq -r .error)"
DA=$(curl -s -u 'fctl:' -d scope=openid "$PLATFORM/device_authorization")
"$AUTHEMU" device deny "$(jq -r .user_code <<<"$DA")" --url "$URL" >/dev/null
check_eq "authemu device deny: access_denied" access_denied "$(poll "$(jq -r .device_code <<<"$DA")" | jq -r .error)"
DA=$(curl -s -u 'fctl:' -d scope=openid "$PLATFORM/device_authorization")
"$AUTHEMU" reset --url "$URL" >/dev/null
check_eq "reset forgets device requests" '{"devices":[]}' "$("$AUTHEMU" device list --url "$URL")"
finish
