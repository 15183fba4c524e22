#!/usr/bin/env bash
# Installs what the build and the tests need, and nothing when it is all there.
#   scripts/deps.sh build   compiler, Debian -dev packages, and the Debian source packages
#                           (mbedTLS 3.6, cpp-httplib) unpacked into build/third_party/
#   scripts/deps.sh test    the above plus the black-box test tools (curl, jq, PyJWT, Authlib,
#                           Debian's chromium, and npm's jose, openid-client, puppeteer-core, Formance SDK,
#                           vitest and @playwright/test in build/node)
#   scripts/deps.sh dist    the build's plus the linux/arm64 cross compiler and yaml-cpp's arm64
#                           package unpacked into build/arm64/root (apt-get download + dpkg -x, with
#                           a private apt state for arm64: the machine's architectures stay as they are)
#   scripts/deps.sh test    also installs what dist does, qemu-user-static (the arm64 smoke test)
#                           and podman (the image's final stage)
#   scripts/deps.sh bench   the above plus wrk, valgrind and the peer of the benchmark, npm's
#                           oauth2-mock-server (8.x: the last for node 20) in build/node
#   scripts/deps.sh release what dist needs, plus npm and jq (the npm package), python3 (the wheels
#                           and the SBOM) and podman (the image archive)
# The source packages come from the newer Debian release's deb-src entry, derived from the
# machine's own apt sources: the archive URI is read from them, never written here. mbedTLS is
# fetched at exactly MBEDTLS_VERSION (scripts/deps.env, which the Makefile reads too).
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/deps.env

what=${1:-build}
third=build/third_party
build_pkgs=(g++ make libyaml-cpp-dev catch2 picojson-dev dpkg-dev)
test_pkgs=(curl jq python3 python3-jwt python3-cryptography python3-authlib python3-requests python3-pytest golang-go
           python3-venv                 # a fresh venv for the wheels (scripts/python_package.sh)
           python3-yaml                 # scripts/ftl_check.py parses the YAML of export ftl
           golang-golang-x-oauth2-dev   # Go's x/oauth2 for scripts/tls_go, built in GOPATH mode
           libnss3-tools testssl.sh     # certutil: Chromium's NSS trust store; the TLS scanner
           clang-14 libclang-rt-14-dev  # clang: the ASan+UBSan, TSan and libFuzzer builds
           chromium)                    # headless, for the browser sign-in tests
bench_pkgs=(wrk valgrind)
dist_pkgs=(g++-aarch64-linux-gnu binutils-aarch64-linux-gnu)
test_dist_pkgs=(qemu-user-static podman)
release_pkgs=(jq python3 podman)   # and npm, below
src_suite=trixie             # Debian 13: mbedTLS 3.6 LTS, cpp-httplib 0.18
src_list=/etc/apt/sources.list.d/authemu-src.sources

pkgs=("${build_pkgs[@]}")
case "$what" in
  build) ;;
  dist) pkgs+=("${dist_pkgs[@]}") ;;
  test) pkgs+=("${test_pkgs[@]}" "${dist_pkgs[@]}" "${test_dist_pkgs[@]}") ;;
  bench) pkgs+=("${test_pkgs[@]}" "${bench_pkgs[@]}") ;;
  release) pkgs+=("${dist_pkgs[@]}" "${release_pkgs[@]}") ;;
  *) echo "usage: $0 [build|dist|test|bench|release]" >&2; exit 2 ;;
esac

sudo_() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }
updated=0
apt_update() { [ $updated = 1 ] || { sudo_ apt-get update -q >&2; updated=1; }; }

missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "deps: installing ${missing[*]}" >&2
  apt_update
  sudo_ env DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${missing[@]}" >&2
fi

# The npm test clients, for `test`: into build/node, never committed. jose verifies tokens
# (scripts/interop_jose.mjs), openid-client and puppeteer-core run the browser sign-in
# (scripts/browser_flow.sh), the Formance SDK calls the gateway (scripts/interop_formance_sdk.mjs),
# vitest runs the recipes of docs/testing.md (scripts/readme_runners.sh) and the npm package's
# suite, typescript checks the package's types (scripts/npm_package.sh), express and
# express-oauth2-jwt-bearer run the resource-server example (scripts/resource_servers.sh),
# @playwright/test runs the recipe of docs/spa-playwright.md with Debian's chromium
# (scripts/playwright.sh; no browser download).
npm_pkgs=(jose@6 openid-client@6 puppeteer-core@24 @formance/formance-sdk@7 vitest@3 typescript@5 @modelcontextprotocol/sdk@1
          express@5 express-oauth2-jwt-bearer@1 @playwright/test@1)
npm_dirs=(jose openid-client puppeteer-core @formance/formance-sdk vitest typescript @modelcontextprotocol/sdk
          express express-oauth2-jwt-bearer @playwright/test)
npm_missing=()
for i in "${!npm_pkgs[@]}"; do
  [ -f "build/node/node_modules/${npm_dirs[$i]}/package.json" ] || npm_missing+=("${npm_pkgs[$i]}")
done
case "$what" in test | bench | release) need_npm=1 ;; *) need_npm=0 ;; esac
if [ $need_npm = 1 ] && ! command -v npm >/dev/null; then
  apt_update
  sudo_ env DEBIAN_FRONTEND=noninteractive apt-get install -y -q nodejs npm >&2
fi
if { [ "$what" = test ] || [ "$what" = bench ]; } && [ ${#npm_missing[@]} -gt 0 ]; then
  mkdir -p build/node
  (cd build/node && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm install --no-audit --no-fund --silent "${npm_missing[@]}" >&2)
fi

# yaml-cpp for linux/arm64 (dist, test): Debian's arm64 -dev package, unpacked. Its index comes from a
# private apt state under build/arm64/apt, read from the machine's own sources.
arm=build/arm64
if [ "$what" = dist ] || [ "$what" = test ] || [ "$what" = release ]; then
  if [ ! -f "$arm/root/usr/lib/aarch64-linux-gnu/libyaml-cpp.a" ]; then
    mkdir -p "$arm/apt/lists/partial" "$arm/apt/cache/archives/partial" "$arm/deb"
    apt_arm=(-o APT::Architecture=arm64 -o APT::Architectures::=arm64 -o "Dir::State::Lists=$PWD/$arm/apt/lists"
             -o "Dir::Cache=$PWD/$arm/apt/cache" -o Dir::State::status=/dev/null)
    apt-get "${apt_arm[@]}" update -q >&2
    (cd "$arm/deb" && apt-get "${apt_arm[@]}" download libyaml-cpp-dev:arm64 >&2)
    dpkg -x "$arm"/deb/libyaml-cpp-dev_*_arm64.deb "$arm/root"
    rm -rf "$arm/apt/cache"
  fi
  # picojson is one header in /usr/include, which the cross compiler does not search.
  mkdir -p "$arm/include"
  [ -f "$arm/include/picojson.h" ] || cp /usr/include/picojson.h "$arm/include/"
fi

# The benchmark's peer: into build/node too, never committed.
if [ "$what" = bench ] && [ ! -f build/node/node_modules/oauth2-mock-server/package.json ]; then
  (cd build/node && npm install --no-audit --no-fund --silent oauth2-mock-server@8 >&2)
fi

have_src() { compgen -G "$third/$1" >/dev/null; }
mbedtls_dir=$third/mbedtls-$MBEDTLS_VERSION
sources=()
[ -f "$mbedtls_dir/library/rsa.c" ] || sources+=(mbedtls)
have_src 'cpp-httplib-*/httplib.h' || sources+=("cpp-httplib/$src_suite")
if [ ${#sources[@]} -gt 0 ]; then
  if [ ! -f "$src_list" ]; then
    uri=$(awk '/^URIs:/ && $2 !~ /security/ {print $2; exit}' /etc/apt/sources.list.d/*.sources 2>/dev/null || true)
    [ -n "$uri" ] || uri=$(awk '$1 == "deb" && $0 !~ /security/ {print $2; exit}' /etc/apt/sources.list 2>/dev/null || true)
    [ -n "$uri" ] || { echo "deps: no Debian archive URI found in /etc/apt/sources*" >&2; exit 1; }
    printf 'Types: deb-src\nURIs: %s\nSuites: %s\nComponents: main\nSigned-By: /usr/share/keyrings/debian-archive-keyring.gpg\n' \
      "$uri" "$src_suite" | sudo_ tee "$src_list" >/dev/null
    updated=0
  fi
  apt_update
  if [ "${sources[0]}" = mbedtls ]; then
    # The Debian version whose upstream part is MBEDTLS_VERSION (3.6.6 -> 3.6.6-0.1~deb13u1), newest
    # first: apt-get source then fetches exactly it, or nothing.
    versions=$(apt-cache showsrc mbedtls 2>/dev/null | awk '$1 == "Version:" {print $2}' | sort -Vru)
    debian=$(awk -v up="$MBEDTLS_VERSION" '{v = $1; sub(/^[0-9]+:/, "", v)} index(v, up "-") == 1 {print $1; exit}' <<<"$versions")
    [ -n "$debian" ] || {
      echo "deps: Debian's sources have no mbedtls $MBEDTLS_VERSION (MBEDTLS_VERSION, scripts/deps.env); they have: ${versions//$'\n'/ }" >&2
      exit 1
    }
    sources[0]="mbedtls=$debian"
  fi
  mkdir -p "$third"
  (cd "$third" && apt-get source -q "${sources[@]}" >&2)
  [ -f "$mbedtls_dir/library/rsa.c" ] ||
    { echo "deps: $mbedtls_dir not unpacked (MBEDTLS_VERSION, scripts/deps.env)" >&2; exit 1; }
  have_src 'cpp-httplib-*/httplib.h' || { echo "deps: cpp-httplib source not unpacked" >&2; exit 1; }
fi
