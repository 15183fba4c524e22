# authemu image: the static binary alone in an empty root, for linux/amd64 and linux/arm64.
#   docker build -t authemu .                                                   # this machine's architecture
#   docker buildx build --platform linux/amd64,linux/arm64 -t authemu .         # both
#   docker run --rm -p 8080:8080 authemu
# The build stage runs once, on the builder's own architecture, and makes both binaries (`make dist`:
# arm64 with Debian's cross compiler, no emulation); the final stage takes the target's.

FROM --platform=$BUILDPLATFORM debian:bookworm AS build
RUN apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends make \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY . .
RUN make dist && ldd build/authemu 2>&1 | grep -q 'not a dynamic executable'

FROM scratch
ARG TARGETARCH
COPY --from=build /src/build/dist/authemu-linux-${TARGETARCH} /authemu
# All interfaces inside the container; the issuer stays http://localhost:8080/api/auth, the URL a
# port-mapped client uses. Set BASE_URL when clients reach it by another name (e.g. in compose).
ENV LISTEN=0.0.0.0:8080
EXPOSE 8080
# No shell in the image: the binary probes itself (GET /_healthcheck on LISTEN).
HEALTHCHECK --interval=5s --timeout=3s --start-period=1s --retries=3 CMD ["/authemu", "healthcheck"]
ENTRYPOINT ["/authemu"]
