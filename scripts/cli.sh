#!/usr/bin/env bash
# The command line as a user meets it: help, start-up errors, fixtures and keys from files and
# environment, the issuer, signals.
set -uo pipefail
cd "$(dirname "$0")/.."
. scripts/lib.sh
tmp=$(mktemp -d)
trap 'stop_servers; rm -rf "$tmp"' EXIT

help=$("$AUTHEMU" --help)
for flag in --listen --base-url --config --signing-key --generate-signing-key --auth-check-scopes --environment \
            --access-token-lifetime --user-token-lifetime --refresh-token-lifetime --role-claim --auth-issuers \
            --threads --debug --quiet; do
  check "--help lists $flag" grep -q -- "$flag" <<<"$help"
done
missing=""
for name in $("$AUTHEMU" --help | grep -oE '^  --[a-z-]+|env [A-Z_]+' | sed 's/^  //; s/^env //'); do
  grep -q -- "\`$name\`" docs/options.md || missing+=" $name"
done
check_eq "every flag and variable --help lists is in the options tables of docs/options.md" "" "$missing"
check_eq "--version" "authemu 0.1.0" "$("$AUTHEMU" --version)"
for cmd in serve healthcheck personal-token bench-sign check-config clock reset mint keys rotate-key fault journal \
           environments export explain; do
  check "authemu $cmd --help prints its own usage" grep -q "^  authemu \\[*$cmd[] ]" <<<"$("$AUTHEMU" "$cmd" --help | sed -n 2p)"
done
check "clock --help lists --url and AUTHEMU_URL, not --listen" \
  bash -c '"$1" clock --help | grep -q -- "--url VALUE" && "$1" clock --help | grep -q AUTHEMU_URL &&
           ! "$1" clock --help | grep -q -- --listen' _ "$AUTHEMU"

# check-config: 0 and a summary, 1 and the error, never serving.
out=$("$AUTHEMU" check-config tests/data/environments.yaml 2>&1); code=$?
check_eq "check-config of a good fixture exits 0" "0" "$code"
check_eq "check-config summarises it" \
  "tests/data/environments.yaml: ok (default: 1 clients, 0 users; staging: 1 clients, 0 users)" "$out"
out=$("$AUTHEMU" check-config tests/data/bad-environment.yaml 2>&1); code=$?
check_eq "check-config of a bad fixture exits 1" "1" "$code"
check_eq "check-config names the environment field's own line" \
  "authemu check-config: tests/data/bad-environment.yaml:6: environments.staging.signingKey: cannot open tests/data/no-such-key.pem: No such file or directory" "$out"
# extends: default: the file adds to the embedded default fixture (without it, it replaces it).
check_eq "check-config counts an extending file with the default it extends" \
  "tests/data/extends-default.yaml: ok (default: 5 clients, 3 users; sandbox: 4 clients, 1 users; staging: 1 clients, 0 users; platform: 3 clients, 1 users)" \
  "$("$AUTHEMU" check-config tests/data/extends-default.yaml 2>&1)"
printf 'extends: default\nclients:\n  - id: mine\n  - id: spa\n' >"$tmp/collides.yaml"
check_eq "extends: default: an id the default has stops start-up, naming both places" \
  "authemu: $tmp/collides.yaml:4: clients[1].id: client spa is in the embedded default fixture (fixtures/default.yaml) too; a file that extends it adds clients, it does not replace them" \
  "$("$AUTHEMU" --config "$tmp/collides.yaml" 2>&1)"
start_server --config tests/data/extends-default.yaml
cc() { curl -s -o /dev/null -w '%{http_code}' -u "$2:$2" -d grant_type=client_credentials "$URL$1/oauth/token"; }
extended() { echo "$(cc /api/auth testing) $(cc /api/auth my-service) $(cc /sandbox/api/auth sandbox-ci) $(cc /sandbox/api/auth testing) $(cc /staging/api/auth staging-ci)"; }
check_eq "extends: default: tokens for the default's clients and the file's, in every environment" "200 200 200 200 200" "$(extended)"
curl -s -o /dev/null -X POST -H 'Content-Type: application/json' \
  -d '{"name":"pr-1","clients":[{"id":"svc","secrets":["svc"]}]}' "$URL/_authemu/environments"
check_eq "extends: default: an environment made at run time serves beside them" "200" "$(cc /pr-1/api/auth svc)"
curl -s -o /dev/null -X POST "$URL/_authemu/reset"
check_eq "extends: default: reset returns to the merged fixture" "200 200 200 200 200 404" "$(extended) $(cc /pr-1/api/auth svc)"
stop_server "$SERVER_PID"
err=$(CONFIG=tests/data "$AUTHEMU" 2>&1); code=$?
check_eq "CONFIG naming a directory stops start-up" "2 authemu: CONFIG: tests/data is a directory, not a file" "$code $err"
err=$("$AUTHEMU" --config tests/data/empty.yaml 2>&1)
check_eq "an empty --config stops start-up" \
  "authemu: --config: tests/data/empty.yaml is empty (expected clients:, users:, environments: or platform:)" "$err"

err=$("$AUTHEMU" --no-such-flag 2>&1); code=$?
check_eq "an unknown flag exits 2" "2" "$code"
check_eq "an unknown flag is named" "authemu: unknown option --no-such-flag (see --help)" "$err"

printf 'clients:\n  - id: a\n    secrets: [x]\n    public: perhaps\n' >"$tmp/bad.yaml"
err=$("$AUTHEMU" --config "$tmp/bad.yaml" 2>&1); code=$?
check_eq "a bad fixture exits 2" "2" "$code"
check_eq "a bad fixture names file, line and field" "authemu: $tmp/bad.yaml:4: clients[0].public: expected true or false" "$err"
err=$("$AUTHEMU" --config "$tmp/missing.yaml" 2>&1)
check_eq "a missing fixture is named" "authemu: --config: cannot open $tmp/missing.yaml: No such file or directory" "$err"

# A Formance config.yml with a $ENV secret, and the Formance environment variable names.
printf 'clients:\n  - id: svc\n    secrets: [$SVC_SECRET]\n    scopes: [ledger:read]\n' >"$tmp/config.yml"
SVC_SECRET=from-env CONFIG="$tmp/config.yml" BASE_URL=http://auth.test/api/auth start_server
check_eq "CONFIG and \$ENV secrets" "200" "$(curl -s -o /dev/null -w '%{http_code}' -u svc:from-env -d grant_type=client_credentials "$URL/api/auth/oauth/token")"
check_eq "BASE_URL is the issuer" "http://auth.test/api/auth" "$ISSUER"
token=$(curl -s -u svc:from-env -d grant_type=client_credentials "$URL/oauth/token" | jq -r .access_token)
check_eq "tokens carry the issuer" "http://auth.test/api/auth" "$(jwt_part "$token" 2 | jq -r .iss)"
err=$(env -u SVC_SECRET "$AUTHEMU" --config "$tmp/config.yml" 2>&1)
check_eq "an unset \$ENV secret stops start-up" "authemu: $tmp/config.yml:3: clients[0].secrets[0]: environment variable SVC_SECRET is not set" "$err"

# Keys: the default is the embedded test key (same kid every start); PEM text, file, PKCS#8, generated.
start_server; kid1=$(curl -s "$URL/api/auth/keys" | jq -r '.keys[0].kid')
start_server; kid2=$(curl -s "$URL/api/auth/keys" | jq -r '.keys[0].kid')
check_eq "the default key is stable across restarts" "$kid1" "$kid2"
start_server --signing-key tests/data/pkcs8-rsa-2048.pem; kid3=$(curl -s "$URL/api/auth/keys" | jq -r '.keys[0].kid')
check "--signing-key takes a PKCS#8 PEM file" test -n "$kid3" -a "$kid3" != "$kid1"
SIGNING_KEY="$(cat tests/data/pkcs8-rsa-2048.pem)" start_server; kid4=$(curl -s "$URL/api/auth/keys" | jq -r '.keys[0].kid')
check_eq "SIGNING_KEY takes the PEM text itself" "$kid3" "$kid4"
start_server --generate-signing-key; kid5=$(curl -s "$URL/api/auth/keys" | jq -r '.keys[0].kid')
check "--generate-signing-key makes a new key" test -n "$kid5" -a "$kid5" != "$kid1"
err=$("$AUTHEMU" --signing-key tests/data/rsa-1024.pem 2>&1)
check_eq "a weak key is refused" "authemu: --signing-key: RSA key of 1024 bits; RS256 needs at least 2048" "$err"

# Algorithms: ES256 from a JWK file, HS256 from SIGNING_SECRET, and the refusals.
start_server --signing-algorithm ES256 --signing-key tests/data/ec-p256.jwk
check_eq "--signing-algorithm ES256 publishes one P-256 key" "EC P-256 ES256" "$(curl -s "$URL/api/auth/keys" | jq -r '.keys[] | "\(.kty) \(.crv) \(.alg)"')"
check_eq "discovery lists ES256" '["ES256"]' "$(curl -s "$URL/api/auth/.well-known/openid-configuration" | jq -c .id_token_signing_alg_values_supported)"
token=$(curl -s -u testing:testing -d grant_type=client_credentials "$URL/oauth/token" | jq -r .access_token)
check_eq "an ES256 token" "ES256" "$(jwt_part "$token" 1 | jq -r .alg)"
check_eq "the server accepts its ES256 token" "200" "$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $token" "$URL/api/auth/clients")"
SIGNING_ALGORITHM=HS256 SIGNING_SECRET=0123456789abcdef0123456789abcdef start_server
check_eq "HS256 publishes no key" '{"keys":[]}' "$(curl -s "$URL/api/auth/keys" | jq -c .)"
err=$("$AUTHEMU" --signing-algorithm HS256 2>&1)
check_eq "HS256 without a secret is refused" "authemu: --signing-secret: required with --signing-algorithm HS256" "$err"
err=$("$AUTHEMU" --signing-algorithm ES256 --signing-key tests/data/pkcs8-rsa-2048.pem 2>&1)
check_eq "an RSA key for ES256 is refused" "authemu: --signing-key: not an EC key" "$err"

# A boolean flag takes a separate true/false: --admin-api false turns the admin API off.
start_server --admin-api false
check_eq "--admin-api false: /_authemu is not served" "404" "$(curl -s -o /dev/null -w '%{http_code}' "$URL/_authemu")"

# Lifetimes from the environment.
ACCESS_TOKEN_LIFETIME=2m start_server
check_eq "ACCESS_TOKEN_LIFETIME" "120" "$(curl -s -u testing:testing -d grant_type=client_credentials "$URL/oauth/token" | jq .expires_in)"

# The user grants of the default fixture, with the role claim and lifetimes from the environment.
ROLE_CLAIM=roles USER_TOKEN_LIFETIME=1m REFRESH_TOKEN_LIFETIME=2h start_server
pw=$(curl -s -u testing:testing -d grant_type=password -d username=alice -d password=alice "$URL/oauth/token")
check_eq "USER_TOKEN_LIFETIME" "60" "$(jq .expires_in <<<"$pw")"
check_eq "ROLE_CLAIM names the groups claim" '["ftl-admin","ftl"]' "$(jwt_part "$(jq -r .access_token <<<"$pw")" 2 | jq -c .roles)"
intro=$(curl -s -u testing:testing -d "token=$(jq -r .refresh_token <<<"$pw")" "$URL/oauth/introspect")
check_eq "REFRESH_TOKEN_LIFETIME" "7200" "$(jq '.exp - .iat' <<<"$intro")"

# A wildcard listener: the ready line and healthcheck both reach it on 127.0.0.1, the issuer names localhost.
start_server --listen '[::]:0'; port=${URL##*:}
check_eq "--listen [::]: the ready line's URL" "http://127.0.0.1:$port" "$URL"
check_eq "--listen [::]: the issuer" "http://localhost:$port/api/auth" "$ISSUER"
check "--listen [::]: healthcheck reaches it" "$AUTHEMU" healthcheck --listen "[::]:$port"
check "--listen :PORT (every address): healthcheck reaches it" "$AUTHEMU" healthcheck --listen ":$port"
kill "$SERVER_PID"; wait "$SERVER_PID" 2>/dev/null

# --quiet: the ready line alone on stdout and nothing on stderr, from start through a token to
# SIGTERM; without it, stderr has the request, start and stop lines.
for mode in quiet loud; do # loud: without --quiet
  flags=(--listen 127.0.0.1:0); [ "$mode" = quiet ] && flags+=(--quiet)
  : >"$tmp/$mode.err"
  SERVER_LOG="$tmp/$mode.err" spawn_ready "$tmp/$mode.out" '"event":"ready"' "$AUTHEMU" "${flags[@]}"
  code=$(curl -s -o /dev/null -w '%{http_code}' -u testing:testing -d grant_type=client_credentials \
    "$(jq -r .url <"$tmp/$mode.out")/api/auth/oauth/token")
  stop_server "$SERVER_PID"; rc=$?
  check_eq "$mode: a token, then SIGTERM stops it with exit code 0" "200 0" "$code $rc"
done
check_eq "--quiet: stdout is the ready line alone" "1 ready" "$(wc -l <"$tmp/quiet.out") $(jq -r .event <"$tmp/quiet.out")"
check_eq "--quiet: stderr is empty" "" "$(cat "$tmp/quiet.err")"
check_eq "--quiet: the ready line has the members it has without --quiet" \
  "$(jq -c 'keys' <"$tmp/loud.out")" "$(jq -c 'keys' <"$tmp/quiet.out")"
check "without --quiet: stderr has the start, request and stop lines" \
  grep -qzE 'listening on .*POST /api/auth/oauth/token 200 .*received SIGTERM, stopping' "$tmp/loud.err"

# A taken port is a start-up error; SIGINT stops cleanly.
start_server; port=${URL##*:}
err=$("$AUTHEMU" --listen "127.0.0.1:$port" 2>&1); code=$?
check_eq "a taken port exits 2" "2" "$code"
check "a taken port is named" grep -q "cannot listen on 127.0.0.1:$port" <<<"$err"
kill -INT "$SERVER_PID"; wait "$SERVER_PID"
check_eq "SIGINT stops it with exit code 0" "0" "$?"
finish
