#!/usr/bin/env bash
# Mutual TLS (RFC 8705) against the built binary, with real clients: a client certificate in one
# line (`authemu tls client-cert`), curl --cert/--key, Python requests with cert=, Node's
# https.Agent with session reuse and openid-client / oauth4webapi (scripts/mtls_node.mjs).
# Certificates authemu did not make come from python3-cryptography (scripts/mtls_certs.py): a team
# CA given by --tls-client-ca and a valid and an expired certificate from it, one from a CA nobody
# trusts, two self-signed ones. Thumbprints are checked against openssl's SHA-256 of the DER.
set -uo pipefail
cd "$(dirname "$0")/.."
. scripts/lib.sh
NODE_DIR=build/node

tmp=$(mktemp -d)
trap 'stop_servers; rm -rf "$tmp"' EXIT
READY_DIR=$tmp
T=$tmp

python3 scripts/mtls_certs.py "$T" || { not_ok "mtls_certs.py makes the certificates"; finish; }
thumb() { openssl x509 -in "$1" -outform der | openssl dgst -sha256 -binary | base64 | tr '+/' '-_' | tr -d '='; }

# The self-signed client's keys by URL: a plain HTTP server on loopback serves jwks.json.
mkdir -p "$T/www" && cp "$T/jwks.json" "$T/www/jwks.json"
JWKS_PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
python3 -m http.server "$JWKS_PORT" --bind 127.0.0.1 --directory "$T/www" >/dev/null 2>&1 &
pids+=($!)

cat >"$T/fixture.yaml" <<YAML
clients:
  - id: testing
    secrets: [testing]
  - id: svc
    tokenEndpointAuthMethod: tls_client_auth
    tlsClientAuthSubjectDn: CN=svc
  - id: svc-dns
    tokenEndpointAuthMethod: tls_client_auth
    tlsClientAuthSanDns: svc.example.test
  - id: bound
    tokenEndpointAuthMethod: tls_client_auth
    tlsClientAuthSubjectDn: CN=svc
    tlsClientCertificateBoundAccessTokens: true
  - id: self
    tokenEndpointAuthMethod: self_signed_tls_client_auth
    jwksUri: http://127.0.0.1:$JWKS_PORT/jwks.json
    tlsClientCertificateBoundAccessTokens: true
  - id: self-x5c
    tokenEndpointAuthMethod: self_signed_tls_client_auth
    jwks: $(cat "$T/self-x5c.json")
users:
  - {username: alice, password: alice}
YAML

if ! start_ready main --tls --listen 127.0.0.1:0 --tls-ca-out "$T/ca.pem" --tls-client-ca "$T/team-ca.pem" \
  --config "$T/fixture.yaml"; then
  not_ok "authemu --tls --tls-client-ca --config starts"
  finish
fi
ISSUER=$(ready_field main issuer)
URL=$(ready_field main url)
CA=$T/ca.pem
TOKEN_URL=$ISSUER/oauth/token

# A client certificate in one line, from the running server's CA.
if out=$("$AUTHEMU" tls client-cert --cn svc --dns svc.example.test --cert "$T/svc.pem" --key "$T/svc-key.pem" --url "$URL" --tls-trust "$CA" 2>&1); then
  ok "authemu tls client-cert writes a certificate and a key"
else
  not_ok "authemu tls client-cert writes a certificate and a key" "$out"
fi
check_eq "the key file is private (0600)" 600 "$(stat -c %a "$T/svc-key.pem" 2>/dev/null)"
curl -sS -m 5 --cacert "$CA" -H 'Content-Type: application/json' -d '{"cn":"api"}' "$URL/_authemu/tls/client-certs" >"$T/issued.json"
jq -r .ca "$T/issued.json" >"$T/client-ca.pem"
check "the certificate chains to the client CA the admin route names (openssl verify)" \
  openssl verify -CAfile "$T/client-ca.pem" -purpose sslclient "$T/svc.pem"
check_eq "the admin route's thumbprint is the SHA-256 of its certificate" \
  "$(jq -r .cert "$T/issued.json" | openssl x509 -outform der | openssl dgst -sha256 -binary | base64 | tr '+/' '-_' | tr -d '=')" \
  "$(jq -r .thumbprint "$T/issued.json")"
check "the command prints the certificate's x5t#S256" grep -q "$(thumb "$T/svc.pem")" <<<"$out"

D=$(curl -sS -m 5 --cacert "$CA" "$ISSUER/.well-known/openid-configuration")
check_eq "discovery lists both RFC 8705 methods" 2 \
  "$(jq '[.token_endpoint_auth_methods_supported[] | select(. == "tls_client_auth" or . == "self_signed_tls_client_auth")] | length' <<<"$D")"
check_eq "discovery: tls_client_certificate_bound_access_tokens" true "$(jq .tls_client_certificate_bound_access_tokens <<<"$D")"

# curl: each outcome with the status and the exact error.
token() { # CERT_ARGS... -- FORM: prints "status body"
  local args=() ; while [ "$1" != -- ]; do args+=("$1"); shift; done; shift
  curl -sS -m 5 --cacert "$CA" "${args[@]}" -o "$T/body" -w '%{http_code}' -d "$1" "$TOKEN_URL"
  echo " $(cat "$T/body")"
}
R=$(token --cert "$T/svc.pem" --key "$T/svc-key.pem" -- "grant_type=client_credentials&client_id=svc")
check_eq "curl --cert: tls_client_auth by subject DN gets a token" 200 "${R%% *}"
R=$(token --cert "$T/svc.pem" --key "$T/svc-key.pem" -- "grant_type=client_credentials&client_id=svc-dns")
check_eq "curl --cert: tls_client_auth by dNSName SAN gets a token" 200 "${R%% *}"
R=$(token --cert "$T/svc.pem" --key "$T/svc-key.pem" -- "grant_type=client_credentials&client_id=bound")
AT=$(jq -r .access_token <<<"${R#* }")
check_eq "curl --cert: a bound client's token carries cnf x5t#S256 of the certificate" "$(thumb "$T/svc.pem")" \
  "$(jwt_part "$AT" 2 | jq -r '.cnf["x5t#S256"]')"
S=$(curl -sS -m 5 --cacert "$CA" --cert "$T/svc.pem" --key "$T/svc-key.pem" -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $AT" "$URL/api/ledger/_info")
check_eq "the resource takes the bound token with the certificate" 200 "$S"
H=$(curl -sS -m 5 --cacert "$CA" -o /dev/null -D - -H "Authorization: Bearer $AT" "$URL/api/ledger/_info" | tr -d '\r')
check "and refuses it without: 401 invalid_token" grep -q '^HTTP/1.1 401' <<<"$H"
check "its WWW-Authenticate names the binding" grep -qi 'www-authenticate: Bearer.*invalid_token.*bound to a client certificate' <<<"$H"
I=$(curl -sS -m 5 --cacert "$CA" --cert "$T/svc.pem" --key "$T/svc-key.pem" -d "client_id=bound&token=$AT" "$ISSUER/oauth/introspect")
check_eq "introspection, authenticated by the certificate, returns cnf" "$(thumb "$T/svc.pem")" "$(jq -r '.cnf["x5t#S256"]' <<<"$I")"

R=$(token --cert "$T/team-svc.pem" --key "$T/team-svc-key.pem" -- "grant_type=client_credentials&client_id=svc")
check_eq "curl --cert: a certificate from the --tls-client-ca CA gets a token" 200 "${R%% *}"
R=$(token -- "grant_type=client_credentials&client_id=svc")
check_eq "no certificate: 401 invalid_client" "401 invalid_client" "${R%% *} $(jq -r .error <<<"${R#* }")"
R=$(token --cert "$T/other-svc.pem" --key "$T/other-svc-key.pem" -- "grant_type=client_credentials&client_id=svc")
check_eq "a certificate from another CA: 401 invalid_client" "401 invalid_client" "${R%% *} $(jq -r .error <<<"${R#* }")"
check "… whose description says it is not trusted" grep -q 'is not trusted' <<<"$R"
R=$(token --cert "$T/expired.pem" --key "$T/expired-key.pem" -- "grant_type=client_credentials&client_id=svc")
check_eq "an expired certificate from a trusted CA: 401 invalid_client" "401 invalid_client" "${R%% *} $(jq -r .error <<<"${R#* }")"
check "… whose description says when it expired" grep -q 'expired at 2020-01-02T00:00:00Z' <<<"$R"
R=$(token --cert "$T/svc.pem" --key "$T/svc-key.pem" -- "grant_type=client_credentials&client_id=self")
check_eq "another client's certificate: 401 invalid_client" "401 invalid_client" "${R%% *} $(jq -r .error <<<"${R#* }")"

R=$(token --cert "$T/self.pem" --key "$T/self-key.pem" -- "grant_type=client_credentials&client_id=self")
check_eq "self_signed_tls_client_auth: the key from jwksUri matches" 200 "${R%% *}"
check_eq "… and its token is bound to the self-signed certificate" "$(thumb "$T/self.pem")" \
  "$(jwt_part "$(jq -r .access_token <<<"${R#* }")" 2 | jq -r '.cnf["x5t#S256"]')"
R=$(token --cert "$T/self.pem" --key "$T/self-key.pem" -- "grant_type=client_credentials&client_id=self-x5c")
check_eq "self_signed_tls_client_auth: the certificate in a JWK's x5c matches" 200 "${R%% *}"
R=$(token --cert "$T/self2.pem" --key "$T/self2-key.pem" -- "grant_type=client_credentials&client_id=self")
check_eq "another self-signed certificate: 401 invalid_client" "401 invalid_client" "${R%% *} $(jq -r .error <<<"${R#* }")"

# Certificates are made on real time: one valid now still works after the environment's clock
# has travelled past its end (an expired one fails on both clocks, above).
"$AUTHEMU" tls client-cert --cn svc --lifetime 1d --cert "$T/day.pem" --key "$T/day-key.pem" --url "$URL" --tls-trust "$CA" >/dev/null 2>&1
R=$(token --cert "$T/day.pem" --key "$T/day-key.pem" -- "grant_type=client_credentials&client_id=svc")
check_eq "a 1-day certificate works" 200 "${R%% *}"
curl -sS -m 5 --cacert "$CA" -o /dev/null -d '{"advance":"2d"}' -H 'Content-Type: application/json' "$URL/_authemu/clock"
R=$(token --cert "$T/day.pem" --key "$T/day-key.pem" -- "grant_type=client_credentials&client_id=svc")
check_eq "… and still works with the environment's clock two days on (valid at real time)" 200 "${R%% *}"
curl -sS -m 5 --cacert "$CA" -o /dev/null -X POST "$URL/_authemu/reset"

# Python requests with cert=.
run_checks python3 - "$TOKEN_URL" "$CA" "$T/svc.pem" "$T/svc-key.pem" <<'PY'
import sys, requests
sys.path.insert(0, "scripts")
from checks import check, finish
url, ca, cert, key = sys.argv[1:5]
r = requests.post(url, data={"grant_type": "client_credentials", "client_id": "svc"}, cert=(cert, key), verify=ca, timeout=5)
check("python requests cert=: tls_client_auth gets a token", r.status_code == 200 and "access_token" in r.json(), r.text[:200])
r = requests.post(url, data={"grant_type": "client_credentials", "client_id": "svc"}, verify=ca, timeout=5)
check("python requests without cert=: 401 invalid_client", r.status_code == 401 and r.json().get("error") == "invalid_client", r.text[:200])
finish()
PY

# Node: https.Agent with session reuse (TLS 1.3 and 1.2), openid-client and oauth4webapi.
run_checks timeout 30 node scripts/mtls_node.mjs "$ISSUER" "$CA" "$T/svc.pem" "$T/svc-key.pem" "$NODE_DIR"

# --tls-client-certs off: no handshake asks, discovery offers no mutual-TLS method, curl's
# certificate is not sent and the tls_client_auth client is refused.
if start_ready off --tls --tls-client-certs off --listen 127.0.0.1:0 --tls-ca-out "$T/off-ca.pem" --config "$T/fixture.yaml"; then
  OFF=$(ready_field off issuer)
  check_eq "--tls-client-certs off: discovery lists no mutual-TLS method" 0 \
    "$(curl -sS -m 5 --cacert "$T/off-ca.pem" "$OFF/.well-known/openid-configuration" | jq '[.token_endpoint_auth_methods_supported[] | select(test("tls"))] | length')"
  R=$(curl -sS -m 5 --cacert "$T/off-ca.pem" --cert "$T/self.pem" --key "$T/self-key.pem" -d grant_type=client_credentials -d client_id=self "$OFF/oauth/token" | jq -r .error_description)
  check "--tls-client-certs off: no certificate reaches the server" grep -q 'without a client certificate' <<<"$R"
else
  not_ok "authemu --tls --tls-client-certs off starts"
fi

# Behind a TLS-terminating proxy (RFC 8705 §6.5): a plain listener takes the certificate from the
# header the proxy sets, nginx's URL-encoded PEM here, judged against --tls-client-ca.
if start_ready proxied --listen 127.0.0.1:0 --tls-client-cert-header X-SSL-Client-Cert --tls-client-ca "$T/team-ca.pem" \
  --config "$T/fixture.yaml"; then
  P=$(ready_field proxied issuer)
  ENC=$(python3 -c 'import sys, urllib.parse; print(urllib.parse.quote(open(sys.argv[1]).read(), safe=""))' "$T/team-svc.pem")
  R=$(curl -sS -m 5 -H "X-SSL-Client-Cert: $ENC" -d grant_type=client_credentials -d client_id=bound "$P/oauth/token")
  check_eq "--tls-client-cert-header: a forwarded certificate authenticates and binds the token" "$(thumb "$T/team-svc.pem")" \
    "$(jwt_part "$(jq -r .access_token <<<"$R")" 2 | jq -r '.cnf["x5t#S256"]')"
  R=$(curl -sS -m 5 -H "X-SSL-Client-Cert: $(python3 -c 'import sys, urllib.parse; print(urllib.parse.quote(open(sys.argv[1]).read(), safe=""))' "$T/other-svc.pem")" \
    -d grant_type=client_credentials -d client_id=svc "$P/oauth/token" | jq -r .error)
  check_eq "--tls-client-cert-header: a forwarded certificate from an untrusted CA is refused" invalid_client "$R"
  check_eq "--tls-client-cert-header: discovery lists the mutual-TLS methods on plain HTTP" 2 \
    "$(curl -sS -m 5 "$P/.well-known/openid-configuration" | jq '[.token_endpoint_auth_methods_supported[] | select(test("tls"))] | length')"
else
  not_ok "authemu --tls-client-cert-header starts"
fi

# The server was never at risk: it still answers.
check_eq "the server still answers" 200 "$(curl -sS -m 5 --cacert "$CA" -o /dev/null -w '%{http_code}' "$ISSUER/.well-known/openid-configuration")"
finish
