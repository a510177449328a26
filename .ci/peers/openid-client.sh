#!/usr/bin/env bash
# Peer run: authconform's @client suite against openid-client (npm; OpenID Certified RP) through
# its JSON-lines adapter (fixtures/adapters/openid-client). A calibration peer: no expected-failures
# file and no baseline, since a certified RP used as its docs recommend must end with 0 failed MUST
# checks (docs/targets/openid-client.md lists every non-passing check and whose it is). Every
# scenario starts the adapter once against a fresh mock-idp on port 0 (no fixed ports). Exits
# with authconform's exit code. Needs python3, PyPI (Node 22 for the venv under target/peers/) and
# npm (the pinned packages). About 5 s warm, 25 s with a cold Node venv and node_modules (the
# runner's build aside). AUTHCONFORM_BIN=path runs that authconform binary instead of building
# the runner here.
set -euo pipefail
cd "$(dirname "$0")/../.."

out=target/authconform/openid-client

echo "== peer: openid-client (setup)"
bash fixtures/adapters/openid-client/setup.sh > /dev/null

echo "== peer: openid-client (authconform run)"
source .ci/peers/authconform-bin.sh
# Its last line is the closing "N passed, N failed, N skipped"; its exit code is this script's.
rc=0
"$authconform" run \
  --target fixtures/targets/openid-client.yaml \
  --out "$out" || rc=$?
exit "$rc"
