#!/usr/bin/env bash
# The image without a Docker engine: podman builds the Dockerfile's final stage (FROM scratch) from
# the binaries make built, once per architecture; podman inspect shows its entrypoint, environment,
# port and health check; its root file system, unpacked from `podman save`, runs in a chroot with
# the image's environment and issues a token. (`podman run` needs cgroups, which this machine lacks.)
set -uo pipefail
cd "$(dirname "$0")/.."
. scripts/lib.sh

if ! command -v podman >/dev/null; then
  not_ok "podman is installed (scripts/deps.sh test)"
  finish
fi
ctx=$(mktemp -d)
tag=localhost/authemu-image-test:$$
trap 'stop_servers; podman rmi -f "$tag-amd64" "$tag-arm64" >/dev/null 2>&1; rm -rf "$ctx"' EXIT

# The final stage: the Dockerfile from its last FROM on, taking the binary from the context
# instead of the build stage.
image_containerfile >"$ctx/Containerfile"
check "the final stage is FROM scratch and copies the target's binary" \
  grep -qz 'FROM scratch.*COPY ./authemu-linux-${TARGETARCH} /authemu' "$ctx/Containerfile"
cp build/authemu "$ctx/authemu-linux-amd64"
cp build/authemu-arm64 "$ctx/authemu-linux-arm64"
for arch in amd64 arm64; do
  check "podman builds the $arch image" podman build -q --format docker --platform "linux/$arch" \
    --build-arg "TARGETARCH=$arch" -t "$tag-$arch" -f "$ctx/Containerfile" "$ctx"
  check_eq "the $arch image is for $arch" "$arch" "$(podman image inspect "$tag-$arch" --format '{{.Architecture}}')"
done
inspect() { podman image inspect "$tag-amd64" --format "$1"; }
check_eq "entrypoint" '["/authemu"]' "$(inspect '{{json .Config.Entrypoint}}')"
check_eq "LISTEN in the environment" "LISTEN=0.0.0.0:8080" "$(inspect '{{json .Config.Env}}' | jq -r '.[] | select(startswith("LISTEN="))')"
check_eq "exposed port" '["8080/tcp"]' "$(inspect '{{json .Config.ExposedPorts}}' | jq -c keys)"
check_eq "health check" '["CMD","/authemu","healthcheck"]' "$(inspect '{{json .Config.Healthcheck.Test}}')"
echo "# image size: amd64 $(podman image inspect "$tag-amd64" --format '{{.Size}}') bytes, arm64 $(podman image inspect "$tag-arm64" --format '{{.Size}}') bytes"

# The amd64 image's root file system, run with its entrypoint and environment (port 0 added, as
# `docker run IMAGE --listen …` would, so that a taken 8080 does not matter here).
podman save -q --format docker-archive -o "$ctx/image.tar" "$tag-amd64"
mkdir -p "$ctx/unpacked" "$ctx/root"
tar -xf "$ctx/image.tar" -C "$ctx/unpacked"
for layer in $(jq -r '.[0].Layers[]' "$ctx/unpacked/manifest.json"); do tar -xf "$ctx/unpacked/$layer" -C "$ctx/root"; done
check_eq "the root file system holds the binary alone" "authemu" "$(ls -A "$ctx/root")"
mapfile -t image_env < <(inspect '{{json .Config.Env}}' | jq -r '.[]')
mapfile -t entrypoint < <(inspect '{{json .Config.Entrypoint}}' | jq -r '.[]')
start_command env -i "${image_env[@]}" chroot "$ctx/root" "${entrypoint[@]}" --listen 127.0.0.1:0 --quiet
check "the image's entrypoint starts in the chroot" test -n "$URL"
check_eq "a token from the image's root" "200" \
  "$(curl -s -o /dev/null -w '%{http_code}' -u testing:testing -d grant_type=client_credentials "$URL/api/auth/oauth/token")"
check "the image's health check command passes" env -i "${image_env[@]}" chroot "$ctx/root" \
  $(inspect '{{json .Config.Healthcheck.Test}}' | jq -r '.[1:][]') --listen "127.0.0.1:${URL##*:}"
finish
