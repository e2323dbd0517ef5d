#!/usr/bin/env bash
# Data-path benchmark (issue 14 item 5): jl2tp's tunnel (jl2tp dial <-> jl2tp lns, two
# namespaces, both started by dist/jl2tp-java: the shipped JVM settings) against a plain C
# TUN<->UDP relay (relay.c) between the same namespaces, interleaved in one run:
#   - ROUNDS rounds of iperf3 TCP for SECONDS each: jl2tp, C relay, jl2tp, C relay, ... (A B A B);
#     the bare veth once, for scale;
#   - CPU per packet at a fixed offered rate: iperf3 UDP at UDP_RATE (default 200M) with
#     1400-octet datagrams through each, also interleaved; the CPU time (utime + stime from
#     /proc/PID/stat, all threads) of the two tunnel ends over the run, divided by the datagrams
#     the receiver got: µs of CPU per packet, jl2tp's two JVMs vs the two relay processes.
#     iperf3's own CPU is not in it; the kernel's softirq work is only where it lands in our
#     processes' system time (the same for both).
#   - before the rounds, one TCP and one UDP run through each, not counted (the JVM's warm-up).
# Then set-up time (SCCRQ -> IPCP up) from `jl2tp demo` (DEMO_RUNS runs; 0 skips it).
# Not a test. Run as root:
#   [UDP_RATE=200M] failover-app/bench/run-throughput.sh [SECONDS] [DEMO_RUNS] [ROUNDS]
set -euo pipefail
cd "$(dirname "$0")/../.."
T=${1:-10}
RUNS=${2:-5}
ROUNDS=${3:-3}
UDP_RATE=${UDP_RATE:-200M}
./jl2tp --version >/dev/null            # builds the jar if needed
JAR=failover-app/target/jl2tp.jar
. failover-app/bench/lib.sh
pair_init tput
umask 077
echo "bench * bench-secret" > "$WORK/chap-secrets"
echo "bench-secret" > "$WORK/password"
printf 'mtu 1460\nmru 1460\n' > "$WORK/options"
ip netns exec "$LNS" dist/jl2tp-java "$JAR" lns --listen 203.0.113.2:1701 --secrets "$WORK/chap-secrets" --ppp-options "$WORK/options" > "$WORK/lns.log" 2>&1 &
LNS_PID=$!
sleep 2
ip netns exec "$LAC" dist/jl2tp-java "$JAR" dial --lns 203.0.113.2 --user bench --password-file "$WORK/password" \
   --options "$WORK/options" --ifname l2tp-bench --no-redial > "$WORK/dial.log" 2>&1 &
DIAL_PID=$!
for _ in $(seq 1 100); do ip -n "$LAC" addr show l2tp-bench 2>/dev/null | grep -q "198.51.100" && break; sleep 0.1; done
ip -n "$LAC" addr show l2tp-bench | grep -q "198.51.100" || { echo "tunnel did not come up"; cat "$WORK/dial.log" "$WORK/lns.log"; exit 1; }
relay_start   # the C relay (lib.sh)
RELAY1=$RELAY_LAC RELAY2=$RELAY_LNS
# `ip netns exec` execs its command: the PIDs above are the JVMs' (through the launcher's exec) and the relays'.
ip netns exec "$LNS" iperf3 -s -D -p 5201 >/dev/null
sleep 0.5
bps() { python3 -c 'import json,sys; print(round(json.load(sys.stdin)["end"]["sum_received"]["bits_per_second"]/1e6))'; }
ticks() { local t=0 p; for p in "$@"; do t=$(( t + $(awk '{print $14 + $15}' "/proc/$p/stat") )); done; echo "$t"; }
HZ=$(getconf CLK_TCK)
# udp TARGET PIDS...: prints "received_datagrams cpu_us_per_packet Mbit/s"
udp() {
  local target=$1; shift
  local c0 c1 json
  c0=$(ticks "$@")
  json=$(ip netns exec "$LAC" iperf3 -c "$target" -p 5201 -u -b "$UDP_RATE" -l 1400 -t "$T" -J)
  c1=$(ticks "$@")
  python3 -c '
import json, sys
j = json.loads(sys.argv[1]); s = j["end"]["sum"]
got = s["packets"] - s["lost_packets"]
us = (int(sys.argv[3]) - int(sys.argv[2])) * 1e6 / int(sys.argv[4])
print(got, round(us / max(got, 1), 2), round(s["bits_per_second"] * (1 - s["lost_percent"] / 100) / 1e6))' "$json" "$c0" "$c1" "$HZ"
}
# Warm-up, not counted: a JVM compiles its packet path in the first seconds of traffic (round 1 of
# an unwarmed run cost up to 1.35x the relay's CPU per packet, the later rounds ~1.0x); a router's
# daemon runs for weeks. One TCP and one UDP run through jl2tp, the same through the relay.
for target in 198.51.100.1 198.51.100.252; do
  ip netns exec "$LAC" iperf3 -c "$target" -p 5201 -t "$T" >/dev/null
  ip netns exec "$LAC" iperf3 -c "$target" -p 5201 -u -b "$UDP_RATE" -l 1400 -t "$T" >/dev/null
done
veth=$(ip netns exec "$LAC" iperf3 -c 203.0.113.2 -p 5201 -t "$T" -J | bps)
echo "bare veth, iperf3 TCP ${T} s: ${veth} Mbit/s"
printf '%-6s %-22s %-22s %-8s %-34s %-34s\n' round "jl2tp TCP Mbit/s" "C relay TCP Mbit/s" "ratio" "jl2tp UDP: got, µs CPU/pkt, Mbit/s" "C relay UDP: got, µs CPU/pkt, Mbit/s"
ratios=() cpus=()
for r in $(seq 1 "$ROUNDS"); do
  tunnel=$(ip netns exec "$LAC" iperf3 -c 198.51.100.1 -p 5201 -t "$T" -J | bps)
  relay=$(ip netns exec "$LAC" iperf3 -c 198.51.100.252 -p 5201 -t "$T" -J | bps)
  ju=$(udp 198.51.100.1 "$DIAL_PID" "$LNS_PID")
  cu=$(udp 198.51.100.252 "$RELAY1" "$RELAY2")
  ratio=$(python3 -c "print(round($tunnel / $relay, 2))")
  cpu=$(python3 -c "a='$ju'.split(); b='$cu'.split(); print(round(float(a[1]) / float(b[1]), 2))")
  ratios+=("$ratio"); cpus+=("$cpu")
  printf '%-6s %-22s %-22s %-8s %-34s %-34s\n' "$r" "$tunnel" "$relay" "$ratio" "$ju" "$cu"
done
med() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END{print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
echo "jl2tp / C relay, TCP throughput per round: ${ratios[*]}; CPU per packet per round: ${cpus[*]}"
echo "medians over the rounds: TCP $(med "${ratios[@]}"), CPU per packet $(med "${cpus[@]}")"
rss_dial=$(awk '/VmRSS/ {print int($2/1024)}' "/proc/$DIAL_PID/status")
rss_lns=$(awk '/VmRSS/ {print int($2/1024)}' "/proc/$LNS_PID/status")
echo "RSS after the run: dialer ${rss_dial} MiB, LNS ${rss_lns} MiB"
[ "$RUNS" -gt 0 ] || exit 0
setups=()
for i in $(seq 1 "$RUNS"); do
  s=$(./jl2tp demo --count 1 | sed -n 's/.*session up in \([0-9]*\) ms.*/\1/p')
  setups+=("$s")
done
echo "set-up (SCCRQ -> IPCP up, jl2tp demo, ${RUNS} runs): $(printf '%s ' "${setups[@]}")ms; median $(printf '%s\n' "${setups[@]}" | sort -n | awk '{a[NR]=$1} END{print a[int((NR+1)/2)]}') ms"
