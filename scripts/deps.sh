#!/usr/bin/env bash
# Installs what the build and the tests need, and nothing when it is all there.
#   scripts/deps.sh build   compiler, Debian -dev packages, and the Debian source packages
#                           (mbedTLS 3.6, cpp-httplib) unpacked into build/third_party/
#   scripts/deps.sh test    the above plus the black-box test tools (curl, jq, PyJWT, Authlib, and
#                           npm's jose in build/node)
#   scripts/deps.sh bench   the above plus wrk, valgrind and the peer of the benchmark, npm's
#                           oauth2-mock-server (8.x: the last for node 20) in build/node
# The source packages come from the newer Debian release's deb-src entry, derived from the
# machine's own apt sources: the archive URI is read from them, never written here.
set -euo pipefail
cd "$(dirname "$0")/.."

what=${1:-build}
third=build/third_party
build_pkgs=(g++ make libyaml-cpp-dev catch2 picojson-dev dpkg-dev)
test_pkgs=(curl jq python3 python3-jwt python3-cryptography python3-authlib python3-requests
           clang-14 libclang-rt-14-dev)  # clang: the ASan+UBSan, TSan and libFuzzer builds
bench_pkgs=(wrk valgrind)
src_suite=trixie             # Debian 13: mbedTLS 3.6 LTS, cpp-httplib 0.18
src_list=/etc/apt/sources.list.d/authemu-src.sources

pkgs=("${build_pkgs[@]}")
case "$what" in
  build) ;;
  test) pkgs+=("${test_pkgs[@]}") ;;
  bench) pkgs+=("${test_pkgs[@]}" "${bench_pkgs[@]}") ;;
  *) echo "usage: $0 [build|test|bench]" >&2; exit 2 ;;
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

# The npm interop client (jose), for `test`: into build/node, never committed.
if [ "$what" != build ] && [ ! -f build/node/node_modules/jose/package.json ]; then
  if ! command -v npm >/dev/null; then
    apt_update
    sudo_ env DEBIAN_FRONTEND=noninteractive apt-get install -y -q nodejs npm >&2
  fi
  mkdir -p build/node
  (cd build/node && npm install --no-audit --no-fund --silent jose@6 >&2)
fi

# The benchmark's peer: into build/node too, never committed.
if [ "$what" = bench ] && [ ! -f build/node/node_modules/oauth2-mock-server/package.json ]; then
  (cd build/node && npm install --no-audit --no-fund --silent oauth2-mock-server@8 >&2)
fi

have_src() { compgen -G "$third/$1" >/dev/null; }
if ! have_src 'mbedtls-3.6.*/library/rsa.c' || ! have_src 'cpp-httplib-*/httplib.h'; then
  if [ ! -f "$src_list" ]; then
    uri=$(awk '/^URIs:/ && $2 !~ /security/ {print $2; exit}' /etc/apt/sources.list.d/*.sources 2>/dev/null || true)
    [ -n "$uri" ] || uri=$(awk '$1 == "deb" && $0 !~ /security/ {print $2; exit}' /etc/apt/sources.list 2>/dev/null || true)
    [ -n "$uri" ] || { echo "deps: no Debian archive URI found in /etc/apt/sources*" >&2; exit 1; }
    printf 'Types: deb-src\nURIs: %s\nSuites: %s\nComponents: main\nSigned-By: /usr/share/keyrings/debian-archive-keyring.gpg\n' \
      "$uri" "$src_suite" | sudo_ tee "$src_list" >/dev/null
    updated=0
  fi
  apt_update
  mkdir -p "$third"
  (cd "$third" && apt-get source -q "mbedtls/$src_suite" "cpp-httplib/$src_suite" >&2)
  have_src 'mbedtls-3.6.*/library/rsa.c' || { echo "deps: mbedTLS 3.6 source not unpacked" >&2; exit 1; }
  have_src 'cpp-httplib-*/httplib.h' || { echo "deps: cpp-httplib source not unpacked" >&2; exit 1; }
fi
