#!/usr/bin/env bash
# The Formance Cloud flow with curl and jq against the built binary and its default fixture:
# platform login -> RFC 8693 exchange for the sandbox -> jwt-bearer at the sandbox -> the sandbox's
# management API; then the same in one command (authemu personal-token), and isolation checks.
set -uo pipefail
cd "$(dirname "$0")/.."
. scripts/lib.sh

start_server || { not_ok "server starts"; finish; }
ORIGIN=${ISSUER%/api/auth}  # the issuers name localhost, as the Formance docs do
PLATFORM="$ORIGIN/platform"
SANDBOX="$ORIGIN/sandbox/api/auth"

check_eq "platform discovery names its issuer" "$PLATFORM" "$(curl -s "$PLATFORM/.well-known/openid-configuration" | jq -r .issuer)"
check_eq "sandbox discovery names its issuer" "$SANDBOX" "$(curl -s "$SANDBOX/.well-known/openid-configuration" | jq -r .issuer)"
check "sandbox offers the jwt-bearer grant" bash -c "curl -s '$SANDBOX/.well-known/openid-configuration' | jq -e '.grant_types_supported | index(\"urn:ietf:params:oauth:grant-type:jwt-bearer\")' >/dev/null"

# 1. A platform token for the member alice (as fctl login gives).
LOGIN=$(curl -s -d grant_type=password -d client_id=fctl -d username=alice -d password=alice \
  -d 'scope=openid email ledger:read auth:read' "$PLATFORM/oauth/token")
PLATFORM_TOKEN=$(jq -r .access_token <<<"$LOGIN")
check_eq "the platform token names both environments in aud" "[\"$ISSUER\",\"$SANDBOX\"]" "$(jwt_part "$PLATFORM_TOKEN" 2 | jq -c .aud)"

# 2. RFC 8693: bound to the sandbox (fctl's stack://<org>/<stack> form).
EXCHANGED=$(curl -s -d grant_type=urn:ietf:params:oauth:grant-type:token-exchange -d client_id=fctl \
  -d subject_token="$PLATFORM_TOKEN" -d subject_token_type=urn:ietf:params:oauth:token-type:access_token \
  -d audience=stack://acme/sandbox "$PLATFORM/oauth/token")
check_eq "exchange says what it issued" "urn:ietf:params:oauth:token-type:access_token" "$(jq -r .issued_token_type <<<"$EXCHANGED")"
BOUND=$(jq -r .access_token <<<"$EXCHANGED")
check_eq "another organization's stack: invalid_target naming it" "unknown organization globex (this platform's is acme)" \
  "$(curl -s -d grant_type=urn:ietf:params:oauth:grant-type:token-exchange -d client_id=fctl \
  -d subject_token="$PLATFORM_TOKEN" -d subject_token_type=urn:ietf:params:oauth:token-type:access_token \
  -d audience=stack://globex/sandbox "$PLATFORM/oauth/token" | jq -r .error_description)"
check_eq "the exchanged token names only the sandbox" "[\"$SANDBOX\"]" "$(jwt_part "$BOUND" 2 | jq -c .aud)"

# 3. RFC 7523 at the sandbox, with no client authentication (as fctl).
STACK=$(curl -s -d grant_type=urn:ietf:params:oauth:grant-type:jwt-bearer -d assertion="$BOUND" -d 'scope=openid email' \
  "$SANDBOX/oauth/token")
STACK_TOKEN=$(jq -r .access_token <<<"$STACK")
check_eq "the environment token lives 5 minutes" "300" "$(jq -r .expires_in <<<"$STACK")"
check_eq "its scope is the platform's less email" "openid ledger:read auth:read" "$(jq -r .scope <<<"$STACK")"
check_eq "its issuer is the sandbox" "$SANDBOX" "$(jwt_part "$STACK_TOKEN" 2 | jq -r .iss)"

# 4. The sandbox's management API accepts it; the default environment's does not.
check_eq "the sandbox management API accepts it" "200" "$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $STACK_TOKEN" "$SANDBOX/clients")"
CREATED=$(curl -s -w '\n%{http_code}' -X POST -H "Authorization: Bearer $STACK_TOKEN" -d '{"name":"from-platform"}' "$SANDBOX/clients")
check_eq "and creates a client with it" "201" "$(tail -n1 <<<"$CREATED")"
check_eq "the default environment refuses it" "401" "$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $STACK_TOKEN" "$ISSUER/clients")"
check_eq "the bound token is no assertion for the default environment" "invalid_grant" \
  "$(curl -s -d grant_type=urn:ietf:params:oauth:grant-type:jwt-bearer -d assertion="$BOUND" "$ISSUER/oauth/token" | jq -r .error)"
check_eq "the new client exists in the sandbox only" "0" \
  "$(curl -s -H "Authorization: Bearer $(curl -s -u testing:testing -d grant_type=client_credentials "$ISSUER/oauth/token" | jq -r .access_token)" "$ISSUER/clients" | jq '.data | length')"

# 5. Host routing: sandbox.localhost reaches the same environment.
check_eq "sandbox.localhost is the sandbox" "http://sandbox.localhost:${URL##*:}/api/auth" \
  "$(curl -s -H "Host: sandbox.localhost:${URL##*:}" "$URL/api/auth/.well-known/openid-configuration" | jq -r .issuer)"

# 6. The same in one command, as fctl cloud generate-personal-token.
PERSONAL=$("$AUTHEMU" personal-token --url "$URL" --username alice --password alice --environment sandbox)
check_eq "personal-token prints a sandbox token" "$SANDBOX" "$(jwt_part "$PERSONAL" 2 | jq -r .iss)"
check_eq "which the sandbox accepts" "200" "$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $PERSONAL" "$SANDBOX/clients")"
err=$("$AUTHEMU" personal-token --url "$URL" --username alice --password wrong 2>&1); code=$?
check_eq "a wrong password fails with exit 1" "1" "$code"
check_eq "and says which step failed" 'authemu personal-token: platform login: status 400: {"error":"invalid_grant","error_description":"invalid username or password"}' "$err"
finish
