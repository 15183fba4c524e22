#!/usr/bin/env bash
# make release: every artifact of a release into build/release/ (RELEASE_DIR), from the stripped
# binaries of make dist, for .github/workflows/release.yml to upload as they are:
#   authemu-linux-amd64, authemu-linux-arm64        the static executables
#   authemu-<version>.tgz                            the npm package (scripts/packages/npm_pack.sh)
#   authemu-<version>-py3-none-…_{x86_64,aarch64}.whl the wheels (scripts/packages/python/build_wheels.py)
#   authemu-image-<version>.oci.tar                  the image for linux/amd64 and linux/arm64: an OCI
#                                                    layout archive holding one manifest list, built by
#                                                    podman from the Dockerfile's final stage as
#                                                    scripts/image.sh builds it (docker format: it keeps
#                                                    the HEALTHCHECK)
#   authemu-<version>.spdx.json                      the SPDX SBOM (scripts/release_sbom.py)
#   SHA256SUMS                                       of all the above
# The image's time is SOURCE_DATE_EPOCH, by default the commit's time. All but the image archive come
# out byte for byte the same from the same commit and toolchain (the image's configuration holds
# podman's build host name).
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib.sh
dist=${DIST:-build/dist}
out=${RELEASE_DIR:-build/release}
version=$("$dist/authemu-linux-amd64" --version | awk '{print $2}')
epoch=${SOURCE_DATE_EPOCH:-$(git log -1 --format=%ct 2>/dev/null || date +%s)}
ctx=$(mktemp -d)
tag=localhost/authemu-release:$version-$$
trap 'podman manifest rm "$tag" >/dev/null 2>&1; podman rmi -f "$tag-amd64" "$tag-arm64" >/dev/null 2>&1; rm -rf "$ctx"' EXIT

rm -rf "$out"
mkdir -p "$out"
cp "$dist/authemu-linux-amd64" "$dist/authemu-linux-arm64" "$out/"
cp "$(DIST=$dist scripts/packages/npm_pack.sh)" "$out/"
/usr/bin/python3 scripts/packages/python/build_wheels.py "$dist" build/python | xargs -I{} cp {} "$out/"

image_containerfile >"$ctx/Containerfile"
cp "$dist/authemu-linux-amd64" "$dist/authemu-linux-arm64" "$ctx/"
podman manifest create "$tag" >/dev/null
for arch in amd64 arm64; do
  podman build -q --format docker --platform "linux/$arch" --build-arg "TARGETARCH=$arch" --timestamp "$epoch" \
    --label org.opencontainers.image.title=authemu --label "org.opencontainers.image.version=$version" \
    -t "$tag-$arch" -f "$ctx/Containerfile" "$ctx" >/dev/null
  podman manifest add "$tag" "containers-storage:$tag-$arch" >/dev/null
done
podman manifest push -q --all --format v2s2 "$tag" "oci-archive:$out/authemu-image-$version.oci.tar:authemu:$version"

SOURCE_DATE_EPOCH=$epoch /usr/bin/python3 scripts/release_sbom.py "$version" "$out/authemu-$version.spdx.json" \
  "$out/authemu-linux-amd64" "$out/authemu-linux-arm64"
(cd "$out" && sha256sum -- * >SHA256SUMS)
ls -l "$out"
