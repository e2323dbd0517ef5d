# Shared by the benchmarks (run-failover.sh, run-failover-relay.sh, run-fifo-cycles.sh,
# run-throughput.sh, run-cpu-ab.sh); sourced, not run.
#
# pair_init TAG          two namespaces, $LAC and $LNS, joined by a veth "wan" (203.0.113.1/24 in
#                        $LAC, 203.0.113.2/24 in $LNS), a work directory $WORK and the same trap
#                        as fo_init (processes killed, namespaces and $WORK removed on exit)
# relay_start            after pair_init: the C TUN<->UDP relay (relay.c) on UDP port 4000 between
#                        the two, with its own TUN pair crelay (198.51.100.251 in $LAC <-> .252 in
#                        $LNS, outside the LNS pools); its PIDs in RELAY_LAC and RELAY_LNS
#
# The failover benchmarks:# The seed's topology in four namespaces:
#
#   isp ns --pppoe-aaisp-- router ns (jl2tp xl2tpd with [failover aaisp]) --wan-4g-- 4G ns -- LNS ns (jl2tp lns)
#
#   router: pppoe-aaisp 198.51.100.9/30 (default route metric 100), wan-4g 198.51.100.18/29
#           (default route via the 4G router 198.51.100.17, metric 200)
#   4G:     lan 198.51.100.17/29, wan 203.0.113.1/24      LNS: wan 203.0.113.2/24 (jl2tp lns, CHAP)
#
# fo_init TAG            builds the jar if needed, makes the namespaces ($RTR $ISP $G4 $LNS), a
#                        work directory $WORK and a trap that removes both on exit
# fo_start LNS_ADDR      starts jl2tp lns and jl2tp xl2tpd (its LAC dials LNS_ADDR)
# fo_measure RUNS        one warm-up failover, then RUNS counted ones; prints each and sets
#                        FO_TIMES (ms, space-separated), FO_MEDIAN and FO_MAX (ms)
#
# FO_LOGS (optional): a directory that gets the runs' logs (jl2tp.log, lns.log, relay.log) at exit.
# JL2TP (optional): the command that runs jl2tp, default "java -jar failover-app/target/jl2tp.jar"
# (a test sets "java -cp CLASSPATH io.jl2tp.app.cli.Main" and skips the jar build).

fo_init() {
  cd "$(dirname "${BASH_SOURCE[0]}")/../.."
  if [ -z "${JL2TP:-}" ]; then
    ./jl2tp --version >/dev/null            # builds the jar if needed
    JL2TP="java -jar $PWD/failover-app/target/jl2tp.jar"
  fi
  WORK=$(mktemp -d)
  RTR=jl2tp-$1-rtr-$$; ISP=jl2tp-$1-isp-$$; G4=jl2tp-$1-4g-$$; LNS=jl2tp-$1-lns-$$
  FO_ALL="$RTR $ISP $G4 $LNS"
  trap fo_cleanup EXIT
  for ns in $FO_ALL; do ip netns add "$ns"; ip -n "$ns" link set lo up; done
  fo_veth "$RTR" pppoe-aaisp 198.51.100.9/30 "$ISP" isp 198.51.100.10/30
  fo_veth "$RTR" wan-4g 198.51.100.18/29 "$G4" lan 198.51.100.17/29
  fo_veth "$G4" wan 203.0.113.1/24 "$LNS" wan 203.0.113.2/24
  ip -n "$LNS" route add 198.51.100.16/29 via 203.0.113.1
  ip -n "$RTR" route add default via 198.51.100.17 dev wan-4g metric 200
  ip -n "$RTR" route add default via 198.51.100.10 dev pppoe-aaisp metric 100
}

pair_init() {
  WORK=$(mktemp -d)
  LNS=jl2tp-$1-lns-$$; LAC=jl2tp-$1-lac-$$
  FO_ALL="$LNS $LAC"
  trap fo_cleanup EXIT
  for ns in $FO_ALL; do ip netns add "$ns"; ip -n "$ns" link set lo up; done
  fo_veth "$LAC" wan 203.0.113.1/24 "$LNS" wan 203.0.113.2/24
}

relay_start() {
  gcc -O2 -o "$WORK/relay" failover-app/bench/relay.c
  ip netns exec "$LAC" "$WORK/relay" crelay 203.0.113.1 4000 203.0.113.2 4000 &
  RELAY_LAC=$!
  ip netns exec "$LNS" "$WORK/relay" crelay 203.0.113.2 4000 203.0.113.1 4000 &
  RELAY_LNS=$!
  for _ in $(seq 1 50); do ip -n "$LAC" link show crelay >/dev/null 2>&1 && ip -n "$LNS" link show crelay >/dev/null 2>&1 && break; sleep 0.1; done
  ip -n "$LAC" addr add 198.51.100.251 peer 198.51.100.252 dev crelay; ip -n "$LAC" link set crelay mtu 1460 up
  ip -n "$LNS" addr add 198.51.100.252 peer 198.51.100.251 dev crelay; ip -n "$LNS" link set crelay mtu 1460 up
}

fo_cleanup() {
  for ns in $FO_ALL; do ip netns pids "$ns" 2>/dev/null | xargs -r kill 2>/dev/null || true; done
  sleep 1
  for ns in $FO_ALL; do
    ip netns pids "$ns" 2>/dev/null | xargs -r kill -9 2>/dev/null || true
    ip netns del "$ns" 2>/dev/null || true
  done
  [ -z "${FO_LOGS:-}" ] || { mkdir -p "$FO_LOGS"; cp "$WORK"/*.log "$FO_LOGS"/ 2>/dev/null || true; }
  rm -rf "$WORK"
}

fo_veth() { # ns1 if1 addr1 ns2 if2 addr2
  ip -n "$1" link add "$2" type veth peer name "$5" netns "$4"
  ip -n "$1" addr add "$3" dev "$2"; ip -n "$4" addr add "$6" dev "$5"
  ip -n "$1" link set "$2" up; ip -n "$4" link set "$5" up
}

fo_start() { # LNS_ADDR (what the LAC dials)
  umask 077
  echo "bench * bench-secret" > "$WORK/chap-secrets"
  mkdir -p "$WORK/ppp"; echo "bench * bench-secret" > "$WORK/ppp/chap-secrets"
  printf 'name bench\nnoauth\nifname l2tp-aaisp\n' > "$WORK/options"
  cat > "$WORK/xl2tpd.conf" <<CONF
[global]
auth file = $WORK/l2tp-secrets
[lac aaisp]
lns = $1
redial = yes
redial timeout = 1
pppoptfile = $WORK/options
[failover aaisp]
primary = pppoe-aaisp
backup = wan-4g
route metric = 100
hold up = 1
CONF
  ip netns exec "$LNS" $JL2TP lns --listen 203.0.113.2:1701 --secrets "$WORK/chap-secrets" > "$WORK/lns.log" 2>&1 &
  ip netns exec "$RTR" $JL2TP xl2tpd -D -c "$WORK/xl2tpd.conf" -C "$WORK/control" -p "$WORK/pid" \
     --ppp-dir "$WORK/ppp" > "$WORK/jl2tp.log" 2>&1 &
  for _ in $(seq 1 300); do
    grep -q "watching pppoe-aaisp" "$WORK/jl2tp.log" 2>/dev/null && grep -q "LNS listening" "$WORK/lns.log" 2>/dev/null && break
    sleep 0.1
  done
  grep -q "watching pppoe-aaisp" "$WORK/jl2tp.log" || { echo "jl2tp xl2tpd did not start:"; tail -20 "$WORK/jl2tp.log"; exit 1; }
  grep -q "LNS listening" "$WORK/lns.log" || { echo "jl2tp lns did not start:"; tail -20 "$WORK/lns.log"; exit 1; }
  sleep 1   # the service's first evaluation (primary up: standby)
}

fo_measure() { # RUNS
  local i t0 t1 ms PING
  FO_TIMES=""
  # Warm-up: one failover that is not counted (class loading, JIT of the dial path).
  for i in $(seq 0 "$1"); do
    ip netns exec "$RTR" ping -D -n -i 0.002 -W 0.05 198.51.100.1 > "$WORK/ping.$i" 2>/dev/null &
    PING=$!
    sleep 0.2
    t0=$(date +%s.%N)
    ip -n "$RTR" link set pppoe-aaisp down
    for _ in $(seq 1 1000); do grep -q "bytes from" "$WORK/ping.$i" && break; sleep 0.01; done
    kill "$PING" 2>/dev/null; wait "$PING" 2>/dev/null || true
    t1=$(sed -n 's/^\[\([0-9.]*\)\] .*bytes from.*/\1/p' "$WORK/ping.$i" | head -1)
    [ -n "$t1" ] || { echo "run $i: no reply through the tunnel"; tail -20 "$WORK/jl2tp.log"; exit 1; }
    ms=$(python3 -c "print(round(($t1 - $t0) * 1000))")
    if [ "$i" -gt 0 ]; then FO_TIMES="$FO_TIMES $ms"; echo "run $i: ${ms} ms"; else echo "warm-up: ${ms} ms"; fi
    ip -n "$RTR" link set pppoe-aaisp up
    ip -n "$RTR" route replace default via 198.51.100.10 dev pppoe-aaisp metric 100
    for _ in $(seq 1 200); do ip -n "$RTR" link show l2tp-aaisp >/dev/null 2>&1 || break; sleep 0.1; done
    ! ip -n "$RTR" link show l2tp-aaisp >/dev/null 2>&1 || { echo "run $i: the session was not hung up"; tail -20 "$WORK/jl2tp.log"; exit 1; }
    sleep 0.5
  done
  local sorted
  sorted=$(printf '%s\n' $FO_TIMES | sort -n)
  FO_MEDIAN=$(echo "$sorted" | awk '{a[NR]=$1} END{ if (NR%2) print a[(NR+1)/2]; else print (a[NR/2]+a[NR/2+1])/2 }')
  FO_MAX=$(echo "$sorted" | tail -1)
}
