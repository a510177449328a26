#!/usr/bin/env bash
# Peer run: authconform's @mcp-client suite against the NeMo Agent Toolkit (NAT) 1.9.0 MCP client
# with its `mcp_oauth2` auth provider (PyPI nvidia-nat-mcp), driven through NAT's own CLI,
# `nat mcp client tool call test-tool --auth` (fixtures/adapters/nemo-agent-toolkit-mcp-client/run.sh).
# Every scenario runs the CLI once against a fresh mock-idp on port 0; NAT's callback listener is
# localhost:8000 (fixed), so the scenarios run one at a time and nothing else may hold that port
# (run.sh takes /tmp/authconform-nat-port-8000.lock for the CLI's lifetime; this script takes the
# NAT peer-run lock). Fails when authconform fails: a new failure, or a known one that no longer
# fails (stale entry in the expected-failures file). Baseline differences are printed, not fatal.
# Needs python3 (3.11+) and PyPI for the shared NAT venv under target/peers/ (~325 MB). About
# 6-7.5 min warm: 26 scenarios of ~5-11 s (NAT's plugin discovery and its listener's start-up), and one
# (the refused authorization request) that waits out NAT's own 300 s callback timeout.
set -euo pipefail
cd "$(dirname "$0")/../.."
source .ci/peers/nat-peer.sh
nat_peer nemo-agent-toolkit-mcp-client fixtures/adapters/nemo-agent-toolkit/setup.sh nemo-agent-toolkit-mcp-client
