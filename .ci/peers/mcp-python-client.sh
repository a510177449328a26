#!/usr/bin/env bash
# Peer run: authconform's @mcp-client suite against the official MCP Python SDK (PyPI `mcp`) as
# an MCP client, through its conformance-contract adapter (fixtures/adapters/mcp-python-client).
# Every scenario starts the client once against a fresh mock-idp on port 0 (no fixed ports).
# Fails when authconform fails: a new failure, or a known one that no longer fails (stale entry
# in the expected-failures file). Baseline differences are printed, not fatal. Needs python3
# (3.10+) and PyPI for the venv under target/peers/. About 17 s warm, 35 s with a cold venv.
set -euo pipefail
cd "$(dirname "$0")/../.."

out=target/authconform/mcp-python-client

echo "== peer: mcp-python-client (setup)"
bash fixtures/adapters/mcp-python-client/setup.sh

echo "== peer: mcp-python-client (authconform run)"
# The debug build .ci/run's tests already made.
source .ci/peers/authconform-bin.sh
# Its last line is the closing "N passed, N failed, N skipped"; its exit code is this script's.
"$authconform" run \
  --target fixtures/targets/mcp-python-client.yaml \
  --out "$out" \
  --expected-failures fixtures/targets/mcp-python-client.expected-failures \
  --baseline fixtures/baselines/mcp-python-client
