#!/usr/bin/env bash
# TIBCO FTL and EMS end to end with the embedded default (docs/ftl.md): the three
# ways FTL gets a token, the exported server YAML checked key by key against the running server
# (scripts/ftl_check.py, PyJWT), the key files of `authemu export`, and an issuer made at run
# time, used and thrown away.
set -uo pipefail
cd "$(dirname "$0")/.."
. scripts/lib.sh
PY=/usr/bin/python3
tmp=$(mktemp -d)
trap 'stop_servers; rm -rf "$tmp"' EXIT

start_server || { not_ok "server starts"; finish; }
ok "server starts with the embedded default"
export AUTHEMU_URL=$URL

$AUTHEMU export ftl --url "$URL" >"$tmp/ftl.yaml"
check_eq "export ftl from the running server exits 0" "0" "$?"
MINTED=$($AUTHEMU mint client_id=ftl-client expires_in=24h)
run_checks $PY scripts/ftl_check.py "$ISSUER" "$tmp/ftl.yaml" "$MINTED"

# Key files: from the server, and from the fixtures without one (the embedded test key).
$AUTHEMU export jwks --url "$URL" --out "$tmp/jwks.json"
check_eq "export jwks --out writes the server's JWKS" "$(curl -s "$ISSUER/keys")" "$(cat "$tmp/jwks.json")"
check_eq "export pem writes keys.pem" "$(curl -s "$ISSUER/keys.pem")" "$(env -u AUTHEMU_URL $AUTHEMU export pem --url "$URL")"
check_eq "export jwks without a server gives the same key" "$(jq -c .keys[0].kid "$tmp/jwks.json")" \
  "$(env -u AUTHEMU_URL $AUTHEMU export jwks | jq -c .keys[0].kid)"
check_eq "the PEM is an RSA public key openssl reads" "Public-Key: (2048 bit)" \
  "$(curl -s "$ISSUER/keys.pem" | openssl pkey -pubin -noout -text | head -1)"
check_eq "the sandbox's keys.pem is its own" "$($AUTHEMU export pem --environment sandbox)" \
  "$(curl -s "$URL/sandbox/api/auth/keys.pem")"

# An issuer made at run time: created, used, thrown away.
OUT=$($AUTHEMU environments add ci-run signingAlgorithm=ES256 \
  'clients:=[{"id":"svc","secrets":["svc"],"groups":["ftl"],"username":"svc","audience":"ftl"}]')
check_eq "environments add answers with the issuer" "${ISSUER%/api/auth}/ci-run/api/auth" "$(jq -r .issuer <<<"$OUT")"
TOKEN=$(curl -s -u svc:svc -d grant_type=client_credentials "$URL/ci-run/api/auth/oauth/token" | jq -r .access_token)
check_eq "its client's token carries its group" '["ftl"]' "$(jwt_part "$TOKEN" 2 | jq -c .group)"
check_eq "its JWKS holds its ES256 key" "ES256" "$(curl -s "$URL/ci-run/api/auth/keys" | jq -r '.keys[0].alg')"
ERR=$($AUTHEMU environments add bad 'clients:=[{"secrets":["x"]}]' 2>&1)
check_eq "a bad environment is refused with the fixture's message" \
  "authemu environments: 400 VALIDATION: clients[0].id: required" "$ERR"
check_eq "environments list shows it" "true" \
  "$($AUTHEMU environments list | jq '[.environments[].name] | index("ci-run") != null')"
$AUTHEMU environments rm ci-run
check_eq "environments rm removes it" "404" \
  "$(curl -s -o /dev/null -w '%{http_code}' "$URL/ci-run/api/auth/.well-known/openid-configuration")"
$AUTHEMU environments add again >/dev/null
$AUTHEMU reset >/dev/null
check_eq "reset removes those made at run time" "404" \
  "$(curl -s -o /dev/null -w '%{http_code}' "$URL/again/api/auth/keys")"
finish
