#!/usr/bin/env bash
# Makes, locally, the builder base image that the Dockerfile's default RUST_IMAGE names (e.g.
# rust:1.95.0-slim-bookworm), for machines that reach Debian's packages and crates.io but no
# container registry. What `docker build .` then runs is the unchanged Dockerfile, as users run it.
#
# The image stands in for the official rust:<version>-slim-bookworm: a Debian bookworm minbase
# (debootstrap) with what that image adds (ca-certificates, gcc, libc6-dev), the host's Rust
# toolchain in /usr/local/rust, and, because containers here may not reach crates.io, a copy of the
# host's crate cache (registry index + .crate files, after `cargo fetch --locked`) in
# $CARGO_HOME/registry with CARGO_NET_OFFLINE=true.
#
# Cached: the Debian rootfs as the image authconform-ci/bookworm-build:<key> (debootstrap runs
# once per machine, ~2 min); the rust image carries the label org.authconform.base-key (toolchain,
# Cargo.lock, this script) and is rebuilt only when that key changes, so the Dockerfile's
# dependency layer stays cached between CI runs. Needs root, docker and debootstrap.
set -euo pipefail
cd "$(dirname "$0")/.."
export LC_ALL=C

# Bump when what goes into the images changes.
SCRIPT_VERSION=1
MIRROR=${DEBIAN_MIRROR:-http://deb.debian.org/debian}
SUITE=bookworm
PACKAGES=ca-certificates,gcc,libc6-dev

rust_image=$(sed -n 's/^ARG RUST_IMAGE=//p' Dockerfile | head -n 1)
[[ -n $rust_image ]] || { echo "docker-base: no 'ARG RUST_IMAGE=' in the Dockerfile" >&2; exit 2; }

sysroot=$(rustc --print sysroot)
rustc_version=$(rustc --version | awk '{print $2}')
case $rust_image in
  *:"$rustc_version"-*) ;;
  *) echo "docker-base: WARNING: the Dockerfile names $rust_image but the host's rustc is $rustc_version;" \
       "the local image gets the host's toolchain. Update ARG RUST_IMAGE in the Dockerfile." >&2 ;;
esac

cargo_home=${CARGO_HOME:-$HOME/.cargo}
# Every crate of the lock file in the host's cache (a no-op when they are there already).
cargo fetch --locked --quiet

rootfs_key=$(printf '%s\n' "$SCRIPT_VERSION" "$SUITE" "$MIRROR" "$PACKAGES" | sha256sum | cut -c1-12)
rootfs_image=authconform-ci/bookworm-build:$rootfs_key
base_key=$(
  {
    echo "$SCRIPT_VERSION $rootfs_key"
    rustc -vV
    cargo -V
    sha256sum Cargo.lock
  } | sha256sum | cut -c1-16
)

current_key=$(docker image inspect "$rust_image" \
  --format '{{ index .Config.Labels "org.authconform.base-key" }}' 2>/dev/null || true)
if [[ $current_key == "$base_key" ]]; then
  echo "docker-base: $rust_image is up to date (key $base_key)"
  exit 0
fi

work=$(mktemp -d /var/tmp/authconform-docker-base.XXXXXX)
cleanup() { rm -rf "$work"; }
trap cleanup EXIT

if ! docker image inspect "$rootfs_image" >/dev/null 2>&1; then
  command -v debootstrap >/dev/null 2>&1 || {
    echo "docker-base: installing debootstrap (Debian package)"
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq debootstrap >/dev/null
  }
  echo "docker-base: debootstrap $SUITE minbase + $PACKAGES (once per machine, ~2 min)"
  start=$SECONDS
  debootstrap --variant=minbase --include="$PACKAGES" "$SUITE" "$work/rootfs" "$MIRROR" \
    >"$work/debootstrap.log" 2>&1 || { tail -n 30 "$work/debootstrap.log" >&2; exit 1; }
  rm -rf "$work"/rootfs/var/cache/apt/archives/*.deb "$work"/rootfs/var/lib/apt/lists/* \
    "$work"/rootfs/var/log/* "$work"/rootfs/usr/share/doc/* "$work"/rootfs/usr/share/man/*
  tar -C "$work/rootfs" --numeric-owner -c . | docker import \
    --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
    --change 'CMD ["bash"]' - "$rootfs_image" >/dev/null
  rm -rf "$work/rootfs"
  echo "docker-base: $rootfs_image imported in $((SECONDS - start)) s"
fi

echo "docker-base: making $rust_image (key $base_key): $rootfs_image + rustc $rustc_version + crate cache"
start=$SECONDS
ctx=$work/ctx
mkdir -p "$ctx/rust" "$ctx/registry"
# Hard links: nothing is copied (same filesystem); cp -a falls back where they cannot be made.
for d in bin lib libexec; do
  [[ -d $sysroot/$d ]] && { cp -al "$sysroot/$d" "$ctx/rust/" 2>/dev/null || cp -a "$sysroot/$d" "$ctx/rust/"; }
done
for d in index cache; do
  cp -al "$cargo_home/registry/$d" "$ctx/registry/" 2>/dev/null || cp -a "$cargo_home/registry/$d" "$ctx/registry/"
done
cat >"$ctx/Dockerfile" <<EOF
FROM $rootfs_image
COPY rust /usr/local/rust
COPY registry /usr/local/cargo/registry
ENV RUSTUP_HOME=/usr/local/rustup \\
    CARGO_HOME=/usr/local/cargo \\
    PATH=/usr/local/cargo/bin:/usr/local/rust/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \\
    RUST_VERSION=$rustc_version \\
    CARGO_NET_OFFLINE=true
LABEL org.authconform.base-key=$base_key
EOF
DOCKER_BUILDKIT=0 docker build --quiet -t "$rust_image" "$ctx" >/dev/null
# Untagged leftovers of ours (only images that carry our label); the image this one replaces goes
# with the builder layers made on it after the next build (.ci/docker.sh prunes then).
docker image prune -f --filter label=org.authconform.base-key >/dev/null
echo "docker-base: $rust_image made in $((SECONDS - start)) s"
