#!/usr/bin/env bash
# Runs every test suite of `make test` and ends with one line "N passed, N failed".
# Catch2 suites count their test cases; the black-box scripts count their "ok"/"not ok" lines.
set -uo pipefail
cd "$(dirname "$0")/.."

passed=0
failed=0
log_dir=build/test-logs
mkdir -p "$log_dir"

# catch2 NAME BINARY: a Catch2 binary; its summary line gives the counts.
catch2() {
  local name=$1 bin=$2 log="$log_dir/$1.log"
  echo "== $name"
  "$bin" >"$log" 2>&1
  local rc=$? summary p=0 f=0
  summary=$(grep -E '^(All tests passed|test cases:)' "$log" | tail -n1)
  if [[ $summary =~ All\ tests\ passed.*in\ ([0-9]+)\ test\ case ]]; then
    p=${BASH_REMATCH[1]}
  elif [[ $summary =~ test\ cases:\ +([0-9]+)\ \|\ +([0-9]+)\ passed\ \|\ +([0-9]+)\ failed ]]; then
    p=${BASH_REMATCH[2]}; f=${BASH_REMATCH[3]}
  fi
  # A crash, a sanitizer report or a missing summary is one more failure.
  if [ $rc -ne 0 ] && [ "$f" = 0 ]; then f=1; fi
  if [ -z "$summary" ] && [ "$f" = 0 ]; then f=1; fi
  [ "$f" = 0 ] || { grep -v '^$' "$log" | tail -n 60; }
  echo "   $p passed, $f failed   ($log)"
  passed=$((passed + p)); failed=$((failed + f))
}

# script NAME COMMAND...: a black-box script printing "ok - …" / "not ok - …" lines.
script() {
  local name=$1 log="$log_dir/$1.log"; shift
  echo "== $name"
  "$@" >"$log" 2>&1
  local rc=$? p f
  p=$(grep -c '^ok - ' "$log")
  f=$(grep -c '^not ok - ' "$log")
  if [ $rc -ne 0 ] && [ "$f" = 0 ]; then f=1; fi
  [ "$f" = 0 ] || grep -v '^ok - ' "$log" | tail -n 40
  echo "   $p passed, $f failed   ($log)"
  passed=$((passed + p)); failed=$((failed + f))
}

catch2 unit build/unit_tests
ASAN_OPTIONS=detect_leaks=1:abort_on_error=0 UBSAN_OPTIONS=print_stacktrace=1 catch2 unit-asan-ubsan build/unit_tests_asan
# Any ThreadSanitizer report fails the suite (exit code 66); tests/tsan.supp lists third-party races only.
TSAN_OPTIONS="suppressions=$PWD/tests/tsan.supp second_deadlock_stack=1" catch2 unit-tsan build/unit_tests_tsan
# Each libFuzzer harness: its saved findings replayed, then a 5 s smoke run.
script fuzz tests/fuzz/run.sh 5
script layers scripts/check_layers.sh
script connections /usr/bin/python3 scripts/test_connections.py build/authemu
script quickstart scripts/quickstart.sh
script readme scripts/readme.sh
script readme-runners scripts/readme_runners.sh
script interop scripts/interop.sh
script formance-sdk scripts/formance_sdk.sh
script platform-flow scripts/platform_flow.sh
script browser-flow scripts/browser_flow.sh
script delegation-external scripts/delegation_external.sh
script device-flow scripts/device_flow.sh
script platform-device scripts/platform_device.sh
script cli scripts/cli.sh
script tls scripts/tls.sh
script tls-clients scripts/tls_clients.sh
script mtls scripts/mtls.sh
script keyauth scripts/keyauth.sh
script mcp scripts/mcp.sh
script test-controls scripts/test_controls.sh
script ftl scripts/ftl.sh
script resource-servers scripts/resource_servers.sh
script console scripts/console.sh
script playwright scripts/playwright.sh
script static-chroot scripts/static_chroot.sh
script arm64 scripts/arm64.sh
script image scripts/image.sh
script npm-package scripts/npm_package.sh
script python-package scripts/python_package.sh
script release scripts/release_test.sh

echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
