# Sourced by the NeMo Agent Toolkit peer scripts: `nat_peer NAME SETUP PROFILE...` sets the peer
# up (SETUP, a setup script) and runs each profile fixtures/targets/PROFILE.yaml with its expected
# failures and baseline, its report in target/authconform/PROFILE. One run of a given peer at a
# time on this machine, whichever checkout it runs from: a peer-run lock in /tmp per peer (the
# adapters also lock their port per NAT process, so peers on one port take turns). Returns
# non-zero when any profile's run does: a new failure, or a known one that no longer fails (a
# stale expected-failures entry). Baseline differences are printed, not fatal.
nat_peer() {
  local name=$1 setup=$2 rc=0 profile
  shift 2
  echo "== peer: $name (setup)"
  bash "$setup"
  echo "== peer: $name (authconform run)"
  if command -v flock >/dev/null 2>&1; then
    exec 8>"/tmp/authconform-nat-peer-$name.lock"
    flock 8
  fi
  # The debug build .ci/run's tests already made, or one built here.
  source .ci/peers/authconform-bin.sh
  for profile in "$@"; do
    echo "== peer: $name ($profile)"
    # Its last line is the closing "N passed, N failed, N skipped".
    "$authconform" run \
      --target "fixtures/targets/$profile.yaml" \
      --out "target/authconform/$profile" \
      --expected-failures "fixtures/targets/$profile.expected-failures" \
      --baseline "fixtures/baselines/$profile" || rc=1
  done
  return "$rc"
}
