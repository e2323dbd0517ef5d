#!/usr/bin/env bash
# CPU per packet of two jl2tp builds and the C relay, interleaved in one run (issue 14 item 3: "each
# step measured in the rig and kept only if it pays"; docs/benchmarks.md "The TUN reader's wait").
# Not a test. Run as root:
#   failover-app/bench/run-cpu-ab.sh JAR_A JAR_B [SECONDS] [ROUNDS]
# e.g. a build of the previous commit against this one:
#   git worktree add /tmp/prev HEAD~1 && (cd /tmp/prev && mvn -o -q -pl failover-app -am -DskipTests package)
#   mkdir -p /tmp/a /tmp/b && cp /tmp/prev/failover-app/target/jl2tp.jar /tmp/a/ && cp failover-app/target/jl2tp.jar /tmp/b/
#   failover-app/bench/run-cpu-ab.sh /tmp/a/jl2tp.jar /tmp/b/jl2tp.jar 10 6
# (each jar in a directory of its own: dist/jl2tp-java builds its class-data archive beside it).
# Two tunnels side by side (build A: jl2tp lns on 203.0.113.2:1701 and a jl2tp dial; build B: the
# same on port 1702 with another pool), both started by dist/jl2tp-java (the shipped JVM settings),
# and the C relay (relay.c), between the same two namespaces. Each round runs 5 s of TCP through all
# three, then iperf3 UDP at 200 Mbit/s (1 400-octet datagrams) for SECONDS through each, in an order
# that rotates from round to round (A B R, B R A, R A B: none is always first after the TCP runs);
# CPU per packet = the utime + stime of the two ends over the UDP run (/proc, all threads) divided
# by the datagrams received. Prints each round and the medians of A/R, B/R and B/A.
set -euo pipefail
cd "$(dirname "$0")/../.."
[ $# -ge 2 ] || { echo "usage: $0 JAR_A JAR_B [SECONDS] [ROUNDS]" >&2; exit 2; }
JAR_A=$(readlink -f "$1"); JAR_B=$(readlink -f "$2")
T=${3:-10}
ROUNDS=${4:-6}
[ "$(dirname "$JAR_A")" != "$(dirname "$JAR_B")" ] || { echo "the two jars need directories of their own" >&2; exit 2; }
. failover-app/bench/lib.sh
pair_init ab
umask 077
echo "bench * bench-secret" > "$WORK/chap-secrets"
echo "bench-secret" > "$WORK/password"
printf 'mtu 1460\nmru 1460\n' > "$WORK/options"
# tunnel JAR PORT LOCAL POOL IFNAME NAME: starts an LNS and a dialer, leaves their PIDs in NAME_LNS/NAME_DIAL
tunnel() {
  ip netns exec "$LNS" dist/jl2tp-java "$1" lns --listen "203.0.113.2:$2" --local "$3" --pool "$4" \
    --secrets "$WORK/chap-secrets" --ppp-options "$WORK/options" > "$WORK/lns-$6.log" 2>&1 &
  eval "$6_LNS=$!"
  for _ in $(seq 1 100); do grep -q "LNS listening" "$WORK/lns-$6.log" 2>/dev/null && break; sleep 0.1; done
  ip netns exec "$LAC" dist/jl2tp-java "$1" dial --lns "203.0.113.2:$2" --user bench --password-file "$WORK/password" \
    --options "$WORK/options" --ifname "$5" --no-redial > "$WORK/dial-$6.log" 2>&1 &
  eval "$6_DIAL=$!"
  for _ in $(seq 1 150); do ip -n "$LAC" addr show "$5" 2>/dev/null | grep -q "inet " && break; sleep 0.1; done
  ip -n "$LAC" addr show "$5" 2>/dev/null | grep -q "inet " || { echo "tunnel $6 did not come up"; cat "$WORK/dial-$6.log" "$WORK/lns-$6.log"; exit 1; }
}
tunnel "$JAR_A" 1701 198.51.100.1 198.51.100.128-191 l2tp-a A
tunnel "$JAR_B" 1702 198.51.100.65 198.51.100.66-70 l2tp-b B
peer() { ip -n "$LAC" -4 addr show "$1" | sed -nE 's/.*peer ([0-9.]+).*/\1/p'; }
A_TO=$(peer l2tp-a); B_TO=$(peer l2tp-b)
relay_start
R_DIAL=$RELAY_LAC R_LNS=$RELAY_LNS
R_TO=198.51.100.252
ip netns exec "$LNS" iperf3 -s -D -p 5201 >/dev/null
sleep 0.5
ticks() { local t=0 p; for p in "$@"; do t=$(( t + $(awk '{print $14 + $15}' "/proc/$p/stat") )); done; echo "$t"; }
HZ=$(getconf CLK_TCK)
udp() { # WHO (A, B or R): µs of CPU per received datagram
  local to dial lns c0 c1 got
  eval "to=\$$1_TO dial=\$$1_DIAL lns=\$$1_LNS"
  c0=$(ticks "$dial" "$lns")
  got=$(ip netns exec "$LAC" iperf3 -c "$to" -p 5201 -u -b 200M -l 1400 -t "$T" -J \
        | python3 -c 'import json,sys; s=json.load(sys.stdin)["end"]["sum"]; print(s["packets"] - s["lost_packets"])')
  c1=$(ticks "$dial" "$lns")
  python3 -c "print(round(($c1 - $c0) * 1e6 / $HZ / max($got, 1), 2))"
}
tcp() { local to; eval "to=\$$1_TO"; ip netns exec "$LAC" iperf3 -c "$to" -p 5201 -t "$2" >/dev/null; }
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
for w in A B R; do tcp "$w" "$T"; udp "$w" >/dev/null; done   # warm-up, not counted
orders=("A B R" "B R A" "R A B")
printf '%-6s %-8s %-8s %-8s %-8s %-8s %-8s\n' round "A µs" "B µs" "relay µs" "A/R" "B/R" "B/A"
ar=() br=() ba=()
for r in $(seq 1 "$ROUNDS"); do
  for w in A B R; do tcp "$w" 5; done
  declare -A us=()
  for w in ${orders[$(( (r - 1) % 3 ))]}; do us[$w]=$(udp "$w"); done
  q() { python3 -c "print(round($1 / $2, 2))"; }
  ar+=("$(q "${us[A]}" "${us[R]}")"); br+=("$(q "${us[B]}" "${us[R]}")"); ba+=("$(q "${us[B]}" "${us[A]}")")
  printf '%-6s %-8s %-8s %-8s %-8s %-8s %-8s\n' "$r" "${us[A]}" "${us[B]}" "${us[R]}" "${ar[-1]}" "${br[-1]}" "${ba[-1]}"
done
med() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END{print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
echo "medians over the rounds: A/relay $(med "${ar[@]}"), B/relay $(med "${br[@]}"), B/A $(med "${ba[@]}")"
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
