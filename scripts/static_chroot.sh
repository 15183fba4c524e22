#!/usr/bin/env bash
# What the FROM-scratch Docker image relies on, proven without a Docker engine: the static binary
# alone in an empty root directory (no libc, no /etc, no /dev) starts, issues a token, answers its
# own healthcheck, and stops cleanly on SIGTERM.
set -uo pipefail
cd "$(dirname "$0")/.."
. scripts/lib.sh

check "ldd says not a dynamic executable" bash -c "ldd $AUTHEMU 2>&1 | grep -q 'not a dynamic executable'"

root=$(mktemp -d)
trap 'stop_servers; rm -rf "$root"' EXIT
cp "$AUTHEMU" "$root/authemu"
check_eq "the root holds the binary alone" "authemu" "$(ls -A "$root")"

# chroot(1) execs the command, so a background job's pid is the server's own.
run_in_root() {
  if [ "$(id -u)" = 0 ]; then exec chroot "$root" "$@"; else exec unshare --user --map-root-user chroot "$root" "$@"; fi
}

start_command run_in_root /authemu --listen 127.0.0.1:0
check "starts in the empty root and prints its URL" test -n "$URL"

code=$(curl -s -o /dev/null -w '%{http_code}' -u testing:testing -d grant_type=client_credentials "$URL/api/auth/oauth/token")
check_eq "issues a token from the empty root" "200" "$code"
check_eq "serves JWKS from the embedded key" "1" "$(curl -s "$URL/api/auth/keys" | jq '.keys | length')"
port=${URL##*:}
check "its healthcheck command answers from inside the root" bash -c "$(declare -f run_in_root); root=$root; run_in_root /authemu healthcheck --listen 127.0.0.1:$port"
check "healthcheck fails when nothing listens" bash -c "! ($(declare -f run_in_root); root=$root; run_in_root /authemu healthcheck --listen 127.0.0.1:1 2>/dev/null)"

stop_server "$SERVER_PID"
check_eq "SIGTERM stops it with exit code 0" "0" "$?"
finish
