#!/usr/bin/env bash
# Failover time through a slow 4G path: run-failover.sh's topology (lib.sh), but the "4G router"
# namespace does not forward — the LAC dials the impairment relay there (`jl2tp harness impair`
# on 203.0.113.3:1701), which forwards to the LNS with ONE_WAY_MS of delay each way (default 25:
# a 50 ms round trip; no loss, no jitter, so that the count of round trips shows). The clock runs
# from `ip link set pppoe-aaisp down` to the first ping reply through the tunnel, as in
# run-failover.sh; the result is given in ms and in round trips. Not a test. Run as root:
#   failover-app/bench/run-failover-relay.sh [RUNS] [ONE_WAY_MS]
set -euo pipefail
RUNS=${1:-10}
ONE_WAY=${2:-25}
. "$(dirname "$0")/lib.sh"
fo_init for
ip netns exec "$G4" sysctl -qw net.ipv4.ip_forward=0
ip -n "$G4" addr add 203.0.113.3/32 dev lo
ip netns exec "$G4" $JL2TP harness impair --listen 203.0.113.3:1701 --to 203.0.113.2:1701 \
   --delay "${ONE_WAY}ms" --seed 1 > "$WORK/relay.log" 2>&1 &
for _ in $(seq 1 300); do grep -q "^impair: " "$WORK/relay.log" 2>/dev/null && break; sleep 0.1; done
grep -q "^impair: " "$WORK/relay.log" || { echo "the relay did not start:"; cat "$WORK/relay.log"; exit 1; }
fo_start 203.0.113.3
fo_measure "$RUNS"
RTT=$((2 * ONE_WAY))
echo "failover through the relay (${ONE_WAY} ms each way, ${RTT} ms RTT), primary down -> first ping reply through the tunnel, ${RUNS} runs:"
if [ "$RTT" -gt 0 ]; then
  python3 -c "print('  median $FO_MEDIAN ms = %.1f RTT, max $FO_MAX ms = %.1f RTT' % ($FO_MEDIAN / $RTT, $FO_MAX / $RTT))"
else
  echo "  median $FO_MEDIAN ms, max $FO_MAX ms"
fi
echo "  the exchange needs 8 RTT on the LAC's critical path (SCCRQ/SCCRP 1, ICRQ/ICRP 1, LCP 1, CHAP 2, IPCP 2, first ping 1)"
grep "session up .* ms after the primary went down" "$WORK/jl2tp.log" | tail -3 || true
relay_pids=$(ip netns pids "$G4" 2>/dev/null || true)   # the relay prints its counters on SIGTERM
[ -z "$relay_pids" ] || kill $relay_pids 2>/dev/null || true
sleep 1
sed -n '/^up \|^down /p' "$WORK/relay.log"
