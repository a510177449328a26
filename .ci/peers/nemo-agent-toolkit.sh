#!/usr/bin/env bash
# Peer run: authconform's @client suite against the NeMo Agent Toolkit 1.9.0 auth providers (PyPI
# nvidia-nat-core / nvidia-nat-mcp) through their JSON-lines adapter
# (fixtures/adapters/nemo-agent-toolkit), in two setups, one after the other: hardened
# (nemo-agent-toolkit.yaml: every safety option on) and as shipped
# (nemo-agent-toolkit-as-shipped.yaml: only what NAT's docs require). Every scenario starts the adapter once against a fresh
# mock-idp on port 0; NAT's own callback listener is localhost:8000 (fixed), so the scenarios run
# one at a time and nothing else may hold that port. Fails when authconform fails: a new failure,
# or a known one that no longer fails (stale entry in the expected-failures file). Baseline
# differences are printed, not fatal. Needs python3 (3.11+) and PyPI for the venv under
# target/peers/ (~325 MB). About 2.5 min warm per setup (NAT's plugin discovery, ~3 s per scenario, and its
# callback listener's start-up), about 1 min more with a cold venv.
set -euo pipefail
cd "$(dirname "$0")/../.."
source .ci/peers/nat-peer.sh
nat_peer nemo-agent-toolkit fixtures/adapters/nemo-agent-toolkit/setup.sh nemo-agent-toolkit nemo-agent-toolkit-as-shipped
