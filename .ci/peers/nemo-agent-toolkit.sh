#!/usr/bin/env bash
# Peer run: authconform's @client suite against the NeMo Agent Toolkit 1.9.0 auth providers (PyPI
# nvidia-nat-core / nvidia-nat-mcp) through their JSON-lines adapter
# (fixtures/adapters/nemo-agent-toolkit). Every scenario starts the adapter once against a fresh
# mock-idp on port 0; NAT's own callback listener is localhost:8000 (fixed), so the scenarios run
# one at a time and nothing else may hold that port. Fails when authconform fails: a new failure,
# or a known one that no longer fails (stale entry in the expected-failures file). Baseline
# differences are printed, not fatal. Needs python3 (3.11+) and PyPI for the venv under
# target/peers/ (~325 MB). About 2.5 min warm (NAT's plugin discovery, ~3 s per scenario, and its
# callback listener's start-up), about 1 min more with a cold venv.
set -euo pipefail
cd "$(dirname "$0")/../.."

out=target/authconform/nemo-agent-toolkit

echo "== peer: nemo-agent-toolkit (setup)"
bash fixtures/adapters/nemo-agent-toolkit/setup.sh

echo "== peer: nemo-agent-toolkit (authconform run)"
# One peer run at a time on this machine, whichever checkout it runs from (NAT's listener port is
# fixed; run.sh also locks it per adapter, this keeps two runs from interleaving their scenarios).
if command -v flock >/dev/null 2>&1; then
  exec 8>/tmp/authconform-nat-peer-run.lock
  flock 8
fi
# The debug build .ci/run's tests already made.
source .ci/peers/authconform-bin.sh
# Its last line is the closing "N passed, N failed, N skipped"; its exit code is this script's.
"$authconform" run \
  --target fixtures/targets/nemo-agent-toolkit.yaml \
  --out "$out" \
  --expected-failures fixtures/targets/nemo-agent-toolkit.expected-failures \
  --baseline fixtures/baselines/nemo-agent-toolkit
