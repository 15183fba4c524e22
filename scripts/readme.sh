#!/usr/bin/env bash
# The README as a tested document: every ```sh block, in order, in one shell, against the server its
# quickstart starts. It runs in a network namespace of its own (root: unshare --net), so the README's
# fixed port 8080 is free whatever else runs on this machine. A block whose info string is
# `sh skip-ci:<reason>` is not run and is listed with its reason; any other failure is a failing block.
set -uo pipefail
cd "$(dirname "$0")/.."
. scripts/lib.sh
readme=${1:-README.md}
work=$(mktemp -d)
trap "rm -rf $work" EXIT

# One script: each block between markers, stopping at the first failing command of any block.
python3 - "$readme" "$work" <<'PY'
import re, sys
readme, work = sys.argv[1], sys.argv[2]
lines = open(readme).read().split("\n")
blocks, skipped, i = [], [], 0
while i < len(lines):
    m = re.match(r"^```sh(.*)$", lines[i])
    if m:
        start, info = i + 1, m.group(1).strip()
        j = i + 1
        while lines[j] != "```":
            j += 1
        skip = re.match(r"skip-ci:(\S+)", info)
        (skipped if skip else blocks).append((start, skip.group(1) if skip else "", lines[i + 1:j]))
        i = j
    i += 1
with open(f"{work}/run.sh", "w") as f:
    f.write("set -eo pipefail\nexport HOME=${HOME:-/root}\n")
    for start, _, body in blocks:
        f.write(f"echo '### README line {start}'\n" + "\n".join(body) + f"\necho '### done {start}' >&3\n")
    f.write("kill $(jobs -p) 2>/dev/null; wait 2>/dev/null; exit 0\n")
with open(f"{work}/blocks", "w") as f:
    for start, _, body in blocks:
        f.write(f"{start}\n")
with open(f"{work}/skipped", "w") as f:
    for start, reason, _ in skipped:
        f.write(f"{start} {reason}\n")
PY

# ip link set lo up: a new network namespace starts with its loopback down.
timeout 300 unshare --net bash -c 'ip link set lo up && exec bash "$1" 3>"$2"' _ "$work/run.sh" "$work/done" \
  >"$work/out" 2>&1
code=$?
mkdir -p build && cp "$work/out" build/readme-blocks.log   # what the blocks printed, for a look
while read -r start; do
  if grep -qx "### done $start" "$work/done"; then
    ok "README block at line $start runs"
  else
    not_ok "README block at line $start runs (exit $code); its output:"
    awk -v s="### README line $start" '$0 == s {p = 1} p' "$work/out" | tail -n 30 | sed 's/^/    /'
    break
  fi
done <"$work/blocks"
while read -r start reason; do
  echo "# skipped: README block at line $start, marked skip-ci:$reason"
done <"$work/skipped"
ok "every README sh block ran or is marked skip-ci ($(wc -l <"$work/blocks") run, $(wc -l <"$work/skipped") skipped)"
