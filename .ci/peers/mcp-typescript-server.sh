#!/usr/bin/env bash
# Peer run: authconform's @mcp-server suite against a server built with the official MCP
# TypeScript SDK (npm @modelcontextprotocol/sdk) and its own resource-server pieces
# (fixtures/adapters/mcp-typescript-server), twice: as the SDK's strict example configures it
# (requireBearerAuth with expectedResource; fixtures/targets/mcp-typescript-server.yaml) and with
# the SDK's default, no expectedResource (mcp-typescript-server-no-expected-resource.yaml). Each
# profile's start: block starts and stops its server. Fails when either run fails: a new failure,
# or a known one that no longer fails (stale entry in the profile's expected-failures file).
# Baseline differences are printed, not fatal. Needs python3, PyPI and npm (Node 22 and the
# pinned packages, under target/peers/ and node_modules/) and the loopback ports 18561-18564.
# About 4 s warm, 25 s with a cold Node venv and node_modules (the runner's build aside).
# AUTHCONFORM_BIN=path runs that authconform binary instead of building the runner here.
set -euo pipefail
cd "$(dirname "$0")/../.."

peers=target/peers

# Stop a server an aborted earlier run may have left (only if the PID is still that server).
stop_leftover() {
  local port pidfile pid
  for port in 18562 18564; do
    pidfile="$peers/mcp-typescript-server-$port.pid"
    [ -s "$pidfile" ] || continue
    pid="$(cat "$pidfile")"
    if [ -r "/proc/$pid/cmdline" ] && tr '\0' ' ' < "/proc/$pid/cmdline" | grep -q "server.mjs"; then
      kill "$pid" 2>/dev/null || true
    fi
    rm -f "$pidfile"
  done
}
stop_leftover
trap stop_leftover EXIT

echo "== peer: mcp-typescript-server (setup)"
bash fixtures/adapters/mcp-typescript-server/setup.sh > /dev/null

source .ci/peers/authconform-bin.sh

rc=0
for name in mcp-typescript-server mcp-typescript-server-no-expected-resource; do
  echo "== peer: $name (authconform run)"
  # Its last line is the closing "N passed, N failed, N skipped".
  one=0
  "$authconform" run \
    --target "fixtures/targets/$name.yaml" \
    --out "target/authconform/$name" \
    --expected-failures "fixtures/targets/$name.expected-failures" \
    --baseline "fixtures/baselines/$name" || one=$?
  # The worse of the two exit codes (2, setup error, over 1, a failed check).
  [ "$one" -gt "$rc" ] && rc=$one
done
exit "$rc"
