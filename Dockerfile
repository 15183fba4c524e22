# authemu image: the static binary alone in an empty root.
#   docker build -t authemu .
#   docker run --rm -p 8080:8080 authemu
# Same build as `make`: scripts/deps.sh installs the Debian packages and source packages.

FROM debian:bookworm AS build
RUN apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends make \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY . .
RUN make && ldd build/authemu 2>&1 | grep -q 'not a dynamic executable'

FROM scratch
COPY --from=build /src/build/authemu /authemu
# All interfaces inside the container; the issuer stays http://localhost:8080/api/auth, the URL a
# port-mapped client uses. Set BASE_URL when clients reach it by another name (e.g. in compose).
ENV LISTEN=0.0.0.0:8080
EXPOSE 8080
# No shell in the image: the binary probes itself (GET /_healthcheck on LISTEN).
HEALTHCHECK --interval=5s --timeout=3s --start-period=1s --retries=3 CMD ["/authemu", "healthcheck"]
ENTRYPOINT ["/authemu"]
