#!/usr/bin/env bash
# Peer run: authconform against django-oauth-toolkit (PyPI), started and stopped by the profile's
# start: block. Fails when authconform fails: a new failure, or a known one that no longer fails
# (stale entry in the expected-failures file). Baseline differences are printed, not fatal.
# Needs python3 and PyPI (for the venv under target/peers/). About a minute on 2 cores.
set -euo pipefail
cd "$(dirname "$0")/../.."

peers=target/peers
out=target/authconform/django-oauth-toolkit

# Stop a server an aborted earlier run may have left (only if the PID is still that server).
stop_leftover() {
  local pidfile="$peers/dot-server.pid" pid
  [ -s "$pidfile" ] || return 0
  pid="$(cat "$pidfile")"
  if [ -r "/proc/$pid/cmdline" ] && tr '\0' ' ' < "/proc/$pid/cmdline" | grep -q "manage.py runserver 127.0.0.1:8765"; then
    kill "$pid" 2>/dev/null || true
  fi
  rm -f "$pidfile"
}
stop_leftover
trap stop_leftover EXIT

echo "== peer: django-oauth-toolkit (setup)"
bash fixtures/adapters/django-oauth-toolkit/setup.sh

echo "== peer: django-oauth-toolkit (authconform run)"
source .ci/peers/authconform-bin.sh
# Its last line is the closing "N passed, N failed, N skipped"; its exit code is this script's.
"$authconform" run \
  --target fixtures/targets/django-oauth-toolkit.yaml \
  --out "$out" \
  --expected-failures fixtures/targets/django-oauth-toolkit.expected-failures \
  --baseline fixtures/baselines/django-oauth-toolkit
