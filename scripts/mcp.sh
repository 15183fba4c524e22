#!/usr/bin/env bash
# The Model Context Protocol's authorization flow against the built binary with the official MCP
# TypeScript SDK (scripts/mcp_node.mjs): dynamic registration, code + PKCE with resource, tokens
# whose aud is the MCP server, client credentials and private_key_jwt providers, discovery at the
# path-insertion URLs; and registration's RFC 7591/7592 answers and refusals with curl.
set -uo pipefail
cd "$(dirname "$0")/.."
. scripts/lib.sh
tmp=$(mktemp -d)
trap 'stop_servers; rm -rf "$tmp"' EXIT
READY_DIR=$tmp

if ! start_ready main --listen 127.0.0.1:0 --login-mode auto; then
  not_ok "authemu --login-mode auto starts"
  finish
fi
ISSUER=$(ready_field main issuer)
URL=$(ready_field main url)

run_checks timeout 60 node scripts/mcp_node.mjs "$ISSUER" build/node

# RFC 7591/7592 with curl: each answer and refusal, nothing stored by a refused request.
reg() { curl -sS -m 5 -o "$tmp/body" -w '%{http_code}' -H 'Content-Type: application/json' -d "$1" "$ISSUER/register"; }
S=$(reg '{"redirect_uris":["https://app.example/cb"],"client_name":"web","contacts":["a@example.com"],"x-unknown":1}')
B=$(cat "$tmp/body")
check_eq "register: 201 with the defaults of RFC 7591 section 2" "201 client_secret_basic authorization_code code" \
  "$S $(jq -r '.token_endpoint_auth_method, .grant_types[0], .response_types[0]' <<<"$B" | tr '\n' ' ' | sed 's/ $//')"
check_eq "register: client_secret with client_secret_expires_at 0, unknown metadata left out" "true 0 null" \
  "$(jq -r '(.client_secret | length > 20), .client_secret_expires_at, .["x-unknown"]' <<<"$B" | tr '\n' ' ' | sed 's/ $//')"
CID=$(jq -r .client_id <<<"$B"); RAT=$(jq -r .registration_access_token <<<"$B"); RCU=$(jq -r .registration_client_uri <<<"$B")
check_eq "registration_client_uri is the issuer's /register/<client_id>" "$ISSUER/register/$CID" "$RCU"
check_eq "RFC 7592 read with the registration access token" "200 web" \
  "$(curl -sS -m 5 -o "$tmp/r" -w '%{http_code}' -H "Authorization: Bearer $RAT" "$RCU") $(jq -r .client_name "$tmp/r")"
check_eq "… another token: 401 invalid_token" 401 "$(curl -sS -m 5 -o /dev/null -w '%{http_code}' -H 'Authorization: Bearer nope' "$RCU")"
S=$(curl -sS -m 5 -o "$tmp/u" -w '%{http_code}' -X PUT -H "Authorization: Bearer $RAT" -H 'Content-Type: application/json' \
  -d "{\"client_id\":\"$CID\",\"redirect_uris\":[\"https://app.example/cb2\"],\"client_name\":\"web2\"}" "$RCU")
check_eq "RFC 7592 update replaces the metadata" "200 web2 https://app.example/cb2" "$S $(jq -r '.client_name, .redirect_uris[0]' "$tmp/u" | tr '\n' ' ' | sed 's/ $//')"
T=$(curl -sS -m 5 -u testing:testing -d grant_type=client_credentials "$ISSUER/oauth/token" | jq -r .access_token)
check "a registered client is listed by GET /clients" bash -c "curl -sS -m 5 -H 'Authorization: Bearer $T' '$ISSUER/clients' | jq -e --arg c '$CID' '.data | map(.id) | index(\$c)' >/dev/null"
check_eq "RFC 7592 delete: 204, then the token no longer works" "204 401" \
  "$(curl -sS -m 5 -o /dev/null -w '%{http_code}' -X DELETE -H "Authorization: Bearer $RAT" "$RCU") $(curl -sS -m 5 -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $RAT" "$RCU")"
for c in '{"redirect_uris":["http://app.example/cb"]}|invalid_redirect_uri' '{"redirect_uris":["https://a.example/cb#f"]}|invalid_redirect_uri' \
         '{}|invalid_redirect_uri' '{"grant_types":["implicit"]}|invalid_client_metadata' \
         '{"redirect_uris":["https://a.example/cb"],"response_types":["token"]}|invalid_client_metadata' \
         '{"grant_types":["client_credentials"],"jwks":{"keys":[]},"jwks_uri":"https://k.example/jwks"}|invalid_client_metadata' \
         '[1]|invalid_client_metadata'; do
  S=$(reg "${c%|*}")
  check_eq "register ${c%|*}: 400 ${c#*|}" "400 ${c#*|}" "$S $(jq -r .error "$tmp/body")"
done
N=$(curl -sS -m 5 -H "Authorization: Bearer $T" "$ISSUER/clients" | jq '.data | length')
check_eq "refused registrations stored nothing (only the two clients the SDK registered and the two machine clients remain)" 3 "$N"
finish
