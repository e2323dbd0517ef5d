#!/usr/bin/env bash
# Data-path benchmark: iperf3 TCP throughput through a jl2tp tunnel (jl2tp dial <-> jl2tp lns,
# two namespaces) beside iperf3 over the bare veth and through a plain C TUN<->UDP relay
# (relay.c) between the same namespaces, in one run; plus set-up time (SCCRQ -> IPCP up) from
# `jl2tp demo`. Not a test. Run as root:
#   failover-app/bench/run-throughput.sh [SECONDS] [DEMO_RUNS]
set -euo pipefail
cd "$(dirname "$0")/../.."
T=${1:-10}
RUNS=${2:-5}
./jl2tp --version >/dev/null            # builds the jar if needed
JAR=failover-app/target/jl2tp.jar
WORK=$(mktemp -d)
LNS=jl2tp-tput-lns-$$; LAC=jl2tp-tput-lac-$$
cleanup() {
  for ns in "$LNS" "$LAC"; do ip netns pids "$ns" 2>/dev/null | xargs -r kill 2>/dev/null || true; done
  sleep 1
  for ns in "$LNS" "$LAC"; do ip netns pids "$ns" 2>/dev/null | xargs -r kill -9 2>/dev/null || true; ip netns del "$ns" 2>/dev/null || true; done
  rm -rf "$WORK"
}
trap cleanup EXIT
ip netns add "$LNS"; ip netns add "$LAC"
ip -n "$LNS" link set lo up; ip -n "$LAC" link set lo up
ip -n "$LAC" link add wan type veth peer name wan netns "$LNS"
ip -n "$LAC" addr add 203.0.113.1/24 dev wan; ip -n "$LNS" addr add 203.0.113.2/24 dev wan
ip -n "$LAC" link set wan up; ip -n "$LNS" link set wan up
umask 077
echo "bench * bench-secret" > "$WORK/chap-secrets"
echo "bench-secret" > "$WORK/password"
printf 'mtu 1460\nmru 1460\n' > "$WORK/options"
ip netns exec "$LNS" java -jar "$JAR" lns --listen 203.0.113.2:1701 --secrets "$WORK/chap-secrets" --ppp-options "$WORK/options" > "$WORK/lns.log" 2>&1 &
sleep 2
ip netns exec "$LAC" java -jar "$JAR" dial --lns 203.0.113.2 --user bench --password-file "$WORK/password" \
   --options "$WORK/options" --ifname l2tp-bench --no-redial > "$WORK/dial.log" 2>&1 &
for _ in $(seq 1 100); do ip -n "$LAC" addr show l2tp-bench 2>/dev/null | grep -q "198.51.100" && break; sleep 0.1; done
ip -n "$LAC" addr show l2tp-bench | grep -q "198.51.100" || { echo "tunnel did not come up"; cat "$WORK/dial.log" "$WORK/lns.log"; exit 1; }
# The C relay: its own TUN pair (198.51.100.251 <-> .252, outside the LNS's pool), UDP port 4000.
gcc -O2 -o "$WORK/relay" failover-app/bench/relay.c
ip netns exec "$LAC" "$WORK/relay" crelay 203.0.113.1 4000 203.0.113.2 4000 &
ip netns exec "$LNS" "$WORK/relay" crelay 203.0.113.2 4000 203.0.113.1 4000 &
for _ in $(seq 1 50); do ip -n "$LAC" link show crelay >/dev/null 2>&1 && ip -n "$LNS" link show crelay >/dev/null 2>&1 && break; sleep 0.1; done
ip -n "$LAC" addr add 198.51.100.251 peer 198.51.100.252 dev crelay; ip -n "$LAC" link set crelay mtu 1460 up
ip -n "$LNS" addr add 198.51.100.252 peer 198.51.100.251 dev crelay; ip -n "$LNS" link set crelay mtu 1460 up
for p in 5201 5202 5203; do ip netns exec "$LNS" iperf3 -s -D -1 -p "$p" >/dev/null; done
sleep 0.5
bps() { python3 -c 'import json,sys; print(round(json.load(sys.stdin)["end"]["sum_received"]["bits_per_second"]/1e6))'; }
veth=$(ip netns exec "$LAC" iperf3 -c 203.0.113.2 -p 5201 -t "$T" -J | bps)
tunnel=$(ip netns exec "$LAC" iperf3 -c 198.51.100.1 -p 5202 -t "$T" -J | bps)
relay=$(ip netns exec "$LAC" iperf3 -c 198.51.100.252 -p 5203 -t "$T" -J | bps)
echo "iperf3 TCP, ${T} s: bare veth ${veth} Mbit/s, through the jl2tp tunnel ${tunnel} Mbit/s, through the C relay ${relay} Mbit/s" \
  "(jl2tp/C = $(python3 -c "print(round($tunnel/$relay, 2))"))"
rss_dial=$(ps -o rss= -p "$(pgrep -f 'jl2tp.jar dial' | head -1)" | tr -d ' ')
rss_lns=$(ps -o rss= -p "$(pgrep -f 'jl2tp.jar lns' | head -1)" | tr -d ' ')
echo "RSS after the run: dialer $((rss_dial / 1024)) MiB, LNS $((rss_lns / 1024)) MiB"
setups=()
for i in $(seq 1 "$RUNS"); do
  s=$(./jl2tp demo --count 1 | sed -n 's/.*session up in \([0-9]*\) ms.*/\1/p')
  setups+=("$s")
done
echo "set-up (SCCRQ -> IPCP up, jl2tp demo, ${RUNS} runs): $(printf '%s ' "${setups[@]}")ms; median $(printf '%s\n' "${setups[@]}" | sort -n | awk '{a[NR]=$1} END{print a[int((NR+1)/2)]}') ms"
