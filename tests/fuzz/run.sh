#!/usr/bin/env bash
# Runs the libFuzzer harnesses built into build/fuzz/: each saved finding of a harness is replayed
# (tests/fuzz/findings/<name>/*: one line each, "not ok" while it still fails), then the harness
# fuzzes for SECONDS from its seed corpus (tests/fuzz/corpus/<name>/) and dictionary
# (tests/fuzz/<name>.dict). New inputs go to build/fuzz-corpus/<name>/, a new failing input to
# build/fuzz-artifacts/<name>/ (copy it under tests/fuzz/findings/<name>/ to keep it replayed).
#   tests/fuzz/run.sh [SECONDS] [NAME...]     SECONDS defaults to 60, NAMEs to every harness
# Prints "ok - …" / "not ok - …" lines for scripts/run_tests.sh.
set -uo pipefail
cd "$(dirname "$0")/../.."

seconds=${1:-60}
shift || true
names=("$@")
if [ ${#names[@]} -eq 0 ]; then
  for bin in build/fuzz/*; do [ -x "$bin" ] && names+=("$(basename "$bin")"); done
fi
[ ${#names[@]} -gt 0 ] || { echo "not ok - fuzz: no harness in build/fuzz/ (make fuzz builds them)"; exit 1; }

export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=0}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1}
log_dir=build/fuzz-logs
mkdir -p "$log_dir"
failed=0

# What broke, in one line, from a harness's log.
why() {
  grep -m1 -E '^finding: |^==[0-9]+==ERROR: |runtime error: |^terminate called|what\(\):|^SUMMARY: ' "$1" |
    sed -E 's/^==[0-9]+==//' | cut -c1-300
}

for name in "${names[@]}"; do
  bin=build/fuzz/$name
  if [ ! -x "$bin" ]; then echo "not ok - fuzz $name: $bin is not built"; failed=1; continue; fi

  for input in tests/fuzz/findings/"$name"/*; do
    [ -f "$input" ] || continue
    log=$log_dir/$name-replay-$(basename "$input").log
    if "$bin" -runs=1 "$input" >"$log" 2>&1; then
      echo "ok - fuzz $name: saved finding $(basename "$input") passes"
    else
      echo "not ok - fuzz $name: saved finding $input still fails: $(why "$log")"
      failed=1
    fi
  done

  corpus=build/fuzz-corpus/$name artifacts=build/fuzz-artifacts/$name
  mkdir -p "$corpus" "$artifacts"
  dict=()
  [ -f "tests/fuzz/$name.dict" ] && dict=(-dict="tests/fuzz/$name.dict")
  log=$log_dir/$name.log
  "$bin" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
    -artifact_prefix="$artifacts/" "${dict[@]}" "$corpus" "tests/fuzz/corpus/$name" >"$log" 2>&1
  rc=$?
  execs=$(grep -oE 'stat::number_of_executed_units: [0-9]+' "$log" | grep -oE '[0-9]+$' || true)
  if [ $rc -eq 0 ] && [ -n "$execs" ]; then
    echo "ok - fuzz $name: $execs execs in ${seconds}s"
  else
    artifact=$(grep -oE "Test unit written to .*" "$log" | sed 's/Test unit written to //' | tail -n1)
    echo "not ok - fuzz $name: $(why "$log") (after ${execs:-?} execs; input: ${artifact:-none}; log: $log)"
    failed=1
  fi
done
exit $failed
