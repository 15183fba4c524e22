#!/usr/bin/env bash
# The README and the pages of docs/ as tested documents: every ```sh block, in order, against the
# server the README's quickstart starts. The README's blocks run in one shell; each page of docs/ runs
# in a shell of its own (a bash child of the README's: it shares the server and PATH, not the
# variables), so a page works for a reader who arrives at it from the quickstart. It all runs in a
# network and PID namespace of its own (root: unshare), so the fixed port 8080 is free whatever else
# runs on this machine and nothing a block started outlives the run. A block whose info string is
# `sh skip-ci:<reason>` is not run and is listed with its reason; any other failure fails that block.
set -uo pipefail
cd "$(dirname "$0")/.."
. scripts/lib.sh
work=$(mktemp -d)
trap "rm -rf $work" EXIT

# The order of the pages: the README's own "Where next" order, then any page not named there.
python3 - "$work" README.md $(doc_pages) <<'PY'
import re, sys
work, files = sys.argv[1], sys.argv[2:]
blocks_all, skipped_all = [], []
def blocks_of(path):
    lines = open(path).read().split("\n")
    blocks, i = [], 0
    while i < len(lines):
        m = re.match(r"^```sh(.*)$", lines[i])
        if m:
            start, info = i + 1, m.group(1).strip()
            j = i + 1
            while lines[j] != "```":
                j += 1
            skip = re.match(r"skip-ci:(\S+)", info)
            blocks.append((start, skip.group(1) if skip else None, lines[i + 1:j]))
            i = j
        i += 1
    return blocks
def script(path, blocks):
    out = ""
    for start, skip, body in blocks:
        if skip is None:
            out += f"echo '### {path} line {start}'\n" + "\n".join(body) + f"\necho '### done {path}:{start}' >&3\n"
    return out
with open(f"{work}/run.sh", "w") as f:
    f.write("set -euo pipefail\nexport HOME=${HOME:-/root}\n")
    for n, path in enumerate(files):
        bl = blocks_of(path)
        for start, skip, _ in bl:
            (skipped_all if skip else blocks_all).append(f"{path}:{start}" + (f" {skip}" if skip else ""))
        if n == 0:
            f.write(script(path, bl))
        else:
            open(f"{work}/page{n}.sh", "w").write("set -euo pipefail\n" + script(path, bl) +
                                                 "kill $(jobs -p) 2>/dev/null; wait 2>/dev/null; exit 0\n")
            f.write(f"bash {work}/page{n}.sh || true\n")
    f.write("kill $(jobs -p) 2>/dev/null; wait 2>/dev/null; exit 0\n")
open(f"{work}/blocks", "w").write("".join(b + "\n" for b in blocks_all))
open(f"{work}/skipped", "w").write("".join(b + "\n" for b in skipped_all))
PY

# ip link set lo up: a new network namespace starts with its loopback down.
timeout 600 unshare --net --pid --fork bash -c 'ip link set lo up && exec bash "$1" 3>"$2"' _ "$work/run.sh" "$work/done" \
  >"$work/out" 2>&1
code=$?
mkdir -p build && cp "$work/out" build/readme-blocks.log   # what the blocks printed, for a look
failed_page=
while read -r block; do
  page=${block%%:*}
  [ "$page" = "$failed_page" ] && continue               # a page stops at its first failing block
  if grep -qx "### done $block" "$work/done"; then
    ok "$block: the sh block runs"
  else
    failed_page=$page
    not_ok "$block: the sh block runs (exit $code); its output:"
    awk -v s="### ${block%%:*} line ${block##*:}" '$0 == s {p = 1} p' "$work/out" | tail -n 30 | sed 's/^/    /'
  fi
done <"$work/blocks"
while read -r block reason; do
  echo "# skipped: $block, marked skip-ci:$reason"
done <"$work/skipped"
ok "every sh block of the README and docs/ ran or is marked skip-ci ($(wc -l <"$work/blocks") run, $(wc -l <"$work/skipped") skipped)"
check "every relative link of the README, docs/ and CONTRIBUTING leads to a file and a heading" \
  python3 scripts/doc_links.py README.md docs/*.md CONTRIBUTING.md
# A newcomer reads the README whole: reference and long recipes belong in docs/.
check "the README stays short: $(wc -l <README.md) lines, at most 450" test "$(wc -l <README.md)" -le 450
