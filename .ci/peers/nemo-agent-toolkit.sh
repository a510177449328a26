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
# Each run's last line is the closing "N passed, N failed, N skipped"; this script fails when
# either run fails.
rc=0
for profile in nemo-agent-toolkit nemo-agent-toolkit-as-shipped; do
  echo "== peer: nemo-agent-toolkit ($profile)"
  "$authconform" run \
    --target "fixtures/targets/$profile.yaml" \
    --out "target/authconform/$profile" \
    --expected-failures "fixtures/targets/$profile.expected-failures" \
    --baseline "fixtures/baselines/$profile" || rc=1
done
exit "$rc"
