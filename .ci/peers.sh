#!/usr/bin/env bash
# Every peer run (real implementations from PyPI and npm), as .ci/run runs them: those with their
# own ports in parallel, then the NeMo Agent Toolkit peers in lanes by port (a lane's peers one by
# one, the lanes in parallel), then the check that the NAT doc's table is what the NAT runs said. Each peer's output goes to target/peer-logs/ and
# is printed when it ends. Exits 1 when any peer fails. AUTHCONFORM_BIN names the runner binary to
# use (.ci/run passes the one its tests built); without it each peer builds the debug runner.
# Runs by hand too: `bash .ci/peers.sh` (or `bash .ci/peers.sh oidc-provider` for some peers only,
# in parallel; naming a NAT peer runs the NAT chain with only the named NAT peers).
set -euo pipefail
cd "$(dirname "$0")/.."
if [ -n "${AUTHCONFORM_BIN:-}" ]; then export AUTHCONFORM_BIN; fi
peer_logs=target/peer-logs
mkdir -p "$peer_logs"
parallel_peers=(django-oauth-toolkit authlib-resource-server mcp-python-server mcp-python-client oidc-provider openid-client mcp-typescript-server mcp-typescript-client)
# The NeMo Agent Toolkit peers (the provider peer's two setups, nat serve over WebSocket and HTTP,
# NAT's MCP client from its CLI and from a workflow run), in lanes by the port NAT listens on: NAT's
# console flow handler (the provider peer, and `nat run`) is fixed at localhost:8000, so those two
# share a lane; nat serve and the CLI's MCP flow handler take their profiles' redirect URI ports
# (8001, 8002, 8003). A lane is its peers' names joined by commas.
nat_lanes=(nemo-agent-toolkit,nemo-agent-toolkit-run nemo-agent-toolkit-serve nemo-agent-toolkit-serve-http nemo-agent-toolkit-mcp-client)
nat_peers=(${nat_lanes[*]//,/ })
# Peers named on the command line: only those (each must be one of the lists above).
if [ "$#" -gt 0 ]; then
  wanted=" $* "
  for p in "$@"; do
    if [[ " ${parallel_peers[*]} ${nat_peers[*]} " != *" $p "* ]]; then
      echo "peers.sh: no peer named $p (peers: ${parallel_peers[*]} ${nat_peers[*]})" >&2
      exit 2
    fi
  done
  keep() { local out=() q; for q in "$@"; do [[ "$wanted" == *" $q "* ]] && out+=("$q"); done; echo "${out[*]:-}"; }
  read -r -a parallel_peers <<< "$(keep "${parallel_peers[@]}")"
  read -r -a nat_peers <<< "$(keep "${nat_peers[@]}")"
  kept_lanes=()
  for lane in "${nat_lanes[@]}"; do
    read -r -a in_lane <<< "$(keep ${lane//,/ })"
    if [ "${#in_lane[@]}" -gt 0 ]; then kept_lanes+=("$(IFS=,; echo "${in_lane[*]}")"); fi
  done
  nat_lanes=("${kept_lanes[@]}")
fi
run_peer() {
  local p=$1 start=$SECONDS rc=0
  bash ".ci/peers/$p.sh" > "$peer_logs/$p.log" 2>&1 || rc=$?
  echo "-- peer $p: exit $rc, $((SECONDS - start)) s" >> "$peer_logs/$p.log"
  return $rc
}
declare -A peer_pid
for p in "${parallel_peers[@]}"; do
  run_peer "$p" &
  peer_pid[$p]=$!
done
failed_peers=()
for p in "${parallel_peers[@]}"; do
  if ! wait "${peer_pid[$p]}"; then failed_peers+=("$p"); fi
  echo "==== peer $p"
  cat "$peer_logs/$p.log"
done
# Then the NAT lanes, after the others. Run beside them once, NAT's load made a timing-sensitive
# check of the MCP TypeScript client fail (mcp-client.refresh.rotation.newest, which orders requests
# by their arrival at the proxy); it had passed in every CI run with the NAT peers after the others.
# A lane runs its peers one by one and records the failed ones in its own file.
run_lane() {
  local lane=$1 p
  for p in ${lane//,/ }; do
    run_peer "$p" || echo "$p" >> "$peer_logs/nat-lanes.failed"
  done
}
rm -f "$peer_logs/nat-lanes.failed"
lane_pids=()
for lane in "${nat_lanes[@]}"; do
  run_lane "$lane" &
  lane_pids+=($!)
done
for pid in "${lane_pids[@]}"; do wait "$pid" || true; done
for p in "${nat_peers[@]}"; do
  echo "==== peer $p"
  cat "$peer_logs/$p.log"
done
if [ -f "$peer_logs/nat-lanes.failed" ]; then
  while read -r p; do failed_peers+=("$p"); done < "$peer_logs/nat-lanes.failed"
fi
# The NAT doc's results table is what these runs said (generated, never typed): after a full run.
if [ "$#" -eq 0 ] && ! python3 fixtures/adapters/nemo-agent-toolkit/table.py --check; then failed_peers+=("nat-table"); fi
echo "== peer times"
for p in "${parallel_peers[@]}" "${nat_peers[@]}"; do tail -n 1 "$peer_logs/$p.log"; done
if [ "${#failed_peers[@]}" -gt 0 ]; then
  echo "peers that failed: ${failed_peers[*]}"
  exit 1
fi
