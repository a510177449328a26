# Sourced by the peer scripts: sets `authconform` to the runner binary to run. .ci/run builds it
# once and passes it as AUTHCONFORM_BIN; a peer script run by hand builds the debug runner here.
if [ -n "${AUTHCONFORM_BIN:-}" ]; then
  authconform="$AUTHCONFORM_BIN"
else
  cargo build --quiet -p runner
  authconform="${CARGO_TARGET_DIR:-target}/debug/authconform"
fi
