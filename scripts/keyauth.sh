#!/usr/bin/env bash
# Key-based client authentication (RFC 7523: private_key_jwt, client_secret_jwt) and DPoP (RFC
# 9449) against the built binary, with real clients: openid-client v6, oauth4webapi and jose
# (scripts/keyauth_node.mjs), Authlib (scripts/keyauth_authlib.py), and curl for the exact
# refusals. Keys are made by jose; one client reads its keys from a jwksUri on loopback.
set -uo pipefail
cd "$(dirname "$0")/.."
. scripts/lib.sh
NODE_DIR=build/node

tmp=$(mktemp -d)
trap 'stop_servers; rm -rf "$tmp"' EXIT
READY_DIR=$tmp
T=$tmp

node scripts/keyauth_node.mjs keys "$T" "$NODE_DIR" || { not_ok "jose makes the client keys"; finish; }
mkdir -p "$T/www" && cp "$T/jwks-es256.json" "$T/www/jwks.json"
JWKS_PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
python3 -m http.server "$JWKS_PORT" --bind 127.0.0.1 --directory "$T/www" >/dev/null 2>&1 &
pids+=($!)

cat >"$T/fixture.yaml" <<YAML
clients:
  - id: testing
    secrets: [testing]
    trusted: true
  - id: pkjwt
    tokenEndpointAuthMethod: private_key_jwt
    jwks: $(cat "$T/jwks-es256.json")
    grantTypes: [client_credentials]
  - id: pkjwt-multi
    tokenEndpointAuthMethod: private_key_jwt
    jwks: $(cat "$T/jwks-multi.json")
    grantTypes: [client_credentials]
  - id: pkjwt-uri
    tokenEndpointAuthMethod: private_key_jwt
    jwksUri: http://127.0.0.1:$JWKS_PORT/jwks.json
    grantTypes: [client_credentials]
  - id: pkjwt-es256-only
    tokenEndpointAuthMethod: private_key_jwt
    tokenEndpointAuthSigningAlg: ES256
    jwks: $(cat "$T/jwks-multi.json")
    grantTypes: [client_credentials]
  - id: sjwt
    tokenEndpointAuthMethod: client_secret_jwt
    secrets: [a-shared-secret-that-is-32-bytes-long!]
    grantTypes: [client_credentials]
  - id: dpop-public
    public: true
    grantTypes: [password, refresh_token]
    dpopBoundAccessTokens: true
  - id: dpop-nonce
    secrets: [nonce-secret]
    dpopNonce: true
    grantTypes: [password, client_credentials]
users:
  - {username: alice, password: alice}
YAML

if ! start_ready main --listen 127.0.0.1:0 --config "$T/fixture.yaml"; then
  not_ok "authemu --config (private_key_jwt, client_secret_jwt and DPoP clients) starts"
  finish
fi
ISSUER=$(ready_field main issuer)
URL=$(ready_field main url)
TOKEN_URL=$ISSUER/oauth/token

D=$(curl -sS -m 5 "$ISSUER/.well-known/openid-configuration")
check_eq "discovery lists private_key_jwt and client_secret_jwt" 2 \
  "$(jq '[.token_endpoint_auth_methods_supported[] | select(. == "private_key_jwt" or . == "client_secret_jwt")] | length' <<<"$D")"
check_eq "discovery: token_endpoint_auth_signing_alg_values_supported, without EdDSA" \
  "RS256 RS384 RS512 PS256 PS384 PS512 ES256 ES384 ES512 HS256 HS384 HS512" \
  "$(jq -r '.token_endpoint_auth_signing_alg_values_supported | join(" ")' <<<"$D")"
check_eq "discovery: dpop_signing_alg_values_supported, asymmetric only" \
  "RS256 RS384 RS512 PS256 PS384 PS512 ES256 ES384 ES512" "$(jq -r '.dpop_signing_alg_values_supported | join(" ")' <<<"$D")"

run_checks timeout 60 node scripts/keyauth_node.mjs check "$ISSUER" "$T" "$NODE_DIR"
run_checks timeout 30 /usr/bin/python3 scripts/keyauth_authlib.py "$ISSUER" "$T/keys.json"

# The recipes of docs/keyauth.md, as a reader would paste them (blocks marked <!-- recipe: FILE -->): Node
# inside build/node so that openid-client and jose resolve, Python with Debian's packages.
recipes=$PWD/build/node/keyauth-recipes
rm -rf "$recipes"; mkdir -p "$recipes"
doc_text | /usr/bin/python3 -c "$(cat <<'PY'
import re, sys
text = sys.stdin.read()
for name, body in re.findall(r"<!-- recipe: (\S+) -->\n```\w+\n(.*?)\n```", text, re.S):
    open(f"{sys.argv[1]}/{name}", "w").write(body + "\n")
PY
)" "$recipes"
out=$(cd "$recipes" && AUTHEMU_ISSUER=$ISSUER timeout 30 node keyauth.mjs 2>&1)
check_eq "README recipe (Node): openid-client private_key_jwt + DPoP token, the stand-in with a proof" "dpop 200" "$out"
out=$(cd "$recipes" && AUTHEMU_ISSUER=$ISSUER timeout 30 /usr/bin/python3 keyauth.py 2>&1)
check_eq "README recipe (Python): Authlib private_key_jwt, PyJWT proofs, the stand-in" "DPoP 200" "$out"
rm -rf "$recipes"

finish
