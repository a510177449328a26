#!/usr/bin/env bash
# The Docker side of CI (issue #7): the compose demo, for real, on a machine that reaches Debian's
# packages and crates.io but no container registry.
#
#   bash .ci/docker.sh image   # Docker Engine + docker-compose from Debian, dockerd, the builder
#                              # base image made locally (.ci/docker-base.sh), then
#                              # `docker-compose build`: the unchanged Dockerfile, nothing pulled.
#                              # Before `cargo test`: mock-idp/tests/test_container_image.rs needs it.
#   bash .ci/docker.sh demo    # `docker-compose up -d`, wait for healthy, authconform run against
#                              # http://127.0.0.1:5001 (fixtures/targets/compose-demo.yaml), and
#                              # `docker-compose down` whatever happened.
#
# First run on a machine ~12 min (debootstrap ~1.5 min, base image ~0.5 min, the image's release
# build ~9 min on 2 cores); later runs reuse the base image and the Dockerfile's dependency layer
# while the toolchain and Cargo.lock stay the same (~3 min). Bounded waits everywhere.
set -euo pipefail
cd "$(dirname "$0")/.."
export LC_ALL=C

IMAGE=authconform/mock-idp:latest
PROJECT=authconform-ci
DOCKERD_LOG=/var/log/authconform-dockerd.log
# The classic builder: it builds FROM a local image without asking a registry (BuildKit would
# need the buildx plugin with the docker client of this machine).
export DOCKER_BUILDKIT=0 COMPOSE_DOCKER_CLI_BUILD=0

log() { echo "docker.sh: $*"; }

ensure_engine() {
  local missing=()
  command -v dockerd >/dev/null 2>&1 || missing+=(docker.io)
  command -v docker-compose >/dev/null 2>&1 || missing+=(docker-compose)
  command -v debootstrap >/dev/null 2>&1 || missing+=(debootstrap)
  if ((${#missing[@]})); then
    log "installing ${missing[*]} (Debian packages)"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq "${missing[@]}" >/dev/null
  fi
  if timeout 20 docker info >/dev/null 2>&1; then
    # A daemon whose default bridge has gone (seen here: docker0 removed under a running dockerd)
    # cannot attach a build or a container to a network: start it afresh, which makes docker0.
    if ! command -v ip >/dev/null 2>&1 || ip link show docker0 >/dev/null 2>&1; then
      log "dockerd is running ($(docker version --format '{{.Server.Version}}' 2>/dev/null))"
      return
    fi
    log "dockerd is running but its bridge docker0 is gone: restarting it"
    pkill -x dockerd || true
    local j
    for ((j = 0; j < 40; j++)); do
      pgrep -x dockerd >/dev/null 2>&1 || break
      sleep 0.5
    done
    pkill -9 -x dockerd || true
    rm -f /var/run/docker.pid
  fi
  log "starting dockerd (log: $DOCKERD_LOG)"
  # Its own session, so it outlives this script (the tests after it need it) and no signal meant
  # for CI's process group reaches it.
  setsid dockerd >"$DOCKERD_LOG" 2>&1 </dev/null &
  local i
  for ((i = 0; i < 120; i++)); do
    if timeout 5 docker info >/dev/null 2>&1; then
      log "dockerd ready after $((i / 2)) s ($(docker version --format '{{.Server.Version}}' 2>/dev/null))"
      return
    fi
    sleep 0.5
  done
  log "dockerd did not answer within 60 s; its log:"
  tail -n 40 "$DOCKERD_LOG" >&2 || true
  exit 1
}

build_image() {
  local start=$SECONDS
  bash .ci/docker-base.sh
  log "base image ready in $((SECONDS - start)) s"
  mkdir -p target/docker
  start=$SECONDS
  log "docker-compose build (the Dockerfile as users build it; full output: target/docker/build.log)"
  if ! timeout 2700 docker-compose -p "$PROJECT" build mock-idp >target/docker/build.log 2>&1; then
    tail -n 60 target/docker/build.log >&2
    log "the image build failed"
    exit 1
  fi
  grep -E '^ ?(Step|Successfully)|Finished' target/docker/build.log | sed 's/\x1b\[[0-9;]*m//g' | tail -n 8 || true
  log "image built in $((SECONDS - start)) s: $IMAGE, $(docker image inspect -f '{{.Size}}' "$IMAGE" |
    awk '{printf "%.1f MB", $1 / 1e6}')"
  # The builder stage gets a tag (from the cache, seconds), so that its layers, the dependency
  # layer above all, are not dangling: the prune below then removes only older builds of ours
  # (untagged images with our labels) and keeps what the next run reuses.
  timeout 600 docker build -q --target builder -t authconform-ci/mock-idp-builder:latest . >/dev/null
  docker image prune -f --filter label=org.opencontainers.image.title=authconform-mock-idp >/dev/null
  docker image prune -f --filter label=org.authconform.base-key >/dev/null
}

compose() { docker-compose -p "$PROJECT" "$@"; }

teardown() {
  timeout 60 docker-compose -p "$PROJECT" down --remove-orphans --timeout 5 >/dev/null 2>&1 || true
}

demo() {
  docker image inspect "$IMAGE" >/dev/null 2>&1 || {
    log "no image $IMAGE: run 'bash .ci/docker.sh image' first"
    exit 1
  }
  local authconform=${CARGO_TARGET_DIR:-target}/debug/authconform
  [[ -x $authconform ]] || cargo build --quiet -p runner
  teardown # what an aborted earlier run may have left
  trap teardown EXIT
  if (exec 3<>/dev/tcp/127.0.0.1/5001) 2>/dev/null; then
    log "port 5001 is taken by another process; the demo needs it"
    exit 1
  fi
  log "docker-compose up -d (issuer http://127.0.0.1:5001)"
  local start=$EPOCHREALTIME
  MOCK_IDP_ISSUER=http://127.0.0.1:5001 timeout 120 docker-compose -p "$PROJECT" up -d --no-build
  local id status i
  id=$(compose ps -q mock-idp)
  for ((i = 0; i < 300; i++)); do
    status=$(docker inspect -f '{{.State.Health.Status}}' "$id" 2>/dev/null || echo gone)
    [[ $status == healthy || $status == unhealthy || $status == gone ]] && break
    sleep 0.1
  done
  if [[ $status != healthy ]]; then
    log "the container is $status after $(awk "BEGIN{printf \"%.1f\", $EPOCHREALTIME - $start}") s; its log:"
    compose logs --no-color --tail 40 mock-idp >&2 || true
    exit 1
  fi
  log "healthy $(awk "BEGIN{printf \"%.2f\", $EPOCHREALTIME - $start}") s after docker-compose up"
  local home
  home=$(curl -s -o /dev/null -w '%{http_code} %{content_type}' --max-time 5 http://127.0.0.1:5001/ || true)
  log "GET http://127.0.0.1:5001/ -> $home"
  [[ $home == 200\ text/html* ]] || { log "the demo's home page does not answer"; exit 1; }

  log "authconform run --target fixtures/targets/compose-demo.yaml"
  local rc=0
  timeout 600 "$authconform" run \
    --target fixtures/targets/compose-demo.yaml \
    --out target/authconform/compose-demo \
    --expected-failures fixtures/targets/compose-demo.expected-failures \
    >target/docker/compose-demo-run.log || rc=$?
  tail -n 2 target/docker/compose-demo-run.log
  if ((rc != 0)); then
    grep -E '^(failed|hung|stale)' target/docker/compose-demo-run.log | head -n 20 >&2 || true
    log "authconform failed against the compose demo (exit $rc); the container's log:"
    compose logs --no-color --tail 40 mock-idp >&2 || true
    exit "$rc"
  fi
}

case "${1:-}" in
  image)
    ensure_engine
    build_image
    ;;
  demo)
    ensure_engine
    demo
    ;;
  *)
    echo "usage: $0 image|demo" >&2
    exit 2
    ;;
esac
