#!/usr/bin/env bash
# Peer run: authconform's @mcp-client suite against the NeMo Agent Toolkit (NAT) 1.9.0 MCP client
# with its `mcp_oauth2` auth provider (PyPI nvidia-nat-mcp), driven through a workflow run,
# `nat run --config_file workflow.yml --input '{}'` (fixtures/adapters/nemo-agent-toolkit-run/run.sh),
# in the setup of NAT's example "Simple Calculator MCP - Protected" (per_user_mcp_client and a
# per-user workflow), in two profiles: as shipped (the example's config) and hardened
# (nemo-agent-toolkit-run-hardened: every mcp_oauth2 safety option on). Every scenario runs `nat run` once against a fresh mock-idp on port 0; NAT's
# callback listener is localhost:8000 (fixed), so the scenarios run one at a time and nothing else
# may hold that port (run.sh takes /tmp/authconform-nat-port-8000.lock for NAT's lifetime; this
# script takes its peer-run lock). Fails when authconform fails: a new failure, or a known one
# that no longer fails (stale entry in the expected-failures file). Baseline differences are
# printed, not fatal. Needs python3 (3.11+) and PyPI for the shared NAT venv under target/peers/
# (~325 MB). About 9 min warm per profile: 27 scenarios of ~2-5 s, two of ~20 s (a
# forged or missing state: NAT keeps waiting, stopped 15 s after the callback), four of ~65 s (a
# token the server calls expired: NAT's tool call waits, then fails), one of ~62 s (the refused
# authorization request: the per-user group's 60 s start-up limit), and one that hangs at the
# profile's 120 s (a step-up that never satisfies the server).
set -euo pipefail
cd "$(dirname "$0")/../.."
source .ci/peers/nat-peer.sh
nat_peer nemo-agent-toolkit-run fixtures/adapters/nemo-agent-toolkit/setup.sh nemo-agent-toolkit-run nemo-agent-toolkit-run-hardened
