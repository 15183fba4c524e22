# Shared by the black-box scripts and the benchmark: start the built binary on a free port and wait
# for it, read a process's memory and CPU time, record checks. Each check prints "ok - name" or
# "not ok - name"; scripts/run_tests.sh counts them. The Python twins: checks.py, server_proc.py.
AUTHEMU=${AUTHEMU:-build/authemu}
checks_failed=0
pids=()

ok() { echo "ok - $1"; }
not_ok() { echo "not ok - $1${2:+: $2}"; checks_failed=$((checks_failed + 1)); }
# check NAME COMMAND...: passes when the command succeeds.
check() { local name=$1; shift; if "$@"; then ok "$name"; else not_ok "$name"; fi; }
# check_eq NAME EXPECTED ACTUAL
check_eq() { if [ "$2" = "$3" ]; then ok "$1"; else not_ok "$1" "expected '$2', got '$3'"; fi; }

# spawn_ready OUT PATTERN COMMAND...: runs COMMAND in the background, its stdout into the file OUT
# and its stderr to SERVER_LOG (default none), sets SERVER_PID, and waits until OUT holds a line
# matching the grep -E PATTERN, for at most READY_SECONDS (default 5) or until the process has
# exited; fails if the line did not come.
spawn_ready() {
  local out=$1 pattern=$2 i; shift 2
  "$@" >"$out" 2>>"${SERVER_LOG:-/dev/null}" &
  SERVER_PID=$!
  pids+=("$SERVER_PID")
  for ((i = 0; i < ${READY_SECONDS:-5} * 100; i++)); do
    grep -qE "$pattern" "$out" 2>/dev/null && return 0
    kill -0 "$SERVER_PID" 2>/dev/null || break
    sleep 0.01
  done
  grep -qE "$pattern" "$out" 2>/dev/null
}

# start_command COMMAND...: starts authemu, or whatever runs it (a chroot, env -i ...), as
# spawn_ready does, reads the ready line it prints on stdout, {"event":"ready","url":...,
# "issuer":...}, and sets URL and ISSUER, and with TLS TLS_URL (its "tls_url", else "url" when
# that is https, else empty) and CA_FILE (its "ca_file" or empty); fails without one.
start_command() {
  local out; out=$(mktemp)
  spawn_ready "$out" '"event":"ready"' "$@" || true
  URL=$(jq -r .url <"$out" 2>/dev/null || true)
  ISSUER=$(jq -r .issuer <"$out" 2>/dev/null || true)
  TLS_URL=$(jq -r '.tls_url // (.url | select(startswith("https:"))) // empty' <"$out" 2>/dev/null || true)
  CA_FILE=$(jq -r '.ca_file // empty' <"$out" 2>/dev/null || true)
  rm -f "$out"
  [ -n "$URL" ] && [ "$URL" != null ]
}

# start_ready NAME ARGS...: starts authemu --quiet ARGS (which name the listeners) as spawn_ready
# does, keeping its ready line in $READY_DIR/NAME.json; ready_field NAME MEMBER reads it back.
start_ready() {
  local name=$1; shift
  spawn_ready "$READY_DIR/$name.json" '"event":"ready"' "$AUTHEMU" --quiet "$@"
}
ready_field() { jq -r ".$2" <"$READY_DIR/$1.json" 2>/dev/null; }

# start_server ARGS...: starts authemu on 127.0.0.1:0 as start_command does. With RUNNER set, a
# command prefix (RUNNER=qemu-aarch64-static, or an array: local RUNNER=(taskset -c 1)), the
# binary runs under it.
start_server() { start_command "${RUNNER[@]}" "$AUTHEMU" --listen 127.0.0.1:0 --quiet "$@"; }

# stop_server PID: stops one server of start_command and returns its exit status.
stop_server() {
  local pid=$1 rc=0 kept=() p
  kill "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || rc=$?
  for p in "${pids[@]}"; do [ "$p" = "$pid" ] || kept+=("$p"); done
  pids=("${kept[@]}")
  return "$rc"
}

# rss_kib PID: a process's resident set size in KiB (VmRSS of /proc/PID/status).
rss_kib() { awk '/^VmRSS:/ {print $2}' "/proc/$1/status"; }
# cpu_ticks PID: the CPU time a process has used, user + system, in clock ticks (/proc/PID/stat;
# the fields after its name, which may hold spaces).
cpu_ticks() { awk '{sub(/.*\) /, ""); print $12 + $13}' "/proc/$1/stat"; }

stop_servers() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; }
trap stop_servers EXIT

# run_checks COMMAND...: runs a program that prints its own ok / not ok lines; its failure counts
# as one here too, so that this script fails with it.
run_checks() { "$@" || checks_failed=$((checks_failed + 1)); }
finish() { exit $((checks_failed > 0 ? 1 : 0)); }

# image_containerfile: the Dockerfile's final stage (from its last FROM on), taking each
# architecture's binary, authemu-linux-<arch>, from the build context instead of the build stage.
image_containerfile() {
  awk '/^FROM /{stage=""} {stage=stage $0 "\n"} END{printf "%s", stage}' Dockerfile |
    sed 's#--from=build /src/build/dist/#./#'
}

# doc_pages: the pages of docs/ in reading order (the README's "Where next"), then any other page.
doc_pages() {
  local order="testing resource-servers spa-playwright browser formance ftl https keyauth mcp
               test-controls console fixtures options install endpoints errors connections" p
  for p in $order; do [ -f "docs/$p.md" ] && echo "docs/$p.md"; done
  for p in docs/*.md; do [[ " $(echo $order) " == *" $(basename "$p" .md) "* ]] || echo "$p"; done
}
# doc_text: the README and every page of docs/, one after the other (where marked snippets are found).
doc_text() { cat README.md $(doc_pages); }

# readme_snippet KIND DIR: writes the block marked <!-- package-runner: KIND FILE --> to
# DIR/FILE and prints FILE (the packages' snippets, run by scripts/npm_package.sh and python_package.sh).
readme_snippet() {
  doc_text | /usr/bin/python3 -c "$(cat <<'PY'
import re, sys
kind, folder = sys.argv[1:]
m = re.search(r"<!-- package-runner: %s (\S+) -->\n```\w+\n(.*?)\n```" % re.escape(kind), sys.stdin.read(), re.S)
if not m:
    sys.exit("README.md and docs/: no block marked package-runner: %s" % kind)
open("%s/%s" % (folder, m.group(1)), "w").write(m.group(2) + "\n")
print(m.group(1))
PY
)" "$1" "$2"
}

# jwt_part TOKEN N: the decoded JSON of part N (1 header, 2 payload) of a JWT.
jwt_part() {
  local p; p=$(cut -d. -f"$2" <<<"$1" | tr '_-' '/+')
  while [ $((${#p} % 4)) -ne 0 ]; do p="$p="; done
  base64 -d <<<"$p"
}
