#!/usr/bin/env bash
# The npm package as a Node or TypeScript test author meets it: npm packs it
# (scripts/packages/npm_pack.sh, from the stripped binaries of make dist), it installs offline into a
# fresh project with nothing else, `npx authemu` runs, the binary is chosen by platform or
# AUTHEMU_BIN, require and import both work, a Vitest suite (its global setup) and a node:test suite
# (its helper) use the API (scripts/packages/npm_test/), and tsc checks a TypeScript file against the
# shipped types. jose, vitest and typescript come from build/node (scripts/deps.sh test).
set -uo pipefail
cd "$(dirname "$0")/.."
. scripts/lib.sh
node_bin=$PWD/build/node/node_modules/.bin

if ! tgz=$(scripts/packages/npm_pack.sh); then
  not_ok "npm pack builds the package"
  finish
fi
ok "npm pack builds $tgz"
version=$(build/dist/authemu-linux-amd64 --version | awk '{print $2}')
check_eq "the tarball is named after the binary's version" "build/npm/authemu-$version.tgz" "$tgz"
size=$(stat -c %s "$tgz")
check "the tarball is at most 6 MB ($size bytes)" test "$size" -le 6000000
check_eq "it holds the two binaries, the CLI and the API" \
  "bin/authemu-linux-arm64 bin/authemu-linux-x64 bin/authemu.cjs lib/index.cjs lib/index.d.ts lib/index.mjs" \
  "$(tar tzf "$tgz" | sed 's#^package/##' | grep -E '^bin/|^lib/index\.(cjs|mjs|d\.ts)$' | sort | tr '\n' ' ' | sed 's/ $//')"
check_eq "package.json declares no dependencies" "[]" \
  "$(tar xzOf "$tgz" package/package.json | jq -c '[keys[] | select(test("ependencies"))]')"

work=$(mktemp -d "$PWD/build/node/npm-package.XXXXXX") # inside build/node: jose and vitest resolve from there
trap 'stop_servers; rm -rf "$work"' EXIT
cp scripts/packages/npm_test/* "$work/"
readme_test=$(readme_snippet node "$work")
cd "$work" || exit 1
work=$(pwd -P) # build/node is a symlink: the path Node reports
echo '{"name": "consumer", "private": true, "type": "module"}' >package.json
check "npm installs the tarball offline into a fresh project" \
  npm install --offline --no-audit --no-fund --silent "$OLDPWD/$tgz"
check_eq "and nothing else" "authemu" "$(ls node_modules)"
pkg=node_modules/authemu
check "the x64 binary is an x86-64 static executable" \
  bash -c "readelf -h $pkg/bin/authemu-linux-x64 | grep -q 'Machine: *Advanced Micro Devices X86-64' && ! readelf -l $pkg/bin/authemu-linux-x64 | grep -q INTERP"
check "the arm64 binary is an AArch64 static executable" \
  bash -c "readelf -h $pkg/bin/authemu-linux-arm64 | grep -q 'Machine: *AArch64' && ! readelf -l $pkg/bin/authemu-linux-arm64 | grep -q INTERP"
check_eq "npx authemu --version runs the package's binary" "authemu $version" "$(npx --no-install authemu --version)"

# The binary: by process.arch, AUTHEMU_BIN when set and non-empty, a clear error elsewhere.
which_bin='import("authemu").then(a => console.log(a.binaryPath()))'
check_eq "on linux x64 the x64 binary" "$work/$pkg/bin/authemu-linux-x64" "$(AUTHEMU_BIN= node -e "$which_bin")"
check_eq "AUTHEMU_BIN wins when set" "/opt/authemu" "$(AUTHEMU_BIN=/opt/authemu node -e "$which_bin")"
check_eq "on linux arm64 the arm64 binary" "$work/$pkg/bin/authemu-linux-arm64" \
  "$(node -e "Object.defineProperty(process, 'arch', {value: 'arm64'}); $which_bin")"
check_eq "elsewhere an error naming AUTHEMU_BIN" \
  "authemu: this package carries binaries for linux x64 and arm64, not darwin arm64; set AUTHEMU_BIN to an authemu executable (built from source, or run the image and use connectAuthemu)" \
  "$(node -e "Object.defineProperty(process, 'platform', {value: 'darwin'}); Object.defineProperty(process, 'arch', {value: 'arm64'});
              require('authemu').startAuthemu().catch(e => console.log(e.message))")"

# require (CommonJS) and the start-up errors.
check_eq "require('authemu'): start, a token, stop" "Bearer" "$(node -e "
  const { startAuthemu } = require('authemu');
  (async () => { const emu = await startAuthemu(); const t = await emu.token(); await emu.stop(); console.log(t.token_type); })();")"
check_eq "a server that cannot start rejects with its exit and its message" \
  "authemu ($work/$pkg/bin/authemu-linux-x64) exited (code 2) before its ready line: authemu: unknown option --no-such-flag (see --help)" \
  "$(node -e "import('authemu').then(a => a.startAuthemu({ args: ['--no-such-flag'] })).catch(e => console.log(e.message))")"
check_eq "the server sees only the env it is given (CONFIG of the test process is not its fixture)" "Bearer" \
  "$(CONFIG=/nonexistent node -e "import('authemu').then(async a => { const e = await a.startAuthemu(); console.log((await e.token()).token_type); await e.stop(); })")"
pid=$(node -e "import('authemu').then(async a => { const e = await a.startAuthemu(); console.log(e.pid); })")
# (gone, or a zombie where the machine's init does not reap orphans)
check "a server not stopped ends when the Node process exits" \
  bash -c "[ -n '$pid' ] && sleep 0.2 && [[ \$(ps -o stat= -p '$pid') =~ ^(Z.*)?\$ ]]"

# Jest's protocol: globalSetup and globalTeardown modules, each a function.
check_eq "Jest: global-setup starts it (AUTHEMU_URL), global-teardown stops it" "function function http://127.0.0.1 stopped" \
  "$(node -e "
    const setup = require('authemu/global-setup'), teardown = require('authemu/global-teardown');
    (async () => {
      await setup({}, {});
      const { connectAuthemu } = require('authemu'), emu = await connectAuthemu();
      await emu.token(); await emu.stop();
      await teardown();
      const alive = await fetch(process.env.AUTHEMU_URL + '/_healthcheck').then(() => 'running', () => 'stopped');
      console.log(typeof setup, typeof teardown, process.env.AUTHEMU_URL.replace(/:\d+$/, ''), alive);
    })();")"

# The suites. Vitest: its JSON report must list every test as passed.
"$node_bin/vitest" run --reporter=json --outputFile=vitest.json >vitest.log 2>&1
check_eq "Vitest: the global setup's server and startAuthemu, 10 tests passed" "10 0" \
  "$(jq -r '"\(.numPassedTests) \(.numFailedTests)"' vitest.json 2>/dev/null)" || cat vitest.log
node --test api.node.test.mjs >node-test.log 2>&1
check_eq "node:test: useAuthemu, 8 tests passed" "8 0" \
  "$(awk '/^# pass/ {p = $3} /^# fail/ {f = $3} END {print p, f}' node-test.log)" || cat node-test.log

node --test "$readme_test" >readme.log 2>&1
check_eq "the node:test snippet of docs/testing.md passes" "1 0" "$(awk '/^# pass/ {p = $3} /^# fail/ {f = $3} END {print p, f}' readme.log)" ||
  cat readme.log

# TypeScript: the API as written in types.ts checks; types_bad.ts's two mistakes are found.
printf '{"extends": "./tsconfig.json", "files": ["types.ts"]}' >tsconfig.good.json
printf '{"extends": "./tsconfig.json", "files": ["types_bad.ts"]}' >tsconfig.bad.json
out=$("$node_bin/tsc" -p tsconfig.good.json 2>&1)
check "tsc --noEmit on types.ts passes against the shipped types" test -z "$out" || echo "$out"
printf '{"extends": "./tsconfig.json", "files": ["types_cjs.cts"]}' >tsconfig.cjs.json
out=$("$node_bin/tsc" -p tsconfig.cjs.json 2>&1)
check "tsc --noEmit on a CommonJS file (.cts) passes against the require declarations" test -z "$out" || echo "$out"
out=$("$node_bin/tsc" -p tsconfig.bad.json 2>&1)
check_eq "tsc refuses a boolean duration and an unknown token option" "TS2345 TS2561" \
  "$(grep -o 'error TS[0-9]*' <<<"$out" | cut -d' ' -f2 | tr '\n' ' ' | sed 's/ $//')"
finish
