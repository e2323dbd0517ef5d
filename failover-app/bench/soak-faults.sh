#!/usr/bin/env bash
# Soak under faults (issue 11 §3, the long form of FaultSoakTest): `jl2tp dial` (redial on)
# against `jl2tp lns` through `jl2tp harness impair`, in three network namespaces:
#
#   lac ns (jl2tp dial) --wan-- relay ns (jl2tp harness impair) --lns-- lns ns (jl2tp lns)
#
# Each round: wait for the session (IPv4 on l2tp-soak, a ping answered), then one fault in turn:
#   blackhole  the relay's FIFO: `blackhole $BLACKHOLE` (default 30 s, > the LCP echo timeout of 6 s)
#   kill       SIGKILL to the LNS, restarted after $DOWNTIME s (default 10)
#   spray      random datagrams at both the LNS and the LAC for 10 s while a ping runs
#   stopccn    SIGTERM to the LNS, which hangs up with StopCCN mid-call; restarted after $DOWNTIME s
#   ifdel      the session's interface deleted from outside (`ip link del l2tp-soak`)
# and record, for the dial process: threads (/proc/PID/task), descriptors (/proc/PID/fd), RSS,
# seconds to recover, interfaces left on the LNS. The dial process's threads and descriptors
# after the last round must equal those after the first (exit 1 otherwise). Not a test; root.
#
#   failover-app/bench/soak-faults.sh [ROUNDS]          # default 10 (2 of each fault)
#   LOSS=30 ECHO_FAILURE=10 failover-app/bench/soak-faults.sh 6   # every set-up through 30 % loss
#     (at 30 % loss each way half the echoes go unanswered: 3 misses in a row are too likely)
#   DELAY=60 JITTER=20 LOSS=20 failover-app/bench/soak-faults.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
ROUNDS=${1:-10}
BLACKHOLE=${BLACKHOLE:-30}
DOWNTIME=${DOWNTIME:-10}
LOSS=${LOSS:-0}
DELAY=${DELAY:-0}
JITTER=${JITTER:-0}
ECHO_INTERVAL=${ECHO_INTERVAL:-2}   # LCP echo on both sides: the timeout is ECHO_INTERVAL × ECHO_FAILURE
ECHO_FAILURE=${ECHO_FAILURE:-3}
./jl2tp --version >/dev/null            # builds the jar if needed
JAR=$PWD/failover-app/target/jl2tp.jar
WORK=$(mktemp -d)
LAC=jl2tp-sk-lac-$$; RLY=jl2tp-sk-rly-$$; LNS=jl2tp-sk-lns-$$
ALL="$LAC $RLY $LNS"
cleanup() {
  for ns in $ALL; do ip netns pids "$ns" 2>/dev/null | xargs -r kill 2>/dev/null || true; done
  sleep 2
  for ns in $ALL; do ip netns pids "$ns" 2>/dev/null | xargs -r kill -9 2>/dev/null || true; ip netns del "$ns" 2>/dev/null || true; done
  echo "logs were in $WORK (removed)"; rm -rf "$WORK"
}
trap cleanup EXIT
for ns in $ALL; do ip netns add "$ns"; ip -n "$ns" link set lo up; done
veth() { # ns1 if1 addr1 ns2 if2 addr2
  ip -n "$1" link add "$2" type veth peer name "$5" netns "$4"
  ip -n "$1" addr add "$3" dev "$2"; ip -n "$4" addr add "$6" dev "$5"
  ip -n "$1" link set "$2" up; ip -n "$4" link set "$5" up
}
veth "$LAC" wan 203.0.113.1/30 "$RLY" lac 203.0.113.2/30
veth "$RLY" lns 203.0.113.5/30 "$LNS" wan 203.0.113.6/30
umask 077
echo "soak * soak-secret" > "$WORK/chap-secrets"
echo "soak-secret" > "$WORK/password"
printf 'lcp-echo-interval %s\nlcp-echo-failure %s\n' "$ECHO_INTERVAL" "$ECHO_FAILURE" > "$WORK/lns-options"
printf 'lcp-echo-interval %s\nlcp-echo-failure %s\nifname l2tp-soak\n' "$ECHO_INTERVAL" "$ECHO_FAILURE" > "$WORK/lac-options"

start_lns() {
  ip netns exec "$LNS" java -jar "$JAR" lns --listen 203.0.113.6:1701 --secrets "$WORK/chap-secrets" \
     --ppp-options "$WORK/lns-options" >> "$WORK/lns.log" 2>&1 &
  LNS_PID=$!
}
start_lns
ip netns exec "$RLY" java -jar "$JAR" harness impair --listen 203.0.113.2:1701 --to 203.0.113.6:1701 \
   --loss "$LOSS" --delay "$DELAY" --jitter "$JITTER" --seed 1 --control "$WORK/relay.ctl" > "$WORK/relay.log" 2>&1 &
RELAY_PID=$!
ip netns exec "$LAC" java -jar "$JAR" dial --lns 203.0.113.2 --user soak --password-file "$WORK/password" \
   --options "$WORK/lac-options" --redial --redial-timeout 2 --ppp-dir "$WORK" > "$WORK/dial.log" 2>&1 &
DIAL_PID=$!
sleep 1
# `ip netns exec` execs java: the PIDs are the JVMs'.

up() { ip -n "$LAC" -4 addr show dev l2tp-soak 2>/dev/null | grep -q 'peer 198.51.100.1/32' \
       && ip netns exec "$LAC" ping -c 1 -W 2 198.51.100.1 >/dev/null 2>&1; }
wait_up() { # seconds → prints seconds taken, or fails
  local t0=$SECONDS
  until up; do
    if (( SECONDS - t0 > $1 )); then echo "no session after $1 s" >&2; tail -20 "$WORK/dial.log" >&2; exit 1; fi
    kill -0 "$DIAL_PID" 2>/dev/null || { echo "jl2tp dial exited" >&2; tail -20 "$WORK/dial.log" >&2; exit 1; }
    sleep 0.5
  done
  echo $(( SECONDS - t0 ))
}
count() { ls "/proc/$DIAL_PID/$1" | wc -l; }
rss() { awk '/VmRSS/ {print $2}' "/proc/$DIAL_PID/status"; }
lns_ifs() { ip -n "$LNS" -o link show | grep -c ': lns' || true; }
spray() { # random datagrams at both roles for 10 s
  local lacport
  lacport=$(ip netns exec "$LAC" ss -Hunp | awk '/java/ {split($4, a, ":"); print a[2]; exit}')
  ip netns exec "$RLY" python3 - "$lacport" <<'PY'
import os, random, socket, sys, time
lacport = int(sys.argv[1] or 1)
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
end, n = time.time() + 10, 0
while time.time() < end:
    for target in (("203.0.113.6", 1701), ("203.0.113.1", lacport)):
        body = os.urandom(random.randint(1, 300))
        if random.random() < 0.5:  # L2TP-shaped: control or data header, random ids
            body = random.choice([b"\xc8\x02", b"\x00\x02"]) + os.urandom(random.randint(10, 200))
        try:
            s.sendto(body, target); n += 1
        except OSError:
            pass
    time.sleep(0.0005)
print(n, "datagrams sprayed", file=sys.stderr)
PY
}

printf '%-6s %-10s %9s %8s %6s %9s %8s\n' round fault recover_s threads fds rss_kB lns_ifs
first=$(wait_up 180)
T0=$(count task); F0=$(count fd)
printf '%-6s %-10s %9s %8s %6s %9s %8s\n' 0 "(set-up)" "$first" "$T0" "$F0" "$(rss)" "$(lns_ifs)"
faults=(blackhole kill spray stopccn ifdel)
for r in $(seq 1 "$ROUNDS"); do
  fault=${faults[$(( (r - 1) % ${#faults[@]} ))]}
  case $fault in
    blackhole) echo "blackhole $BLACKHOLE" > "$WORK/relay.ctl"; sleep $(( BLACKHOLE + 1 )) ;;
    kill) kill -9 "$LNS_PID"; wait "$LNS_PID" 2>/dev/null || true; sleep "$DOWNTIME"; start_lns ;;
    spray) ip netns exec "$LAC" ping -q -c 40 -i 0.25 198.51.100.1 > "$WORK/spray-ping.log" 2>&1 &
           PING=$!; spray; wait "$PING" || { echo "ping failed during the spray" >&2; cat "$WORK/spray-ping.log" >&2; exit 1; } ;;
    stopccn) kill -TERM "$LNS_PID"; wait "$LNS_PID" 2>/dev/null || true; sleep "$DOWNTIME"; start_lns ;;
    ifdel) ip -n "$LAC" link del l2tp-soak ;;
  esac
  took=$(wait_up 240)
  printf '%-6s %-10s %9s %8s %6s %9s %8s\n' "$r" "$fault" "$took" "$(count task)" "$(count fd)" "$(rss)" "$(lns_ifs)"
done
T1=$(count task); F1=$(count fd)
echo "relay: $(echo stats > "$WORK/relay.ctl"; sleep 0.5; grep -E '^(up|down) ' "$WORK/relay.log" | tail -2 | tr '\n' ' ')"
if (( T1 > T0 || F1 > F0 )); then
  echo "LEAK: threads $T0 -> $T1, descriptors $F0 -> $F1 over $ROUNDS faults"; exit 1
fi
echo "flat: threads $T0 -> $T1, descriptors $F0 -> $F1 over $ROUNDS faults"
