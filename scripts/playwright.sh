#!/usr/bin/env bash
# The recipe "SPA + PKCE + Playwright" (docs/spa-playwright.md) as printed: its four blocks, each
# marked <!-- playwright: FILE --> (found in README.md or docs/*.md), are extracted; the compose file is
# checked (image, BROWSER_URL, LOGIN_MODE, the CONFIG mount of the fixture, the health check, the app
# waiting for it); build/authemu runs with exactly the compose file's authemu environment and the
# extracted fixture, on a free port (the recipe's localhost:8080 and localhost:5173 become free ports,
# the same way everywhere); the compose health check runs with the binary; a sample SPA
# (scripts/playwright/: PKCE S256 with WebCrypto, the code exchanged from the browser) is served; and
# @playwright/test runs the extracted config and test with the system Chromium, then once more with
# login_hint naming no user. Prints "ok - …" / "not ok - …" lines.
set -uo pipefail
cd "$(dirname "$0")/.."
. scripts/lib.sh
root=$PWD
tmp=$(mktemp -d)
trap 'stop_servers; rm -rf "$tmp"' EXIT
playwright=$root/build/node/node_modules/.bin/playwright
chromium=$(command -v chromium || echo /usr/bin/chromium)

# The marked blocks, each into $tmp/recipe/FILE; prints the files found.
/usr/bin/python3 - "$tmp/recipe" README.md docs/*.md <<'PY' >"$tmp/files"
import os, re, sys
out, found = sys.argv[1], {}
for doc in sys.argv[2:]:
    for m in re.finditer(r"<!-- playwright: (\S+) -->\n```\w*\n(.*?)\n```", open(doc).read(), re.S):
        found.setdefault(m.group(1), []).append(doc)
        path = os.path.join(out, m.group(1))
        os.makedirs(os.path.dirname(path), exist_ok=True)
        open(path, "w").write(m.group(2) + "\n")
for name, docs in sorted(found.items()):
    print(name, len(docs))
PY
check_eq "the recipe's four blocks, each marked once" \
  "authemu.yaml 1|compose.yaml 1|playwright.config.ts 1|tests/signin.spec.ts 1" "$(paste -sd'|' "$tmp/files")"
[ -f "$tmp/recipe/compose.yaml" ] && [ -f "$tmp/recipe/authemu.yaml" ] || finish

# The compose file: what each check needs, as NAME=VALUE lines (env.NAME for the authemu environment).
image=$(grep -ho 'docker pull [^ ]*' README.md docs/*.md | head -1 | cut -d' ' -f3)
entry=$(sed -n 's/^ENTRYPOINT \["\([^"]*\)"\]$/\1/p' Dockerfile)
/usr/bin/python3 - "$tmp/recipe/compose.yaml" >"$tmp/compose" <<'PY'
import sys, yaml
doc = yaml.safe_load(open(sys.argv[1]))
a, app = doc["services"]["authemu"], doc["services"]["app"]
for k, v in a.get("environment", {}).items():
    print(f"env.{k}={v}")
print("image=" + a.get("image", ""))
print("volumes=" + "|".join(a.get("volumes", [])))
print("health=" + " ".join(a.get("healthcheck", {}).get("test", [])))
print("depends=" + str(app.get("depends_on", {}).get("authemu", {}).get("condition")))
for k, v in app.get("environment", {}).items():
    print(f"app.{k}={v}")
PY
field() { sed -n "s/^$1=//p" "$tmp/compose"; }
config=$(field env.CONFIG)
check_eq "compose: the image the README names" "$image" "$(field image)"
check_eq "compose: BROWSER_URL is the browser's localhost:8080, no BASE_URL" "http://localhost:8080|" \
  "$(field env.BROWSER_URL)|$(field env.BASE_URL)"
check_eq "compose: LOGIN_MODE auto" "auto" "$(field env.LOGIN_MODE)"
check_eq "compose: CONFIG is the read-only mount of the recipe's fixture" "./authemu.yaml:$config:ro" "$(field volumes)"
check_eq "compose: the health check is the image's binary's healthcheck command" "CMD $entry healthcheck" "$(field health)"
check_eq "compose: the app waits for authemu to be healthy" "service_healthy" "$(field depends)"

# Free ports for the recipe's 8080 (authemu) and 5173 (the SPA), replaced alike in every value.
read -r port spa_port < <(/usr/bin/python3 -c '
import socket
s = [socket.socket() for _ in range(2)]
for x in s: x.bind(("127.0.0.1", 0))
print(*[x.getsockname()[1] for x in s])')
localize() { sed -e "s/:8080\b/:$port/g" -e "s/localhost:5173\b/localhost:$spa_port/g" -e 's/^0\.0\.0\.0:/127.0.0.1:/'; }
localize <"$tmp/recipe/authemu.yaml" >"$tmp/authemu.yaml"
env_vars=(PATH="$PATH")
while IFS= read -r line; do
  name=${line%%=*}; value=$(localize <<<"${line#*=}")
  [ "$name" = CONFIG ] && value=$tmp/authemu.yaml
  env_vars+=("$name=$value")
done < <(sed -n 's/^env\.//p' "$tmp/compose")

start_command env -i "${env_vars[@]}" "$AUTHEMU" || { not_ok "authemu starts with the compose environment"; finish; }
check_eq "authemu starts with the compose environment: the issuer is the browser's URL" \
  "http://localhost:$port/api/auth" "$ISSUER"
check "the compose health check passes" env -i "${env_vars[@]}" "$AUTHEMU" healthcheck
check "the health check fails while nothing listens" bash -c "! env -i LISTEN=127.0.0.1:$spa_port '$AUTHEMU' healthcheck 2>/dev/null"
check_eq "discovery read by a container (Host authemu:8080): the browser's issuer and authorize, the container's token endpoint" \
  "http://localhost:$port/api/auth http://localhost:$port/api/auth/authorize http://authemu:8080/api/auth/oauth/token" \
  "$(curl -s -H 'Host: authemu:8080' "$URL/api/auth/.well-known/openid-configuration" |
     jq -r '"\(.issuer) \(.authorization_endpoint) \(.token_endpoint)"')"
redirect_error() { /usr/bin/python3 -c 'import sys, urllib.parse as u
q = u.parse_qs(u.urlsplit(sys.argv[1]).query); print(q.get("error", ["-"])[0], q.get("error_description", ["-"])[0])' "$1"; }
check_eq "the fixture's spa client is public: /authorize without a PKCE challenge is refused" \
  "invalid_request code_challenge required: client spa is public (PKCE, RFC 7636)" \
  "$(redirect_error "$(curl -s -o /dev/null -w '%{redirect_url}' "$ISSUER/authorize?response_type=code&client_id=spa&\
scope=openid&login_hint=e2e-0&redirect_uri=http://localhost:$spa_port/callback")")"
check_eq "authemu check-config: the fixture alone, no default clients" "$tmp/authemu.yaml: ok (default: 1 clients, 4 users)" \
  "$("$AUTHEMU" check-config "$tmp/authemu.yaml")"

# The sample SPA, configured from the app service's environment.
spawn_ready "$tmp/spa.out" 'listening' node scripts/playwright/server.mjs "$spa_port" \
  "$(field app.VITE_OIDC_ISSUER | localize)" "$(field app.VITE_OIDC_CLIENT_ID)" ||
  { not_ok "the sample SPA starts"; finish; }

# run_playwright DIR ARGS...: @playwright/test in DIR (the recipe's files), its JSON report in DIR/report.json.
run_playwright() {
  local dir=$1; shift
  ln -sfn "$root/build/node/node_modules" "$dir/node_modules"
  (cd "$dir" && BASE_URL=http://localhost:$spa_port CHROMIUM_PATH=$chromium PLAYWRIGHT_JSON_OUTPUT_NAME=report.json \
    "$playwright" test --reporter=list,json "$@")
}
stats() { jq -r '"\(.stats.expected) passed, \(.stats.unexpected) failed"' "$1/report.json" 2>/dev/null; }

cp -r "$tmp/recipe" "$tmp/wrong"
run_playwright "$tmp/recipe"; rc=$?
check_eq "playwright test as printed: 3 tests pass" "0 3 passed, 0 failed" "$rc $(stats "$tmp/recipe")"
check_eq "the tests ran in 2 workers (parallelIndex 0 and 1)" "0 1" \
  "$(jq -r '[.. | objects | select(has("parallelIndex")) | .parallelIndex] | unique | join(" ")' "$tmp/recipe/report.json")"
check_eq "authemu's sessions: one per test (the second tab shares one), of both workers' users" "3 e2e-0 e2e-1" \
  "$(curl -s "$URL/_authemu/sessions" | jq -r '"\(.sessions | length) \([.sessions[].username] | unique | join(" "))"')"

# A login_hint naming no user: the app shows authemu's login_required, and the test fails on it.
sed -i 's/`e2e-\${n}`/`nobody-${n}`/' "$tmp/wrong/tests/signin.spec.ts"
out=$(run_playwright "$tmp/wrong" -g 'shows the signed-in user' 2>&1); rc=$?
check_eq "an unknown login_hint: the test fails" "1 0 passed, 1 failed" "$rc $(stats "$tmp/wrong")"
check "an unknown login_hint: the page shows login_required, login_hint matches no user" \
  grep -q 'Sign-in failed: login_required: login_hint matches no user' <<<"$out"
finish
