#!/usr/bin/env bash
# Peer run: authconform's @rs suite against Authlib's RFC 9068 resource server (PyPI), started and
# stopped by the profile's start: block. Fails when authconform fails: a new failure, or a known
# one that no longer fails (stale entry in the expected-failures file). Baseline differences are
# printed, not fatal. Needs python3 (3.11+) and PyPI (for the venv under target/peers/), and the
# loopback ports 18541 (the runner's mock-idp) and 18542 (the app). 5-8 s warm, 20 s cold.
set -euo pipefail
cd "$(dirname "$0")/../.."

peers=target/peers
out=target/authconform/authlib-resource-server

# Stop a server an aborted earlier run may have left (only if the PID is still that server).
stop_leftover() {
  local pidfile="$peers/authlib-rs-server.pid" pid
  [ -s "$pidfile" ] || return 0
  pid="$(cat "$pidfile")"
  if [ -r "/proc/$pid/cmdline" ] && tr '\0' ' ' < "/proc/$pid/cmdline" | grep -q "authlib-resource-server/app.py"; then
    kill "$pid" 2>/dev/null || true
  fi
  rm -f "$pidfile"
}
stop_leftover
trap stop_leftover EXIT

echo "== peer: authlib-resource-server (setup)"
bash fixtures/adapters/authlib-resource-server/setup.sh

echo "== peer: authlib-resource-server (authconform run)"
# The debug build .ci/run's tests already made; the suite itself takes seconds either way.
source .ci/peers/authconform-bin.sh
# Its last line is the closing "N passed, N failed, N skipped"; its exit code is this script's.
"$authconform" run \
  --target fixtures/targets/authlib-resource-server.yaml \
  --out "$out" \
  --expected-failures fixtures/targets/authlib-resource-server.expected-failures \
  --baseline fixtures/baselines/authlib-resource-server
