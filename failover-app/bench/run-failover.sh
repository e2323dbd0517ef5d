#!/usr/bin/env bash
# Failover benchmark: time from the primary link going down to the first ping reply through
# the L2TP tunnel, over N runs, in the seed's topology built from network namespaces (lib.sh):
#
#   isp ns --pppoe-aaisp-- router ns (jl2tp xl2tpd with [failover aaisp]) --wan-4g-- 4G ns -- LNS ns (jl2tp lns)
#
# The router pings the LNS's PPP address (198.51.100.1) every 2 ms (ping -D timestamps each
# reply); the clock starts just before `ip link set pppoe-aaisp down`. After each run the
# primary returns and the session is hung up after `hold up` (1 s). Not a test. Run as root:
#   failover-app/bench/run-failover.sh [RUNS]
# run-failover-relay.sh does the same with the impairment relay (a slow 4G path) in between.
set -euo pipefail
RUNS=${1:-10}
. "$(dirname "$0")/lib.sh"
fo_init fo
ip netns exec "$G4" sysctl -qw net.ipv4.ip_forward=1
fo_start 203.0.113.2
fo_measure "$RUNS"
echo "failover (primary down -> first ping reply through the tunnel), ${RUNS} runs: median ${FO_MEDIAN} ms, max ${FO_MAX} ms"
grep "session up .* ms after the primary went down" "$WORK/jl2tp.log" | tail -3 || true
