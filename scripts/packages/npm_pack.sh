#!/usr/bin/env bash
# Builds the npm package: scripts/packages/npm/ with the stripped static binaries of `make dist`
# (build/dist/authemu-linux-amd64 as bin/authemu-linux-x64, -arm64 as bin/authemu-linux-arm64, the
# names of Node's process.arch) and the binary's version, packed by npm into
# build/npm/authemu-<version>.tgz. Prints that path.
set -euo pipefail
cd "$(dirname "$0")/../.."
dist=${DIST:-build/dist}
for f in "$dist/authemu-linux-amd64" "$dist/authemu-linux-arm64"; do
  [ -f "$f" ] || { echo "npm_pack: $f is missing (make dist)" >&2; exit 1; }
done
version=$("$dist/authemu-linux-amd64" --version | awk '{print $2}')
stage=build/npm/stage
rm -rf "$stage" build/npm/authemu-*.tgz
mkdir -p "$stage/bin"
cp -r scripts/packages/npm/. "$stage/"
install -m 755 "$dist/authemu-linux-amd64" "$stage/bin/authemu-linux-x64"
install -m 755 "$dist/authemu-linux-arm64" "$stage/bin/authemu-linux-arm64"
jq --arg v "$version" '.version = $v' scripts/packages/npm/package.json >"$stage/package.json"
(cd build/npm && npm pack --silent ./stage >/dev/null)
echo "build/npm/authemu-$version.tgz"
