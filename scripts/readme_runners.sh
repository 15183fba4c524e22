#!/usr/bin/env bash
# The test-runner recipes of docs/testing.md, as a reader would paste them: each block marked
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

doc_text | python3 -c "$(cat <<'PY'
import re, sys, os
work = sys.argv[1]
text = sys.stdin.read()
found = re.findall(r"<!-- runner: (\S+) (\S+) -->\n```\w+\n(.*?)\n```", text, re.S)
for kind, name, body in found:
    os.makedirs(f"{work}/{kind}", exist_ok=True)
    open(f"{work}/{kind}/{name}", "w").write(body + "\n")
PY
)" "$work"
kinds=$(ls "$work")
check_eq "docs/testing.md has pytest, vitest and go recipes" "go pytest vitest" "$(echo $kinds)"

# Each recipe's own tests must pass, all of them: a runner that finds no test fails too.
check_eq "pytest: a real token passes, 7 broken ones are refused, expiry, a rotated key (10 tests)" "10 passed" \
  "$(cd "$work/pytest" && /usr/bin/python3 -m pytest -q -p no:cacheprovider test_api.py 2>&1 | tail -n 1 | sed -E 's/ in [0-9.]+s( \([0-9:]+\))?$//')"

cat >"$work/vitest/vitest.config.mjs" <<'JS'
export default { test: { globalSetup: './global-setup.mjs', include: ['*.test.mjs'] } };
JS
# The JSON report, not the console's, which CI=true colours.
(cd "$work/vitest" && ../../node_modules/.bin/vitest run --reporter=json --outputFile=report.json >vitest.log 2>&1)
check_eq "Vitest: the global setup starts authemu; jose accepts the real token, refuses the 7 broken ones and the expired one" \
  "9 passed, 0 failed" "$(jq -r '"\(.numPassedTests) passed, \(.numFailedTests) failed"' "$work/vitest/report.json" 2>/dev/null)" ||
  tail -n 30 "$work/vitest/vitest.log"
check "Go: TestMain starts authemu; the API under test takes the valid token and refuses every broken one" \
  bash -c "cd '$work/go' && go mod init example.test/app >/dev/null 2>&1 &&
           GOFLAGS=-mod=mod GOPROXY=off GOCACHE='$PWD/build/go-cache' go test -count=1 ./..."
finish
