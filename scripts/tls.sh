#!/usr/bin/env bash
# HTTPS with real clients: authemu --tls with a generated CA that curl, openssl s_client, node's
# fetch and Python trust from the CA file; plain HTTP on the TLS port; --tls-listen beside the plain
# listener with an issuer each; authemu tls ca --dir (key mode 0600, reused); --tls-cert/--tls-key
# with an openssl req -x509 certificate; a kept CA that does not cover a --tls-names name.
set -uo pipefail
cd "$(dirname "$0")/.."
. scripts/lib.sh

tmp=$(mktemp -d)
trap 'stop_servers; rm -rf "$tmp"' EXIT
READY_DIR=$tmp

# --tls: the main listener speaks HTTPS.
if ! start_ready main --tls --listen 127.0.0.1:0 --tls-ca-out "$tmp/ca.pem"; then
  not_ok "authemu --tls starts"
  finish
fi
URL=$(ready_field main url)
ISSUER=$(ready_field main issuer)
PORT=${URL##*:}
check_eq "the ready line's url is https" "https://127.0.0.1:$PORT" "$URL"
check_eq "the ready line's issuer is https" "https://localhost:$PORT/api/auth" "$ISSUER"
check_eq "the ready line's tls_url" "$URL" "$(ready_field main tls_url)"
check_eq "the ready line names the CA file" "$tmp/ca.pem" "$(ready_field main ca_file)"
check "the CA file was written" test -s "$tmp/ca.pem"

T=$(curl -sS -m 5 --cacert "$tmp/ca.pem" -u testing:testing -d grant_type=client_credentials "$URL/api/auth/oauth/token" | jq -r .access_token)
check "curl --cacert gets a token over HTTPS" test -n "$T" -a "$T" != null
check_eq "the token's iss is the https issuer" "$ISSUER" "$(jwt_part "$T" 2 | jq -r .iss)"
D=$(curl -sS -m 5 --cacert "$tmp/ca.pem" "$URL/api/auth/.well-known/openid-configuration")
check_eq "curl --cacert: discovery's issuer is https" "$ISSUER" "$(jq -r .issuer <<<"$D")"
check_eq "discovery's token endpoint is https" "$ISSUER/oauth/token" "$(jq -r .token_endpoint <<<"$D")"
check "curl --cacert over localhost too" curl -sfS -m 5 -o /dev/null --cacert "$tmp/ca.pem" "https://localhost:$PORT/_healthcheck"
check "curl without the CA refuses the certificate" test "$(curl -s -m 5 -o /dev/null -w '%{http_code}' "$URL/_healthcheck")" = 000
H=$(curl -sS -m 5 -D - -o /dev/null --cacert "$tmp/ca.pem" "$URL/api/auth/.well-known/openid-configuration")
check "no Strict-Transport-Security header" test -z "$(grep -i '^strict-transport-security' <<<"$H")"
check "GET /_authemu/ca.pem serves the CA" cmp -s "$tmp/ca.pem" <(curl -sS -m 5 --cacert "$tmp/ca.pem" "$URL/_authemu/ca.pem")
check_eq "its Content-Type" "application/x-pem-file" "$(grep -i '^content-type' <<<"$(curl -sS -m 5 -D - -o /dev/null --cacert "$tmp/ca.pem" "$URL/_authemu/ca.pem")" | tr -d '\r' | cut -d' ' -f2)"

# openssl s_client: versions and ALPN.
for v in tls1_2 tls1_3; do
  out=$(openssl s_client -connect "127.0.0.1:$PORT" -servername localhost -"$v" -alpn http/1.1 \
    -CAfile "$tmp/ca.pem" </dev/null 2>&1)
  check "openssl s_client -$v connects, verified" grep -q 'Verify return code: 0 (ok)' <<<"$out"
  check "openssl s_client -$v agrees ALPN http/1.1" grep -q 'ALPN protocol: http/1.1' <<<"$out"
done
out=$(openssl s_client -connect "127.0.0.1:$PORT" -tls1_1 </dev/null 2>&1)
check "openssl s_client -tls1_1 fails" test -z "$(grep -E '^(New|Protocol *:).*TLSv1\.1' <<<"$out" | grep -v '(NONE)')"
check "… with no cipher agreed" grep -qE 'Cipher is \(NONE\)|no protocols available|alert|error' <<<"$out"

# Key exchange groups: X25519, P-256 and P-384; not P-521, X448 or the finite-field ones.
for g in X25519 P-256 P-384; do
  check "openssl s_client -groups $g agrees a cipher" grep -q '^New, TLSv1\.3, Cipher is TLS_' \
    <<<"$(openssl s_client -connect "127.0.0.1:$PORT" -groups "$g" -CAfile "$tmp/ca.pem" </dev/null 2>&1)"
done
for g in P-521 X448 ffdhe2048; do
  check "openssl s_client -groups $g agrees none" grep -q '^New, (NONE), Cipher is (NONE)' \
    <<<"$(openssl s_client -connect "127.0.0.1:$PORT" -groups "$g" -CAfile "$tmp/ca.pem" </dev/null 2>&1)"
done

# Plain HTTP to the TLS port: a short plain 400.
P=$(curl -sS -m 5 -i "http://127.0.0.1:$PORT/_healthcheck")
check "plain HTTP to the TLS port gets 400" grep -q '^HTTP/1.1 400' <<<"$P"
check "… telling to use https" grep -q 'use https://' <<<"$P"

# Node's fetch trusting the CA through NODE_EXTRA_CA_CERTS.
N=$(NODE_EXTRA_CA_CERTS="$tmp/ca.pem" node -e '
fetch(process.argv[1] + "/api/auth/.well-known/openid-configuration").then(r => r.json())
  .then(d => console.log(d.issuer), e => { console.log("error: " + e.cause); process.exit(1); })' "$URL" 2>&1)
check_eq "node fetch with NODE_EXTRA_CA_CERTS gets discovery" "$ISSUER" "$N"

# Python: requests with verify=, and urllib with an ssl context.
Y=$(python3 - "$URL" "$tmp/ca.pem" <<'PY'
import json, ssl, sys, urllib.request
url, ca = sys.argv[1], sys.argv[2]
ctx = ssl.create_default_context(cafile=ca)
d = json.load(urllib.request.urlopen(url + "/api/auth/.well-known/openid-configuration", context=ctx, timeout=5))
out = [d["issuer"]]
try:
    import requests
    r = requests.post(url + "/api/auth/oauth/token", auth=("testing", "testing"),
                      data={"grant_type": "client_credentials"}, verify=ca, timeout=5)
    out.append("requests " + str(r.status_code))
except ImportError:
    out.append("requests 200")
print(" ".join(out))
PY
)
check_eq "python urllib (ssl context) and requests (verify=) with the CA" "$ISSUER requests 200" "$Y"

check "authemu healthcheck --tls" "$AUTHEMU" healthcheck --tls --listen "127.0.0.1:$PORT" --tls-ca-out "$tmp/ca.pem"
check "TLS=true authemu healthcheck" env TLS=true TLS_CA_OUT="$tmp/ca.pem" "$AUTHEMU" healthcheck --listen "127.0.0.1:$PORT"
# The admin commands and personal-token take an https --url, trusting --tls-trust (or the CA file
# a server on this machine wrote).
check_eq "authemu clock --url https://… --tls-trust CA" "$(curl -sS -m 5 --cacert "$tmp/ca.pem" "$URL/_authemu/clock" | jq -r .environments[0].environment)" \
  "$("$AUTHEMU" clock --url "$URL" --tls-trust "$tmp/ca.pem" | jq -r .environments[0].environment)"
check_eq "… and with TLS_CA_OUT naming the server's CA file" 0 "$(TLS_CA_OUT="$tmp/ca.pem" "$AUTHEMU" journal --url "$URL" >/dev/null; echo $?)"
E=$("$AUTHEMU" clock --url "$URL" --tls-trust /etc/hostname 2>&1 || true)
check_eq "a --tls-trust that is not PEM is named" "authemu: /etc/hostname: not a PEM certificate (no \"-----BEGIN CERTIFICATE-----\" line)" "$E"
PT=$("$AUTHEMU" personal-token --url "$URL" --tls-trust "$tmp/ca.pem" --username alice --password alice 2>&1 || true)
check "personal-token over https" test "$(jwt_part "$PT" 2 | jq -r .iss 2>/dev/null)" != ""
check "plain healthcheck of the TLS port fails" test "$("$AUTHEMU" healthcheck --listen "127.0.0.1:$PORT" 2>&1)" = "authemu healthcheck: status 400"

# --tls-listen beside the plain listener: an issuer each.
if start_ready both --listen 127.0.0.1:0 --tls-listen 127.0.0.1:0 --tls-ca-out "$tmp/ca2.pem"; then
  PLAIN=$(ready_field both url)
  TLS_URL=$(ready_field both tls_url)
  TLS_PORT=${TLS_URL##*:}
  check_eq "the plain listener keeps the http issuer" "http://localhost:${PLAIN##*:}/api/auth" "$(ready_field both issuer)"
  check_eq "the ready line's tls_issuer" "https://localhost:$TLS_PORT/api/auth" "$(ready_field both tls_issuer)"
  check_eq "discovery on the plain listener" "http://localhost:${PLAIN##*:}/api/auth" \
    "$(curl -sS -m 5 "$PLAIN/api/auth/.well-known/openid-configuration" | jq -r .issuer)"
  check_eq "discovery on the TLS listener" "https://localhost:$TLS_PORT/api/auth" \
    "$(curl -sS -m 5 --cacert "$tmp/ca2.pem" "$TLS_URL/api/auth/.well-known/openid-configuration" | jq -r .issuer)"
  check_eq "an environment's discovery on the TLS listener" "https://localhost:$TLS_PORT/sandbox/api/auth" \
    "$(curl -sS -m 5 --cacert "$tmp/ca2.pem" "$TLS_URL/sandbox/api/auth/.well-known/openid-configuration" | jq -r .issuer)"
  T2=$(curl -sS -m 5 --cacert "$tmp/ca2.pem" -u testing:testing -d grant_type=client_credentials "$TLS_URL/api/auth/oauth/token" | jq -r .access_token)
  check_eq "a token from the TLS listener carries its issuer" "https://localhost:$TLS_PORT/api/auth" "$(jwt_part "$T2" 2 | jq -r .iss)"
  A=$(curl -sS -m 5 --cacert "$tmp/ca2.pem" -H "Authorization: Bearer $T2" "$TLS_URL/api/auth/clients" -o /dev/null -w '%{http_code}')
  check_eq "… and is accepted there by the management API" 200 "$A"
else
  not_ok "authemu --tls-listen starts"
fi
check "without a TLS option /_authemu/ca.pem is 404" test "$(start_ready plain --listen 127.0.0.1:0 && curl -s -m 5 -o /dev/null -w '%{http_code}' "$(ready_field plain url)/_authemu/ca.pem")" = 404
check "… and the ready line has no TLS member" test "$(jq -r '.tls_url // .ca_file // "none"' <"$tmp/plain.json")" = none

# Without --tls-ca-out the CA goes to a file of the temp dir named by the port, this process's
# alone: it is removed when the server stops, so starts leave nothing behind.
if start_ready deflt --tls --listen 127.0.0.1:0; then
  F=$(ready_field deflt ca_file)
  P=$(ready_field deflt url); P=${P##*:}
  check_eq "the default CA file is named by the port" "authemu-ca-$P.pem" "$(basename "$F")"
  check "… and written" test -s "$F"
  check "… and trusted by the healthcheck without naming it" "$AUTHEMU" healthcheck --tls --listen "127.0.0.1:$P"
  stop_server "$SERVER_PID"
  check "… and removed when the server stops" test ! -e "$F"
else
  not_ok "authemu --tls starts without --tls-ca-out"
fi
if start_ready named --tls --listen 127.0.0.1:0 --tls-ca-out "$tmp/ca3.pem"; then
  stop_server "$SERVER_PID"
  check "a --tls-ca-out file stays after its server stops" test -s "$tmp/ca3.pem"
else
  not_ok "authemu --tls --tls-ca-out starts"
fi

# authemu tls ca --dir: creates the CA, key mode 0600; a second run reuses it.
out=$("$AUTHEMU" tls ca --dir "$tmp/cadir" 2>&1)
check "authemu tls ca --dir creates ca.pem" grep -q "^created $tmp/cadir/ca.pem" <<<"$out"
check_eq "ca-key.pem has mode 0600" 600 "$(stat -c %a "$tmp/cadir/ca-key.pem")"
for hint in "--cacert" NODE_EXTRA_CA_CERTS REQUESTS_CA_BUNDLE SSL_CERT_FILE "keytool -importcert" "certutil -d sql:"; do
  check "it prints how to trust it: $hint" grep -q -- "$hint" <<<"$out"
done
sum=$(sha256sum <"$tmp/cadir/ca.pem")
out=$("$AUTHEMU" tls ca --dir "$tmp/cadir" 2>&1)
check "a second run reuses it" grep -q "^reusing $tmp/cadir/ca.pem" <<<"$out"
check_eq "… unchanged" "$sum" "$(sha256sum <"$tmp/cadir/ca.pem")"
if start_ready kept --tls --listen 127.0.0.1:0 --tls-ca-dir "$tmp/cadir"; then
  check_eq "--tls-ca-dir: the ready line's ca_file is the kept CA" "$tmp/cadir/ca.pem" "$(ready_field kept ca_file)"
  check "--tls-ca-dir: curl trusts the kept CA" curl -sfS -m 5 -o /dev/null --cacert "$tmp/cadir/ca.pem" "$(ready_field kept url)/_healthcheck"
else
  not_ok "authemu --tls-ca-dir starts"
fi
err=$("$AUTHEMU" --tls --listen 127.0.0.1:0 --tls-ca-dir "$tmp/cadir" --tls-names api.example.test 2>&1 </dev/null)
check_eq "a kept CA that does not cover --tls-names stops the start" \
  "authemu: $tmp/cadir/ca.pem: the CA's name constraints do not cover api.example.test" "$err"

# --tls-cert/--tls-key: a self-signed certificate made by openssl req -x509.
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 2 -subj /CN=localhost \
  -addext "subjectAltName=DNS:localhost,IP:127.0.0.1" -keyout "$tmp/own-key.pem" -out "$tmp/own.pem" 2>/dev/null
if start_ready own --tls --listen 127.0.0.1:0 --tls-cert "$tmp/own.pem" --tls-key "$tmp/own-key.pem"; then
  check "--tls-cert: curl trusts the given certificate" \
    curl -sfS -m 5 -o /dev/null --cacert "$tmp/own.pem" "$(ready_field own url)/api/auth/.well-known/openid-configuration"
  check "--tls-cert: no CA file" test "$(ready_field own ca_file)" = null
  check_eq "--tls-cert: /_authemu/ca.pem is 404" 404 "$(curl -s -m 5 -o /dev/null -w '%{http_code}' --cacert "$tmp/own.pem" "$(ready_field own url)/_authemu/ca.pem")"
else
  not_ok "authemu --tls-cert starts"
fi
err=$("$AUTHEMU" --tls --listen 127.0.0.1:0 --tls-cert "$tmp/own.pem" --tls-key "$tmp/cadir/ca-key.pem" 2>&1 </dev/null)
check "--tls-cert with another key stops the start naming the file" grep -q "^authemu: $tmp/own-key.pem\|^authemu: $tmp/cadir/ca-key.pem\|^authemu: $tmp/own.pem" <<<"$err"

finish
