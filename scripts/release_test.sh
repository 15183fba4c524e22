#!/usr/bin/env bash
# make release's output (scripts/release.sh into a scratch RELEASE_DIR, from the stripped binaries
# of make dist): the files the release workflow uploads and nothing else, SHA256SUMS, stripped static
# binaries, the package sizes, the image archive's manifest list for both architectures with the
# release binaries and the image settings, and the SBOM's components and versions checked against
# what the machine says independently (deps.env, the source folder, ldd, g++, pkg-config). Then the
# workflow: `make release` is its one build step, the rest upload.
set -uo pipefail
cd "$(dirname "$0")/.."
. scripts/lib.sh
out=$(mktemp -d)
trap 'stop_servers; rm -rf "$out"' EXIT
export RELEASE_DIR=$out/release
if ! scripts/release.sh >"$out/log" 2>&1; then
  not_ok "scripts/release.sh builds the release" "$(tail -n 20 "$out/log")"
  finish
fi
ok "scripts/release.sh builds the release"
v=$(build/dist/authemu-linux-amd64 --version | awk '{print $2}')
wheel() { echo "authemu-$v-py3-none-manylinux_2_17_$1.manylinux2014_$1.musllinux_1_1_$1.whl"; }
check_eq "the artifacts" \
  "SHA256SUMS $(wheel aarch64) $(wheel x86_64) authemu-$v.spdx.json authemu-$v.tgz authemu-image-$v.oci.tar authemu-linux-amd64 authemu-linux-arm64" \
  "$(cd "$RELEASE_DIR" && ls | sort | tr '\n' ' ' | sed 's/ $//')"
check "SHA256SUMS lists and verifies every other file" \
  bash -c "cd '$RELEASE_DIR' && [ \$(wc -l <SHA256SUMS) = 7 ] && sha256sum --quiet -c SHA256SUMS"
for arch in amd64 arm64; do
  b=$RELEASE_DIR/authemu-linux-$arch
  check "authemu-linux-$arch is static and stripped" \
    bash -c "! readelf -l '$b' | grep -q INTERP && ! readelf -S '$b' | grep -q '\.symtab'"
done
for f in "authemu-$v.tgz" "$(wheel x86_64)" "$(wheel aarch64)"; do
  size=$(stat -c %s "$RELEASE_DIR/$f")
  check "$f is at most 6 MB ($size bytes)" test "$size" -le 6000000
done

# The image archive: an OCI layout whose one index entry is a manifest list of linux/amd64 and
# linux/arm64, each with the release's binary as its one file and the Dockerfile's settings.
img=$out/image
mkdir -p "$img" && tar -xf "$RELEASE_DIR/authemu-image-$v.oci.tar" -C "$img"
blob() { cat "$img/blobs/sha256/${1#sha256:}"; }
list=$(blob "$(jq -r '.manifests[0].digest' "$img/index.json")")
check_eq "the archive's reference" "authemu:$v" "$(jq -r '.manifests[0].annotations["org.opencontainers.image.ref.name"]' "$img/index.json")"
check_eq "a manifest list for linux/amd64 and linux/arm64" "linux/amd64 linux/arm64" \
  "$(jq -r '[.manifests[].platform | "\(.os)/\(.architecture)"] | join(" ")' <<<"$list")"
for arch in amd64 arm64; do
  manifest=$(blob "$(jq -r --arg a $arch '.manifests[] | select(.platform.architecture == $a) | .digest' <<<"$list")")
  config=$(blob "$(jq -r .config.digest <<<"$manifest")")
  check_eq "the $arch image: entrypoint, LISTEN, health check, version label" \
    "[\"/authemu\"] LISTEN=0.0.0.0:8080 [\"CMD\",\"/authemu\",\"healthcheck\"] $v" \
    "$(jq -r '"\(.config.Entrypoint | tojson) \(.config.Env[] | select(startswith("LISTEN="))) \(.config.Healthcheck.Test | tojson) \(.config.Labels["org.opencontainers.image.version"])"' <<<"$config")"
  mkdir -p "$img/root-$arch"
  blob "$(jq -r '.layers[0].digest' <<<"$manifest")" | tar -xzf - -C "$img/root-$arch" 2>/dev/null ||
    blob "$(jq -r '.layers[0].digest' <<<"$manifest")" | tar -xf - -C "$img/root-$arch"
  check "the $arch image holds the release binary alone" \
    bash -c "[ \"\$(ls -A '$img/root-$arch')\" = authemu ] && cmp -s '$img/root-$arch/authemu' '$RELEASE_DIR/authemu-linux-$arch'"
done

# The SBOM: SPDX 2.3, the binaries by their SHA-256, each component at the version the machine reports.
sbom=$RELEASE_DIR/authemu-$v.spdx.json
check_eq "SPDX 2.3 describing authemu $v" "SPDX-2.3 authemu $v" \
  "$(jq -r '"\(.spdxVersion) \(.packages[0].name) \(.packages[0].versionInfo)"' "$sbom")"
check_eq "its files' SHA-256 are SHA256SUMS's" \
  "$(grep -E 'authemu-linux-(amd64|arm64)$' "$RELEASE_DIR/SHA256SUMS" | awk '{print $1}' | sort | tr '\n' ' ')" \
  "$(jq -r '.files[].checksums[] | select(.algorithm == "SHA256") | .checksumValue' "$sbom" | sort | tr '\n' ' ')"
component() { # component NAME ARCH: the versionInfo of NAME statically linked into that binary
  jq -r --arg n "$1" --arg f "SPDXRef-File-authemu-linux-$2" \
    '(.relationships | map(select(.spdxElementId == $f and .relationshipType == "STATIC_LINK") | .relatedSpdxElement)) as $ids
     | [.packages[] | select(.name == $n and (.SPDXID as $i | $ids | index($i)))] | map(.versionInfo) | join(",")' "$sbom"
}
httplib_dir=$(basename build/third_party/cpp-httplib-*)
. scripts/deps.env
for arch in amd64 arm64; do
  cxx=$([ $arch = amd64 ] && echo g++ || echo aarch64-linux-gnu-g++)
  check_eq "SBOM, $arch: mbedtls, cpp-httplib, picojson, yaml-cpp, glibc, libstdc++, libgcc" \
    "$MBEDTLS_VERSION ${httplib_dir#cpp-httplib-} $(dpkg-query -W -f='${Version}' picojson-dev | sed 's/-[^-]*$//') $(pkg-config --modversion yaml-cpp) $(ldd --version | head -n1 | awk '{print $NF}') $($cxx -dumpfullversion) $($cxx -dumpfullversion)" \
    "$(for n in mbedtls cpp-httplib picojson yaml-cpp glibc libstdc++ libgcc; do component $n $arch; done | tr '\n' ' ' | sed 's/ $//')"
done
check_eq "each component names its Debian package in a purl" "0" \
  "$(jq '[.packages[1:][] | select((.externalRefs[0].referenceLocator // "") | startswith("pkg:deb/debian/") | not)] | length' "$sbom")"

# The workflow: one build step, make release; the others check out, hand over and upload.
check_eq "release.yml: make release is the one run step of the build job" "make release" \
  "$(/usr/bin/python3 -c 'import yaml, sys; j = yaml.safe_load(open(".github/workflows/release.yml"))["jobs"]
print("\n".join(s["run"] for s in j["build"]["steps"] if "run" in s))')"
check_eq "release.yml: the publish job uploads (GitHub release, GHCR, npm, PyPI)" \
  "gh release create|skopeo copy|npm publish|pypa/gh-action-pypi-publish" \
  "$(/usr/bin/python3 -c 'import yaml, re; j = yaml.safe_load(open(".github/workflows/release.yml"))["jobs"]["publish"]
print("|".join(m for s in j["steps"] for m in re.findall(r"gh release create|skopeo copy|npm publish|pypa/gh-action-pypi-publish", s.get("run", "") + s.get("uses", ""))))')"
finish
