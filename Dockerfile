# The demo IdP: mock-idp with fixtures/mock-idp.yaml on port 5001 (docs/docker.md).
#
#   docker compose up                     # or: docker build -t authconform/mock-idp .
#
# Builder: the official Rust image (RUST_IMAGE, the toolchain the project is built with). Runtime:
# FROM scratch with the binary, the shared libraries it links (found with ldd), the CA bundle,
# the demo config and an empty /tmp: no shell, no package manager, a numeric non-root user.
# Works with the classic builder and BuildKit alike (no BuildKit-only syntax), so CI can build it
# without pulling anything from a base image it made itself (.ci/docker-base.sh).
ARG RUST_IMAGE=rust:1.95.0-slim-bookworm

FROM ${RUST_IMAGE} AS builder
WORKDIR /src

# 1. The dependencies, built against stub crates: this layer is reused for as long as the
#    manifests and Cargo.lock do not change. .cargo/config.toml sets build-time environment
#    (AWS-LC without CPU-jitter entropy: a 70 ms start-up cost otherwise).
COPY Cargo.toml Cargo.lock ./
COPY .cargo .cargo
COPY mock-idp/Cargo.toml mock-idp/
COPY runner/Cargo.toml runner/
COPY reference/Cargo.toml reference/
# protocol, the leaf crate mock-idp shares with the runner, is small and changes rarely: whole.
COPY protocol protocol
RUN mkdir -p mock-idp/src runner/src reference/src \
 && echo 'fn main() {}' > mock-idp/src/main.rs && touch mock-idp/src/lib.rs \
 && echo 'fn main() {}' > runner/src/main.rs && touch runner/src/lib.rs \
 && touch reference/src/lib.rs \
 && cargo build --release --locked -p mock-idp \
 && rm -rf mock-idp/src

# 2. mock-idp itself (touched, so cargo never takes the stub's build for it), then the runtime
#    tree: the binary, every library ldd names (the loader included), the CA bundle, /tmp.
COPY mock-idp/src mock-idp/src
RUN find mock-idp/src -type f -exec touch {} + \
 && cargo build --release --locked -p mock-idp \
 && mkdir -p /rootfs/usr/local/bin /rootfs/etc/ssl/certs /rootfs/etc/mock-idp /rootfs/tmp \
 && chmod 1777 /rootfs/tmp \
 && cp target/release/mock-idp /rootfs/usr/local/bin/mock-idp \
 && for lib in $(ldd target/release/mock-idp | grep -o '/[^ ]*'); do cp -L --parents "$lib" /rootfs; done \
 && cp /etc/ssl/certs/ca-certificates.crt /rootfs/etc/ssl/certs/ \
 && /rootfs/usr/local/bin/mock-idp --version
COPY fixtures/mock-idp.yaml /rootfs/etc/mock-idp/mock-idp.yaml

FROM scratch
COPY --from=builder /rootfs/ /
LABEL org.opencontainers.image.title=authconform-mock-idp \
      org.opencontainers.image.description="mock-idp: a strict, observable, breakable OAuth 2.1 / OpenID Connect provider (the authconform demo IdP)" \
      org.opencontainers.image.licenses=Apache-2.0
# The demo config; every value in it may be set by environment (${VAR:-default}): the issuer
# (MOCK_IDP_ISSUER), the demo client's secret (MOCK_IDP_DEMO_SECRET), ... docs/docker.md lists them.
ENV MOCK_IDP_CONFIG=/etc/mock-idp/mock-idp.yaml \
    MOCK_IDP_LISTEN=0.0.0.0:5001 \
    SSL_CERT_FILE=/etc/ssl/certs/ca-certificates.crt
USER 10001:10001
WORKDIR /tmp
EXPOSE 5001
# `mock-idp health` GETs the discovery document on the address MOCK_IDP_LISTEN names (no shell
# needed); exit 0 healthy, 1 not. The short interval makes start-to-healthy well under a second;
# a probe costs about a millisecond of CPU in the container.
HEALTHCHECK --interval=500ms --timeout=3s --start-period=30s --retries=3 \
  CMD ["/usr/local/bin/mock-idp", "health"]
ENTRYPOINT ["/usr/local/bin/mock-idp"]
CMD ["serve"]
