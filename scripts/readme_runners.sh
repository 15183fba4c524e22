#!/usr/bin/env bash
# The README's test-runner snippets, as a reader would paste them: each block marked
# <!-- runner: KIND FILE --> is written to FILE in a scratch project and run with its runner
# (pytest, vitest from build/node, go test), the binary found through AUTHEMU_BIN.
set -uo pipefail
cd "$(dirname "$0")/.."
. scripts/lib.sh
export AUTHEMU_BIN=$PWD/$AUTHEMU
# Inside build/node so that the vitest project finds vitest in build/node/node_modules.
work=$PWD/build/node/readme-runners
rm -rf "$work"; mkdir -p "$work"
trap 'rm -rf "$work"' EXIT

python3 - README.md "$work" <<'PY'
import re, sys, os
readme, work = sys.argv[1], sys.argv[2]
text = open(readme).read()
found = re.findall(r"<!-- runner: (\S+) (\S+) -->\n```\w+\n(.*?)\n```", text, re.S)
for kind, name, body in found:
    os.makedirs(f"{work}/{kind}", exist_ok=True)
    open(f"{work}/{kind}/{name}", "w").write(body + "\n")
    print(kind)
PY
kinds=$(ls "$work")
check_eq "the README has a pytest, a vitest and a go snippet" "go pytest vitest" "$(echo $kinds)"

check "the pytest fixture starts authemu on port 0, a test gets a token, reset after it" \
  bash -c "cd '$work/pytest' && /usr/bin/python3 -m pytest -q -p no:cacheprovider test_authemu.py"

cat >"$work/vitest/vitest.config.mjs" <<'JS'
export default { test: { globalSetup: './global-setup.mjs', include: ['*.test.mjs'] } };
JS
cat >"$work/vitest/token.test.mjs" <<'JS'
import { test, expect } from 'vitest';
test('a token from the authemu that globalSetup started', async () => {
  const r = await fetch(process.env.AUTHEMU_ISSUER + '/oauth/token', {
    method: 'POST',
    body: new URLSearchParams({ grant_type: 'client_credentials', client_id: 'testing', client_secret: 'testing' }),
  });
  expect((await r.json()).token_type).toBe('Bearer');
});
JS
check "the Vitest global setup starts authemu and a test gets a token" \
  bash -c "cd '$work/vitest' && ../../node_modules/.bin/vitest run --reporter=dot"

check "the Go TestMain starts authemu and a test gets a token" \
  bash -c "cd '$work/go' && go mod init example.test/app >/dev/null 2>&1 &&
           GOFLAGS=-mod=mod GOPROXY=off GOCACHE='$PWD/build/go-cache' go test -count=1 ./..."
finish
