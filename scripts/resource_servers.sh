#!/usr/bin/env bash
# The resource-server examples (docs/resource-servers.md, or wherever the README moves them): each
# block marked <!-- resource-server: KIND FILE --> in README.md or docs/*.md, against a running
# authemu, with localhost:8080 turned into its port.
#   run:     express (express + express-oauth2-jwt-bearer from build/node), pyjwt (Debian's
#            python3-jwt): a user's token accepted and its user name and groups read, a minted
#            wrong-audience token and an expired one refused (express also: a group check).
#   values:  spring, aspnet, go, ftl, kubernetes have no runtime here (no JVM, .NET, go-oidc v3 or
#            module proxy, FTL/EMS, API server): their issuer must equal discovery's, their JWKS URL
#            discovery's jwks_uri, their audience be in a real token's aud and their claim names be
#            claims of a real token; for kubernetes the issuer of authemu's TLS listener under the
#            --base-url, started with the block's own flags, reached with the CA of its --tls-ca-dir,
#            and the kubectl token the block's curl gets from it.
set -uo pipefail
cd "$(dirname "$0")/.."
. scripts/lib.sh
PY=/usr/bin/python3
tmp=$(mktemp -d)
trap 'stop_servers; rm -rf "$tmp"' EXIT

start_server || { not_ok "server starts"; finish; }
PORT=${URL##*:}
DISCOVERY=$(curl -s "$ISSUER/.well-known/openid-configuration")
JWKS_URI=$(jq -r .jwks_uri <<<"$DISCOVERY")

# Each marked block into $tmp/blocks/KIND/FILE, the server's port in place of 8080.
$PY - "$tmp/blocks" "$PORT" README.md docs/*.md <<'PY' || not_ok "the marked blocks are read" "see above"
import os, re, sys
out, port, files = sys.argv[1], sys.argv[2], sys.argv[3:]
seen = {}
for path in files:
    for m in re.finditer(r"<!-- resource-server: (\w+) (\S+) -->\n```\w*\n(.*?)\n```", open(path).read(), re.S):
        kind, name, body = m.groups()
        if (kind, name) in seen:
            sys.exit("resource-server %s %s is marked in %s and in %s" % (kind, name, seen[(kind, name)], path))
        seen[(kind, name)] = path
        os.makedirs(os.path.join(out, kind), exist_ok=True)
        open(os.path.join(out, kind, name), "w").write(body.replace("localhost:8080", "localhost:" + port) + "\n")
PY
for kind in spring aspnet express pyjwt go ftl kubernetes; do
  check "a $kind example is marked in README.md or docs/" test -n "$(ls "$tmp/blocks/$kind" 2>/dev/null)"
done
block() { cat "$tmp/blocks/$1/$2" 2>/dev/null; }
# claim TOKEN NAME: the claim's JSON value in the token ("null" when absent).
claim() { jwt_part "$1" 2 | jq -c --arg n "$2" '.[$n]'; }
has_claim() { [ "$(claim "$1" "$2")" != null ]; }
in_aud() { jwt_part "$1" 2 | jq -e --arg a "$2" '.aud | index($a) != null' >/dev/null; }
mint() { curl -s -H 'Content-Type: application/json' -d "$1" "$URL/_authemu/mint" | jq -r .access_token; }
password_token() {
  curl -s -u "$1" -d grant_type=password -d username="$2" -d password="$2" "$ISSUER/oauth/token" | jq -r .access_token
}
ALICE=$(password_token testing:testing alice)
BOB=$(password_token testing:testing bob)
FTL=$(curl -s -u ftl-client:ftl-client -d grant_type=client_credentials "$ISSUER/oauth/token" | jq -r .access_token)
WRONG_AUD=$(mint '{"user":"alice","case":"wrong_audience"}')
EXPIRED=$(mint '{"user":"alice","case":"expired"}')

# express: the server as printed, on a free port instead of 3000.
mkdir -p "$tmp/express" && ln -s "$PWD/build/node/node_modules" "$tmp/express/node_modules"
block express server.mjs |
  sed 's/app\.listen(3000);/const server = app.listen(0, () => console.log("listening", server.address().port));/' \
  >"$tmp/express/server.mjs"
if spawn_ready "$tmp/express.out" '^listening' node "$tmp/express/server.mjs"; then
  EXPRESS=http://127.0.0.1:$(awk '/^listening/ {print $2}' "$tmp/express.out")
  status() { curl -s -o "$tmp/express.body" -w '%{http_code}' ${2:+-H "Authorization: Bearer $2"} "$EXPRESS$1"; }
  check_eq "express: alice's token is accepted" 200 "$(status /me "$ALICE")"
  check_eq "express: it reads her user name and groups" '{"user":"alice","group":["ftl-admin","ftl"]}' \
    "$(jq -c '{user, group}' "$tmp/express.body")"
  check_eq "express: her group ftl-admin passes claimIncludes" 200 "$(status /admin "$ALICE")"
  check_eq "express: bob, without it, is refused" 401 "$(status /admin "$BOB")"
  check_eq "express: a wrong-audience token is refused" 401 "$(status /me "$WRONG_AUD")"
  check_eq "express: an expired token is refused" 401 "$(status /me "$EXPIRED")"
  check_eq "express: no token is refused" 401 "$(status /me "")"
else
  not_ok "express: the example starts" "$(cat "$tmp/express.out")"
fi

# PyJWT: the module as printed, called with each token.
block pyjwt verify.py >"$tmp/verify.py"
run_checks env PYTHONPATH="$tmp" $PY - "$ALICE" "$WRONG_AUD" "$EXPIRED" <<'PY'
import sys, jwt, verify
alice, wrong_aud, expired = sys.argv[1:]
failed = 0
def check(name, ok, detail=""):
    global failed
    print(("ok - " if ok else "not ok - ") + name + ("" if ok else ": " + detail))
    failed += not ok
try:
    got = verify.verify(alice)
except jwt.InvalidTokenError as e:
    got = "refused: %r" % e
check("pyjwt: alice's token is accepted, her name and groups read", got == ("alice", ["ftl-admin", "ftl"]), repr(got))
for name, token, error in (("wrong-audience", wrong_aud, jwt.InvalidAudienceError),
                           ("expired", expired, jwt.ExpiredSignatureError)):
    try:
        verify.verify(token)
        check("pyjwt: a %s token is refused" % name, False, "accepted")
    except error:
        check("pyjwt: a %s token is refused" % name, True)
sys.exit(1 if failed else 0)
PY

# values: VALUE equals the server's.
value_eq() { check_eq "$1" "$2" "$3"; }
claim_check() { check "$1: claim $2 is in the token" has_claim "$3" "$2"; }
array_claim() { check_eq "$1: claim $2 is a JSON array" array "$(jwt_part "$3" 2 | jq -r --arg n "$2" '.[$n] | type')"; }

# spring: application.yml and the decoder bean.
SPRING=$(block spring application.yml | $PY -c 'import json, sys, yaml; print(json.dumps(yaml.safe_load(sys.stdin)))' |
  jq -c '.["spring.security.oauth2.resourceserver.jwt"]')
value_eq "spring: issuer-uri is discovery's issuer" "$ISSUER" "$(jq -r '.["issuer-uri"]' <<<"$SPRING")"
value_eq "spring: jwk-set-uri is discovery's jwks_uri" "$JWKS_URI" "$(jq -r '.["jwk-set-uri"]' <<<"$SPRING")"
check "spring: audiences are in alice's aud" in_aud "$ALICE" "$(jq -r '.audiences[0]' <<<"$SPRING")"
claim_check spring "$(jq -r '.["principal-claim-name"]' <<<"$SPRING")" "$ALICE"
array_claim spring "$(jq -r '.["authorities-claim-name"]' <<<"$SPRING")" "$ALICE"
JAVA=$(block spring JwtConfig.java)
value_eq "spring: the bean's issuer is discovery's" "String issuer = \"$ISSUER\";" "$(grep -o 'String issuer = "[^"]*";' <<<"$JAVA")"
value_eq "spring: the bean allows the tokens' typ" "List.of(\"$(jwt_part "$ALICE" 1 | jq -r .typ)\")" \
  "$(grep -o 'JwtTypeValidator(List.of("[^"]*"))' <<<"$JAVA" | sed 's/JwtTypeValidator(//; s/)$//')"
check "spring: the bean's audience is in alice's aud" in_aud "$ALICE" "$(grep -o 'aud.contains("[^"]*")' <<<"$JAVA" | cut -d'"' -f2)"

# aspnet: o.Name = "value"; lines.
cs() { block aspnet Program.cs | grep -oE "\\b$1 = \"[^\"]*\"" | cut -d'"' -f2; }
value_eq "aspnet: Authority is discovery's issuer" "$ISSUER" "$(cs Authority)"
check "aspnet: Audience is in alice's aud" in_aud "$ALICE" "$(cs Audience)"
value_eq "aspnet: NameClaimType gives alice" '"alice"' "$(claim "$ALICE" "$(cs NameClaimType)")"
array_claim aspnet "$(cs RoleClaimType)" "$ALICE"

# go: the issuer of NewProvider, the ClientID, the json tags of the claims struct.
GO=$(block go verify.go)
value_eq "go: NewProvider's issuer is discovery's" "$ISSUER" "$(grep -o 'NewProvider(ctx, "[^"]*")' <<<"$GO" | cut -d'"' -f2)"
check "go: ClientID is in alice's aud" in_aud "$ALICE" "$(grep -o 'ClientID: "[^"]*"' <<<"$GO" | cut -d'"' -f2)"
value_eq "go: the claims struct reads alice and her groups" '"alice" ["ftl-admin","ftl"]' \
  "$(for t in $(grep -o 'json:"[^"]*"' <<<"$GO" | cut -d'"' -f2); do claim "$ALICE" "$t"; done | paste -sd' ')"

# ftl: the cluster file's keys, and tibemsd.conf's.
FTLCONF=$(block ftl ftl-oauth2.yaml | $PY -c 'import json, sys, yaml; print(json.dumps(yaml.safe_load(sys.stdin)))')
g() { jq -r --arg k "$1" '.globals[$k]' <<<"$FTLCONF"; }
check "ftl: oauth2.audience is in ftl-client's aud" in_aud "$FTL" "$(g oauth2.audience)"
value_eq "ftl: oauth2.claim.username gives ftl-client" '"ftl-client"' "$(claim "$FTL" "$(g oauth2.claim.username)")"
array_claim ftl "$(g oauth2.claim.roles)" "$FTL"
value_eq "ftl: oauth2.validation.key is discovery's jwks_uri" "$JWKS_URI" \
  "$(jq -r '.servers.FTL1[0]["ftlserver.properties"]["oauth2.validation.key"]' <<<"$FTLCONF")"
ems() { block ftl tibemsd.conf | awk -F' *= *' -v k="$1" '$1 == k {print $2}'; }
value_eq "ems: oauth2_server_validation_key is discovery's jwks_uri" "$JWKS_URI" "$(ems oauth2_server_validation_key)"
value_eq "ems: oauth2_user_claim gives ftl-client" '"ftl-client"' "$(claim "$FTL" "$(ems oauth2_user_claim)")"
array_claim ems "$(ems oauth2_group_claim)" "$FTL"
check "ems: oauth2_audience is in ftl-client's aud" in_aud "$FTL" "$(ems oauth2_audience)"

# kubernetes: authemu started as the block starts it (a free port for 8443, its CA directory here),
# the API server's flags against it, and the token of the kubectl block's curl.
K8S=$(block kubernetes kube-apiserver.txt)
flag() { grep -oE -- "--$1[= ][^ ]+" <<<"$K8S" | head -1 | sed -E "s/^--$1[= ]//"; }
K_ISSUER=$(flag oidc-issuer-url)
HOST=$(sed -E 's#^https://([^:/]+).*#\1#' <<<"$K_ISSUER")
CA_DIR=$(flag tls-ca-dir)
check_eq "kubernetes: --oidc-issuer-url is https" https "${K_ISSUER%%://*}"
check_eq "kubernetes: authemu's --base-url is --oidc-issuer-url" "$K_ISSUER" "$(flag base-url)"
check_eq "kubernetes: --oidc-ca-file is ca.pem of authemu's --tls-ca-dir" "$CA_DIR/ca.pem" "$(flag oidc-ca-file)"
K_PORT=$($PY -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
read -ra K_ARGS <<<"$(grep -m1 '^authemu ' <<<"$K8S" | sed -e 's/^authemu //' -e "s#0\.0\.0\.0:8443#127.0.0.1:$K_PORT#" \
  -e "s#:8443/#:$K_PORT/#g" -e "s#$CA_DIR#$tmp/ca#")"
if start_command "$AUTHEMU" --quiet "${K_ARGS[@]}" && [ -n "$TLS_URL" ]; then
  ISSUER_HERE=${K_ISSUER/:8443\//:$K_PORT/}
  value_eq "kubernetes: discovery over TLS, trusting the CA file, names the flag's issuer" "$ISSUER_HERE" \
    "$(curl -s --cacert "$tmp/ca/ca.pem" --resolve "$HOST:$K_PORT:127.0.0.1" "$ISSUER_HERE/.well-known/openid-configuration" |
      jq -r .issuer)"
  FETCH=$(block kubernetes kubectl-token.txt | tr -d '\\\n' | sed -E 's/.*\$\((curl .*)\)".*/\1/' |
    sed -e "s#--cacert $CA_DIR/ca.pem#--cacert $tmp/ca/ca.pem --resolve $HOST:$K_PORT:127.0.0.1#" -e "s#:8443/#:$K_PORT/#")
  IDT=$(bash -c "$FETCH")
  value_eq "kubernetes: the kubectl token's iss is the flag's issuer" "\"$ISSUER_HERE\"" "$(claim "$IDT" iss)"
  check "kubernetes: --oidc-client-id is in its aud" in_aud "$IDT" "$(flag oidc-client-id)"
  value_eq "kubernetes: --oidc-username-claim gives alice" '"alice"' "$(claim "$IDT" "$(flag oidc-username-claim)")"
  value_eq "kubernetes: --oidc-groups-claim gives her groups" '["ftl-admin","ftl"]' "$(claim "$IDT" "$(flag oidc-groups-claim)")"
else
  not_ok "kubernetes: authemu starts with the block's flags" "${K_ARGS[*]}"
fi
# Spring's default (Nimbus) takes only typ JWT: with --access-token-type JWT, as the README says,
# authemu's access tokens carry it, a strict jose check for typ JWT accepts them, the stand-in and
# userinfo still take them, and an ID token is still refused there.
if start_server --access-token-type JWT; then
  AT=$(curl -s -u testing:testing -d grant_type=password -d username=alice -d password=alice -d scope=openid \
    "$ISSUER/oauth/token")
  check "spring: --access-token-type JWT: a check that takes only typ JWT (as Nimbus's) accepts alice's token" \
    bash -c "cd build/node && node --input-type=module -e \"
      import { createRemoteJWKSet, jwtVerify } from 'jose';
      const { payload } = await jwtVerify(process.argv[1], createRemoteJWKSet(new URL('$ISSUER/keys')),
        { issuer: '$ISSUER', audience: 'testing', typ: 'JWT' });
      if (payload.preferred_username !== 'alice') process.exit(1);\" '$(jq -r .access_token <<<"$AT")'"
  value_eq "spring: --access-token-type JWT: the stand-in takes such a token" 200 \
    "$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $(jq -r .access_token <<<"$AT")" "${URL}/api/ledger/v2")"
  value_eq "spring: --access-token-type JWT: an ID token (typ JWT too) is still refused as an access token" 401 \
    "$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $(jq -r .id_token <<<"$AT")" "${URL}/api/ledger/v2")"
else
  not_ok "spring: authemu starts with --access-token-type JWT"
fi
finish
