#!/usr/bin/env bash
# The Formance docs' quickstart, with curl and jq, against the built binary:
# discovery -> token with testing/testing -> verification call -> create a client ->
# add a secret -> token with the new client -> verification call.
set -uo pipefail
cd "$(dirname "$0")/.."
. scripts/lib.sh

start_server || { not_ok "server starts"; finish; }
ok "server starts and prints its URL and issuer"

# 1. Discovery, as SDKs and services do: <issuer>/.well-known/openid-configuration.
DISCOVERY=$(curl -sf "$ISSUER/.well-known/openid-configuration")
check_eq "discovery names the issuer it was fetched from" "$ISSUER" "$(jq -r .issuer <<<"$DISCOVERY")"
TOKEN_ENDPOINT=$(jq -r .token_endpoint <<<"$DISCOVERY")
check_eq "token endpoint is under the issuer" "$ISSUER/oauth/token" "$TOKEN_ENDPOINT"

# 2. A token for the testing client (form body, as the docs' curl example).
RESPONSE=$(curl -s -X POST "$TOKEN_ENDPOINT" -H 'Content-Type: application/x-www-form-urlencoded' \
  -d grant_type=client_credentials -d client_id=testing -d client_secret=testing)
TOKEN=$(jq -r .access_token <<<"$RESPONSE")
check_eq "token type is Bearer" "Bearer" "$(jq -r .token_type <<<"$RESPONSE")"
check_eq "testing token lives one hour" "3600" "$(jq -r .expires_in <<<"$RESPONSE")"
CLAIMS=$(jwt_part "$TOKEN" 2)
check_eq "token audience is [testing]" '["testing"]' "$(jq -c .aud <<<"$CLAIMS" 2>/dev/null)"

# 3. The verification call: a service under /api/<service> checks the token.
VERIFY=$(curl -s -w '\n%{http_code}' -H "Authorization: Bearer $TOKEN" "$URL/api/ledger/v2")
check_eq "verification call accepts the token" "200" "$(tail -n1 <<<"$VERIFY")"
check_eq "verification call sees client testing" "testing" "$(head -n1 <<<"$VERIFY" | jq -r .token.client_id)"
check_eq "a call without a token is 401" "401" "$(curl -s -o /dev/null -w '%{http_code}' "$URL/api/ledger/v2")"

# 4. Create a client through the management API.
CREATED=$(curl -s -w '\n%{http_code}' -X POST "$URL/api/auth/clients" -H "Authorization: Bearer $TOKEN" \
  -H 'Content-Type: application/json' -d '{"name":"quickstart","scopes":["ledger:read","ledger:write"]}')
check_eq "create client is 201" "201" "$(tail -n1 <<<"$CREATED")"
CLIENT_ID=$(head -n1 <<<"$CREATED" | jq -r .data.id)
check "client id is a UUID" grep -Eq '^[0-9a-f-]{36}$' <<<"$CLIENT_ID"

# 5. Add a secret: the clear value is shown once.
SECRET=$(curl -s -X POST "$URL/api/auth/clients/$CLIENT_ID/secrets" -H "Authorization: Bearer $TOKEN" \
  -H 'Content-Type: application/json' -d '{"name":"default"}')
CLEAR=$(jq -r .data.clear <<<"$SECRET")
SECRET_ID=$(jq -r .data.id <<<"$SECRET")
check "secret is shown in clear once" test ${#CLEAR} -eq 36
check_eq "listing shows no clear secret" "0" "$(curl -s -H "Authorization: Bearer $TOKEN" "$URL/api/auth/clients/$CLIENT_ID" | grep -c -- "$CLEAR")"

# 6. A token for the new client, with HTTP Basic this time.
NEW=$(curl -s -u "$CLIENT_ID:$CLEAR" -d grant_type=client_credentials -d 'scope=ledger:read unknown' "$TOKEN_ENDPOINT")
NEW_TOKEN=$(jq -r .access_token <<<"$NEW")
check_eq "granted scope is requested ∩ client scopes" "ledger:read" "$(jq -r .scope <<<"$NEW")"

# 7. The verification call with the new client's token.
VERIFY=$(curl -s -H "Authorization: Bearer $NEW_TOKEN" "$URL/api/ledger/v2/accounts")
check_eq "verification call sees the new client" "$CLIENT_ID" "$(jq -r .token.client_id <<<"$VERIFY")"
check_eq "verification call sees its scope" "ledger:read" "$(jq -r .token.scope <<<"$VERIFY")"

# And the secret stops working once deleted.
check_eq "delete secret is 204" "204" "$(curl -s -o /dev/null -w '%{http_code}' -X DELETE \
  -H "Authorization: Bearer $TOKEN" "$URL/api/auth/clients/$CLIENT_ID/secrets/$SECRET_ID")"
check_eq "a deleted secret is refused at once" "401" "$(curl -s -o /dev/null -w '%{http_code}' -u "$CLIENT_ID:$CLEAR" \
  -d grant_type=client_credentials "$TOKEN_ENDPOINT")"
finish
