#!/usr/bin/env bash
# Peer run: authconform against oidc-provider (npm), the OpenID Certified Node.js OP, started and
# stopped by the profile's start: block. A calibration peer: no expected-failures file and no
# baseline, since a conformant server configured as its docs recommend must end with 0 failed MUST
# checks; until the harness's verdicts are calibrated this run fails (docs/targets/oidc-provider.md
# lists every failure and whose defect it is). Exits with authconform's exit code.
# Needs python3, PyPI (Node 22 for the venv under target/peers/) and npm (the pinned packages).
# AUTHCONFORM_BIN=path runs that authconform binary instead of building the runner here.
set -euo pipefail
cd "$(dirname "$0")/../.."

peers=target/peers
out=target/authconform/oidc-provider

# Stop a server an aborted earlier run may have left (only if the PID is still that server).
stop_leftover() {
  local pidfile="$peers/oidc-provider-server.pid" pid
  [ -s "$pidfile" ] || return 0
  pid="$(cat "$pidfile")"
  if [ -r "/proc/$pid/cmdline" ] && tr '\0' ' ' < "/proc/$pid/cmdline" | grep -q "node server.js"; then
    kill "$pid" 2>/dev/null || true
  fi
  rm -f "$pidfile"
}
stop_leftover
trap stop_leftover EXIT

echo "== peer: oidc-provider (setup)"
bash fixtures/adapters/oidc-provider/setup.sh > /dev/null

echo "== peer: oidc-provider (authconform run)"
source .ci/peers/authconform-bin.sh
# Its last line is the closing "N passed, N failed, N skipped"; its exit code is this script's.
rc=0
"$authconform" run \
  --target fixtures/targets/oidc-provider.yaml \
  --out "$out" || rc=$?
exit "$rc"
