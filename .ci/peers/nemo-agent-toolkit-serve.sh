#!/usr/bin/env bash
# Peer run: authconform's @agent suite against `nat serve`, the NeMo Agent Toolkit 1.9.0 (PyPI
# nvidia-nat-core / nvidia-nat-mcp) multi-user FastAPI/WebSocket server, through its black-box
# driver (fixtures/adapters/nemo-agent-toolkit/serve). Every scenario starts the driver, which
# starts a fresh `nat serve` on 127.0.0.1:8000 (fixed, and shared with the @client NAT peer), so
# the scenarios run one at a time and nothing else may hold that port: the same /tmp locks as
# .ci/peers/nemo-agent-toolkit.sh. Fails when authconform fails: a new failure, or a known one that
# no longer fails (stale entry in the expected-failures file). Baseline differences are printed,
# not fatal (the fifty-users transcript interleaves differently from run to run). Needs python3
# (3.11+) and PyPI for the venv under target/peers/ (the @client NAT venv, ~325 MB, plus
# SQLAlchemy and the probe plugin). About 35 s warm (nat serve starts in ~3 s per scenario), about
# 1 min more with a cold venv.
set -euo pipefail
cd "$(dirname "$0")/../.."
source .ci/peers/nat-peer.sh
nat_peer nemo-agent-toolkit-serve fixtures/adapters/nemo-agent-toolkit/serve/setup.sh nemo-agent-toolkit-serve nemo-agent-toolkit-serve-defaults
