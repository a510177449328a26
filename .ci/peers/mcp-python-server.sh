#!/usr/bin/env bash
# Peer run: authconform's @mcp-server suite against a server built with the official MCP Python
# SDK (PyPI `mcp`) and its own resource-server support, started and stopped by the profile's
# start: block. Fails when authconform fails: a new failure, or a known one that no longer fails
# (stale entry in the expected-failures file). Baseline differences are printed, not fatal. Needs
# python3 (3.10+) and PyPI (for the venv under target/peers/), and the loopback ports 18551 (the
# runner's mock-idp) and 18552 (the server). 2-4 s warm, about 21 s with a cold venv.
set -euo pipefail
cd "$(dirname "$0")/../.."

peers=target/peers
out=target/authconform/mcp-python-server

# Stop a server an aborted earlier run may have left (only if the PID is still that server).
stop_leftover() {
  local pidfile="$peers/mcp-python-server.pid" pid
  [ -s "$pidfile" ] || return 0
  pid="$(cat "$pidfile")"
  if [ -r "/proc/$pid/cmdline" ] && tr '\0' ' ' < "/proc/$pid/cmdline" | grep -q "mcp-python-server/server.py"; then
    kill "$pid" 2>/dev/null || true
  fi
  rm -f "$pidfile"
}
stop_leftover
trap stop_leftover EXIT

echo "== peer: mcp-python-server (setup)"
bash fixtures/adapters/mcp-python-server/setup.sh

echo "== peer: mcp-python-server (authconform run)"
# The debug build .ci/run's tests already made; the suite itself takes seconds either way.
source .ci/peers/authconform-bin.sh
# Its last line is the closing "N passed, N failed, N skipped"; its exit code is this script's.
"$authconform" run \
  --target fixtures/targets/mcp-python-server.yaml \
  --out "$out" \
  --expected-failures fixtures/targets/mcp-python-server.expected-failures \
  --baseline fixtures/baselines/mcp-python-server
