#!/usr/bin/env bash
# Peer run: authconform's @agent suite against `nat serve`, the NeMo Agent Toolkit 1.9.0 (PyPI
# nvidia-nat-core / nvidia-nat-mcp) multi-user FastAPI server, driven over its HTTP workflow routes
# (`POST /v1/workflow/stream`, NAT's "HTTP Interactive Execution") instead of its WebSocket: the same
# black-box driver (fixtures/adapters/nemo-agent-toolkit/serve, AUTHCONFORM_NAT_TRANSPORT=http from
# the profile) and the same NAT config as .ci/peers/nemo-agent-toolkit-serve.sh. Every scenario
# starts the driver, which starts a fresh `nat serve` on 127.0.0.1:8000 (fixed, and shared with the
# other NAT peers), so the scenarios run one at a time and nothing else may hold that port: the same
# /tmp locks as the other NAT peers. Fails when authconform fails: a new failure, or a known one
# that no longer fails (stale entry in the expected-failures file). Baseline differences are
# printed, not fatal (the fifty-users transcript interleaves differently from run to run). Needs
# python3 (3.11+) and PyPI for the venv under target/peers/ (shared with the other NAT peers).
# About 45 s warm (nat serve starts in ~3 s per scenario), about 1 min more with a cold venv.
set -euo pipefail
cd "$(dirname "$0")/../.."
source .ci/peers/nat-peer.sh
nat_peer nemo-agent-toolkit-serve-http fixtures/adapters/nemo-agent-toolkit/serve/setup.sh nemo-agent-toolkit-serve-http nemo-agent-toolkit-serve-http-defaults
