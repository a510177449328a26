#!/usr/bin/env bash
# Peer run: authconform's @mcp-client suite against the official MCP TypeScript SDK (npm
# @modelcontextprotocol/sdk) as an MCP client, through its conformance-contract client
# (fixtures/adapters/mcp-typescript-client). Every scenario starts the client once against a fresh
# mock-idp on port 0 (no fixed ports). Fails when authconform fails: a new failure, or a known one
# that no longer fails (stale entry in the expected-failures file). Baseline differences are
# printed, not fatal. Needs python3, PyPI and npm (Node 22 and the pinned packages, under
# target/peers/ and node_modules/). About 10 s warm, 30 s with a cold Node venv and node_modules
# (the runner's build aside). AUTHCONFORM_BIN=path runs that authconform binary instead of
# building the runner here.
set -euo pipefail
cd "$(dirname "$0")/../.."

out=target/authconform/mcp-typescript-client

echo "== peer: mcp-typescript-client (setup)"
bash fixtures/adapters/mcp-typescript-client/setup.sh > /dev/null

echo "== peer: mcp-typescript-client (authconform run)"
source .ci/peers/authconform-bin.sh
# Its last line is the closing "N passed, N failed, N skipped"; its exit code is this script's.
rc=0
"$authconform" run \
  --target fixtures/targets/mcp-typescript-client.yaml \
  --out "$out" \
  --expected-failures fixtures/targets/mcp-typescript-client.expected-failures \
  --baseline fixtures/baselines/mcp-typescript-client || rc=$?
exit "$rc"
