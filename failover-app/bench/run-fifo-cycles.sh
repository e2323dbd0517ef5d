#!/usr/bin/env bash
# Connect/disconnect cycles through the control FIFO with Debian's real xl2tpd-control, watching
# the daemon over time: `jl2tp xl2tpd` (no [failover]) dials `jl2tp lns` in namespaces (the
# seed's topology from lib.sh, primary unused); each cycle is `xl2tpd-control connect-lac aaisp`,
# wait for the address, `disconnect-lac aaisp`, wait for the interface to go. After every cycle
# it prints the daemon's threads (/proc/PID/task, the JDK's JIT and process-reaper threads left out), descriptors (/proc/PID/fd) and VmRSS, and at
# the end compares cycle 2 with the last (cycle 1 pays one-time threads and classes).
# Not a test. Run as root:  failover-app/bench/run-fifo-cycles.sh [CYCLES]   (default 50)
# xl2tpd-control: $XL2TPD_CONTROL, else /tmp/jl2tp-debs/xl2tpd/usr/sbin/xl2tpd-control (test.sh unpacks it).
set -euo pipefail
N=${1:-50}
# The daemon runs as shipped: the launcher with dist/jvm.options and the class-data archive.
cd "$(dirname "$0")/../.."
./jl2tp --version >/dev/null            # builds the jar if needed
JL2TP="$PWD/dist/jl2tp-java $PWD/failover-app/target/jl2tp.jar"
. failover-app/bench/lib.sh
XC=${XL2TPD_CONTROL:-/tmp/jl2tp-debs/xl2tpd/usr/sbin/xl2tpd-control}
[ -x "$XC" ] || { echo "no xl2tpd-control at $XC (run ./test.sh once, or set XL2TPD_CONTROL)" >&2; exit 1; }
fo_init fifo
ip netns exec "$G4" sysctl -qw net.ipv4.ip_forward=1
ip -n "$RTR" route add 203.0.113.2/32 via 198.51.100.17 dev wan-4g   # no [failover]: the LNS's host route by hand
mkdir -p /var/run/xl2tpd   # the tool's reply FIFO directory (compiled in)
umask 077
echo "bench * bench-secret" > "$WORK/chap-secrets"
mkdir -p "$WORK/ppp"; echo "bench * bench-secret" > "$WORK/ppp/chap-secrets"
printf 'name bench\nnoauth\nifname l2tp-aaisp\n' > "$WORK/options"
printf '[global]\nauth file = %s/l2tp-secrets\n[lac aaisp]\nlns = 203.0.113.2\npppoptfile = %s/options\n' \
  "$WORK" "$WORK" > "$WORK/xl2tpd.conf"
ip netns exec "$LNS" $JL2TP lns --listen 203.0.113.2:1701 --secrets "$WORK/chap-secrets" > "$WORK/lns.log" 2>&1 &
ip netns exec "$RTR" $JL2TP xl2tpd -D -c "$WORK/xl2tpd.conf" -C "$WORK/control" -p "$WORK/pid" \
   --ppp-dir "$WORK/ppp" > "$WORK/jl2tp.log" 2>&1 &
for _ in $(seq 1 300); do [ -s "$WORK/pid" ] && [ -p "$WORK/control" ] && grep -q "LNS listening" "$WORK/lns.log" && break; sleep 0.1; done
PID=$(cat "$WORK/pid")
# Threads: jl2tp's own, i.e. all but two kinds the JDK starts and ends by itself: the JIT's
# compiler threads (with the compile queue, UseDynamicNumberOfCompilerThreads) and the "process
# reaper" (a cached pool that waits for hook processes and ends 60 s after its last one).
threads() { cat /proc/"$PID"/task/*/comm 2>/dev/null | grep -cv -e '^C[12] CompilerThre' -e '^process reaper'; }
sample() { echo "$(threads) $(ls /proc/"$PID"/fd | wc -l) $(awk '/VmRSS/ {print int($2/1024)}' /proc/"$PID"/status)"; }
printf '%5s %7s %5s %8s\n' cycle threads fds "RSS MiB"
first="" last=""
for i in $(seq 1 "$N"); do
  "$XC" -c "$WORK/control" connect-lac aaisp >/dev/null
  for _ in $(seq 1 300); do ip -n "$RTR" addr show l2tp-aaisp 2>/dev/null | grep -q "inet " && break; sleep 0.05; done
  ip -n "$RTR" addr show l2tp-aaisp 2>/dev/null | grep -q "inet " || { echo "cycle $i: no session"; tail -20 "$WORK/jl2tp.log" "$WORK/lns.log"; exit 1; }
  "$XC" -c "$WORK/control" disconnect-lac aaisp >/dev/null
  for _ in $(seq 1 300); do ip -n "$RTR" link show l2tp-aaisp >/dev/null 2>&1 || break; sleep 0.05; done
  sleep 1.5   # Netty's globalEventExecutor ends 1 s after the last socket closed (docs/robustness.md, Redials)
  s=$(sample); printf '%5d %7s %5s %8s\n' "$i" $s
  [ "$i" = 2 ] && { first=$s; cat /proc/"$PID"/task/*/comm | sort > "$WORK/threads.2"; }
  last=$s
done
t2=${first%% *}; tn=${last%% *}; f2=$(echo "$first" | cut -d' ' -f2); fn=$(echo "$last" | cut -d' ' -f2)
echo "cycle 2 -> $N: threads $t2 -> $tn, descriptors $f2 -> $fn"
cat /proc/"$PID"/task/*/comm | sort > "$WORK/threads.$N"
[ "$t2" = "$tn" ] && [ "$f2" = "$fn" ] || { echo "FAIL: not flat; threads at cycle 2 (<) and $N (>):"; diff "$WORK/threads.2" "$WORK/threads.$N"; exit 1; }
