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

# Client ID metadata documents on loopback: a plain HTTP server serves them.
DOC_PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
DOC=http://127.0.0.1:$DOC_PORT
mkdir -p "$tmp/www"
echo "{\"client_id\":\"$DOC/agent.json\",\"client_name\":\"Doc Agent\",\"redirect_uris\":[\"http://localhost:7777/cb\"],\"token_endpoint_auth_method\":\"none\"}" >"$tmp/www/agent.json"
echo "{\"client_id\":\"$DOC/other.json\",\"redirect_uris\":[\"http://localhost:7777/cb\"]}" >"$tmp/www/liar.json"
echo "not json" >"$tmp/www/garbage.json"
python3 -m http.server "$DOC_PORT" --bind 127.0.0.1 --directory "$tmp/www" >/dev/null 2>&1 &
pids+=($!)

if ! start_ready main --listen 127.0.0.1:0 --login-mode auto --allow-http-metadata; then
  not_ok "authemu --login-mode auto --allow-http-metadata starts"
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
# A client ID metadata document as the client_id: sign-in, code, token.
enc() { jq -rn --arg v "$1" '$v|@uri'; }
VER=dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk; CH=E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM
LOC=$(curl -sS -m 5 -o /dev/null -w '%{redirect_url}' "$ISSUER/authorize?response_type=code&client_id=$(enc "$DOC/agent.json")&redirect_uri=$(enc http://localhost:7777/cb)&scope=mcp:tools&code_challenge=$CH&code_challenge_method=S256&resource=$(enc https://mcp.example/mcp)")
CODE=$(sed -n 's/.*[?&]code=\([^&]*\).*/\1/p' <<<"$LOC")
check "a metadata-document client is signed in (auto) and gets a code" test -n "$CODE"
R=$(curl -sS -m 5 -d grant_type=authorization_code -d "code=$CODE" -d "client_id=$DOC/agent.json" -d redirect_uri=http://localhost:7777/cb \
  -d "code_verifier=$VER" "$ISSUER/oauth/token")
check_eq "… and its token, aud the resource" '["https://mcp.example/mcp"]' "$(jq -r .access_token <<<"$R" | cut -d. -f2 | base64 -d 2>/dev/null | jq -c .aud)"
for c in "liar.json|names client_id" "garbage.json|is not a JSON object" "missing.json|answered HTTP 404"; do
  P=$(curl -sS -m 5 -w ' %{http_code}' "$ISSUER/authorize?response_type=code&client_id=$(enc "$DOC/${c%|*}")&redirect_uri=$(enc http://localhost:7777/cb)&scope=x")
  check "a document that ${c#*|}: 400 on the error page, not redirected" bash -c "grep -q '${c#*|}' <<<'$P' && [ '${P##* }' = 400 ]"
done
check_eq "discovery: client_id_metadata_document_supported" true "$(curl -sS -m 5 "$ISSUER/.well-known/openid-configuration" | jq .client_id_metadata_document_supported)"

N=$(curl -sS -m 5 -H "Authorization: Bearer $T" "$ISSUER/clients" | jq '.data | length')
check_eq "refused registrations stored nothing (the SDK's client, three machine clients and the document's remain)" 5 "$N"
finish
