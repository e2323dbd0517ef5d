#!/usr/bin/env bash
# Failover benchmark: time from the primary link going down to the first ping reply through
# the L2TP tunnel, over N runs, in the seed's topology built from network namespaces:
#
#   isp ns --pppoe-aaisp-- router ns (jl2tp xl2tpd with [failover aaisp]) --wan-4g-- 4G ns -- LNS ns (jl2tp lns)
#
# The router pings the LNS's PPP address (198.51.100.1) every 2 ms (ping -D timestamps each
# reply); the clock starts just before `ip link set pppoe-aaisp down`. After each run the
# primary returns and the session is hung up after `hold up` (1 s). Not a test. Run as root:
#   failover-app/bench/run-failover.sh [RUNS]
set -euo pipefail
cd "$(dirname "$0")/../.."
RUNS=${1:-10}
./jl2tp --version >/dev/null            # builds the jar if needed
JAR=$PWD/failover-app/target/jl2tp.jar
WORK=$(mktemp -d)
RTR=jl2tp-fo-rtr-$$; ISP=jl2tp-fo-isp-$$; G4=jl2tp-fo-4g-$$; LNS=jl2tp-fo-lns-$$
ALL="$RTR $ISP $G4 $LNS"
cleanup() {
  for ns in $ALL; do ip netns pids "$ns" 2>/dev/null | xargs -r kill 2>/dev/null || true; done
  sleep 1
  for ns in $ALL; do ip netns pids "$ns" 2>/dev/null | xargs -r kill -9 2>/dev/null || true; ip netns del "$ns" 2>/dev/null || true; done
  rm -rf "$WORK"
}
trap cleanup EXIT
for ns in $ALL; do ip netns add "$ns"; ip -n "$ns" link set lo up; done
veth() { # ns1 if1 addr1 ns2 if2 addr2
  ip -n "$1" link add "$2" type veth peer name "$5" netns "$4"
  ip -n "$1" addr add "$3" dev "$2"; ip -n "$4" addr add "$6" dev "$5"
  ip -n "$1" link set "$2" up; ip -n "$4" link set "$5" up
}
veth "$RTR" pppoe-aaisp 198.51.100.9/30 "$ISP" isp 198.51.100.10/30
veth "$RTR" wan-4g 198.51.100.18/29 "$G4" lan 198.51.100.17/29
veth "$G4" wan 203.0.113.1/24 "$LNS" wan 203.0.113.2/24
ip netns exec "$G4" sysctl -qw net.ipv4.ip_forward=1
ip -n "$LNS" route add 198.51.100.16/29 via 203.0.113.1
ip -n "$RTR" route add default via 198.51.100.17 dev wan-4g metric 200
ip -n "$RTR" route add default via 198.51.100.10 dev pppoe-aaisp metric 100
umask 077
echo "bench * bench-secret" > "$WORK/chap-secrets"
mkdir -p "$WORK/ppp"; echo "bench * bench-secret" > "$WORK/ppp/chap-secrets"
printf 'name bench\nnoauth\nifname l2tp-aaisp\n' > "$WORK/options"
cat > "$WORK/xl2tpd.conf" <<CONF
[global]
auth file = $WORK/l2tp-secrets
[lac aaisp]
lns = 203.0.113.2
redial = yes
redial timeout = 1
pppoptfile = $WORK/options
[failover aaisp]
primary = pppoe-aaisp
backup = wan-4g
route metric = 100
hold up = 1
CONF
ip netns exec "$LNS" java -jar "$JAR" lns --listen 203.0.113.2:1701 --secrets "$WORK/chap-secrets" > "$WORK/lns.log" 2>&1 &
ip netns exec "$RTR" java -jar "$JAR" xl2tpd -D -c "$WORK/xl2tpd.conf" -C "$WORK/control" -p "$WORK/pid" \
   --ppp-dir "$WORK/ppp" > "$WORK/jl2tp.log" 2>&1 &
for _ in $(seq 1 100); do grep -q "watching pppoe-aaisp" "$WORK/jl2tp.log" 2>/dev/null && break; sleep 0.1; done
sleep 2   # both JVMs up
# Warm-up: one failover that is not counted (class loading, JIT of the dial path).
times=()
for i in $(seq 0 "$RUNS"); do
  ip netns exec "$RTR" ping -D -n -i 0.002 -W 0.05 198.51.100.1 > "$WORK/ping.$i" 2>/dev/null &
  PING=$!
  sleep 0.2
  t0=$(date +%s.%N)
  ip -n "$RTR" link set pppoe-aaisp down
  for _ in $(seq 1 500); do grep -q "bytes from" "$WORK/ping.$i" && break; sleep 0.01; done
  kill "$PING" 2>/dev/null; wait "$PING" 2>/dev/null || true
  t1=$(sed -n 's/^\[\([0-9.]*\)\] .*bytes from.*/\1/p' "$WORK/ping.$i" | head -1)
  [ -n "$t1" ] || { echo "run $i: no reply through the tunnel"; tail -20 "$WORK/jl2tp.log"; exit 1; }
  ms=$(python3 -c "print(round(($t1 - $t0) * 1000))")
  if [ "$i" -gt 0 ]; then times+=("$ms"); echo "run $i: ${ms} ms"; else echo "warm-up: ${ms} ms"; fi
  ip -n "$RTR" link set pppoe-aaisp up
  ip -n "$RTR" route replace default via 198.51.100.10 dev pppoe-aaisp metric 100
  for _ in $(seq 1 100); do ip -n "$RTR" link show l2tp-aaisp >/dev/null 2>&1 || break; sleep 0.1; done
  sleep 0.5
done
sorted=$(printf '%s\n' "${times[@]}" | sort -n)
median=$(echo "$sorted" | awk '{a[NR]=$1} END{ if (NR%2) print a[(NR+1)/2]; else print (a[NR/2]+a[NR/2+1])/2 }')
max=$(echo "$sorted" | tail -1)
echo "failover (primary down -> first ping reply through the tunnel), ${RUNS} runs: median ${median} ms, max ${max} ms"
grep "session up .* ms after the primary went down" "$WORK/jl2tp.log" | tail -3 || true
