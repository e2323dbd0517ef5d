#!/bin/bash
# Issue 13's load acceptance: `jl2tp harness load` brings TUNNELS x SESSIONS calls up to IPCP
# (CHAP, IPCP, IPV6CP, one ping through each) and reports the set-up rate, p50/p99 and
# failures; the LNS side's heap is taken after a full GC while every call is still up.
#
#   failover-app/bench/run-harness-load.sh [TUNNELS SESSIONS RATE [LAC FLAGS...]]
#       harness LAC against the harness LNS, two JVMs on 127.0.0.1 (no root needed);
#       default 100 100 1000
#   failover-app/bench/run-harness-load.sh --l2tpns [TUNNELS SESSIONS RATE [LAC FLAGS...]]
#       harness LAC against Debian's l2tpns 2.4.1 (+ FreeRADIUS) in a network namespace of its
#       own, joined by a veth to the LAC's namespace (root; names end in this script's PID);
#       default 10 100 200. Its pool holds 320 addresses (198.51.100.0/24 + 203.0.113.192/26).
#
# Prints the machine's load average before and after, the LAC's report, the LNS's status line,
# and (harness LNS) its heap after a full GC and its RSS. Logs at WARN. Not part of the test
# suite: timings depend on the machine. Work files go to a temporary directory, removed at exit
# (LOAD_LOGS=DIR keeps the logs there). L2TPNS_DEBUG=N sets l2tpns's debug level (default 0).
set -euo pipefail
cd "$(dirname "$0")/../.."
MODE=loopback
if [ "${1:-}" = --l2tpns ]; then MODE=l2tpns; shift; fi
if [ $MODE = loopback ]; then T=${1:-100} S=${2:-100} R=${3:-1000}; else T=${1:-10} S=${2:-100} R=${3:-200}; fi
shift $(( $# < 3 ? $# : 3 ))
./jl2tp --version >/dev/null            # builds the jar if needed
JAR=$PWD/failover-app/target/jl2tp.jar
J="java -Djl2tp.log.level=WARN -jar $JAR"
WORK=$(mktemp -d)
PIDS=() NSS=()
cleanup() {
  for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
  for ns in "${NSS[@]}"; do ip netns pids "$ns" 2>/dev/null | xargs -r kill 2>/dev/null || true; done
  sleep 1
  for ns in "${NSS[@]}"; do
    ip netns pids "$ns" 2>/dev/null | xargs -r kill -9 2>/dev/null || true
    ip netns del "$ns" 2>/dev/null || true
  done
  [ -z "${LOAD_LOGS:-}" ] || { mkdir -p "$LOAD_LOGS"; cp "$WORK"/*.log "$WORK"/*.out "$LOAD_LOGS"/ 2>/dev/null || true; }
  rm -rf "$WORK"
}
trap cleanup EXIT
TOTAL=$((T * S))

# Waits until the LAC's calls have all settled (up or failed), printing its summary every 10 s.
wait_settled() { # CTL-PREFIX
  local line up failed i
  for i in $(seq 1 600); do
    sleep 2
    line=$($1 $J harness ctl --control "$WORK/lac.ctl" status 2>/dev/null | head -1) || continue
    up=$(sed -nE 's/.*reached IPCP up ([0-9]+).*/\1/p' <<<"$line")
    failed=$(sed -nE 's/.*failed ([0-9]+).*/\1/p' <<<"$line")
    [ $((i % 5)) = 0 ] && echo "  ... $line"
    [ -n "$up" ] && [ -n "$failed" ] && [ $((up + failed)) -ge $TOTAL ] && return 0
    kill -0 "$LAC" 2>/dev/null || return 0
  done
}

echo "load average before: $(cat /proc/loadavg)"
if [ $MODE = loopback ]; then
  $J harness lns --listen 127.0.0.1:0 --user alice:s3cret --rws 64 --control "$WORK/lns.ctl" > "$WORK/lns.log" 2>&1 &
  LNS=$!; PIDS+=("$LNS")
  for _ in $(seq 1 100); do grep -q "listening on" "$WORK/lns.log" && break; sleep 0.1; done
  ADDR=$(sed -nE 's/.*listening on ([0-9.]+:[0-9]+).*/\1/p' "$WORK/lns.log" | head -1)
  [ -n "$ADDR" ] || { echo "harness LNS did not start:"; cat "$WORK/lns.log"; exit 1; }
  CMD="jl2tp harness load --lns $ADDR --tunnels $T --sessions $S --user alice --secret s3cret --rate $R --rws 64 --pings 1 $*"
  echo "\$ $CMD --hold --control LAC.CTL"
  $J harness load --lns "$ADDR" --tunnels "$T" --sessions "$S" --user alice --secret s3cret --rate "$R" --rws 64 \
      --pings 1 --hold --timeout 600s --control "$WORK/lac.ctl" "$@" > "$WORK/lac.out" 2>&1 &
  LAC=$!; PIDS+=("$LAC")
  wait_settled ""
  sleep 2 # the last pings
  echo "load average while the calls are up: $(cat /proc/loadavg)"
  echo "LNS: $($J harness ctl --control "$WORK/lns.ctl" status | head -1)"
  jcmd "$LNS" GC.run >/dev/null
  echo "LNS heap after a full GC (jcmd GC.heap_info):"
  jcmd "$LNS" GC.heap_info | sed -n '2,3p'
  echo "LNS RSS: $(awk '/VmRSS/{print $2, $3}' /proc/$LNS/status)"
else
  [ "$(id -u)" = 0 ] || { echo "--l2tpns needs root (namespaces)"; exit 1; }
  LNSNS=jl2tp-ld-lns-$$ LACNS=jl2tp-ld-lac-$$
  NSS=("$LNSNS" "$LACNS")
  for ns in "${NSS[@]}"; do ip netns add "$ns"; ip -n "$ns" link set lo up; done
  ip -n "$LACNS" link add veth-lac type veth peer name veth-lns netns "$LNSNS"
  ip -n "$LACNS" addr add 203.0.113.1/25 dev veth-lac; ip -n "$LNSNS" addr add 203.0.113.2/25 dev veth-lns
  ip -n "$LACNS" link set veth-lac up; ip -n "$LNSNS" link set veth-lns up
  # FreeRADIUS (threaded, not -X) on the LNS namespace's loopback, a private copy of Debian's config.
  RD=$WORK/raddb; cp -a /etc/freeradius/3.0 "$RD"
  sed -i -e "s|^raddbdir = .*|raddbdir = $RD|" -e "s|^\s*user = freerad|#&|" -e "s|^\s*group = freerad|#&|" \
         -e "s|^logdir = .*|logdir = $WORK|" -e "s|^run_dir = .*|run_dir = $WORK|" "$RD/radiusd.conf"
  rm -f "$RD/sites-enabled/inner-tunnel"
  printf 'alice\tCleartext-Password := "s3cret"\n\tService-Type = Framed-User,\n\tFramed-Protocol = PPP\n' \
      > "$RD/mods-config/files/authorize"
  ip netns exec "$LNSNS" setsid freeradius -f -d "$RD" -l "$WORK/radius.log" < /dev/null > /dev/null 2>&1 &
  for _ in $(seq 1 100); do
    ip netns exec "$LNSNS" radtest -t chap alice s3cret 127.0.0.1 0 testing123 2>/dev/null | grep -q Access-Accept && break
    sleep 0.2
  done
  printf '198.51.100.0/24\n203.0.113.192/26\n' > "$WORK/ip_pool"
  cat > "$WORK/startup-config" <<EOF
set debug ${L2TPNS_DEBUG:-0}
set log_file "$WORK/l2tpns.log"
set pid_file "$WORK/l2tpns.pid"
set hostname "lns-l2tpns"
set bind_address 203.0.113.2
set iftun_address 203.0.113.129
set peer_address 203.0.113.129
set send_garp no
set primary_dns 203.0.113.130
set primary_radius 127.0.0.1
set primary_radius_port 1812
set radius_secret "testing123"
set radius_authtypes "chap,pap"
set radius_accounting no
set cli_bind_address 127.0.0.1
set ipv6_prefix 2001:db8:1::
set echo_timeout 10
set idle_echo_timeout 240
set ppp_keepalive yes
# every call logs in as alice: without this a new login ends the previous session of the user
set allow_duplicate_users yes
set cluster_interface "lo"
set cluster_hb_interval 5
set cluster_hb_timeout 15
EOF
  : > "$WORK/l2tpns.log"
  ip netns exec "$LNSNS" setsid unshare --mount --propagation private sh -c \
    "mount --bind '$WORK/ip_pool' /etc/l2tpns/ip_pool && exec /usr/sbin/l2tpns -c '$WORK/startup-config'" \
    > "$WORK/l2tpns.stdout" 2>&1 < /dev/null &
  for _ in $(seq 1 150); do grep -q "declaring myself the master" "$WORK/l2tpns.log" && break; sleep 0.2; done
  grep -q "declaring myself the master" "$WORK/l2tpns.log" || { echo "l2tpns did not start:"; tail "$WORK/l2tpns.log"; exit 1; }
  LNSPID=$(cat "$WORK/l2tpns.pid")
  CMD="jl2tp harness load --lns 203.0.113.2 --tunnels $T --sessions $S --user alice --secret s3cret --rate $R --pings 1 $*"
  echo "\$ ip netns exec LAC-NS $CMD --hold --control LAC.CTL"
  ip netns exec "$LACNS" $J harness load --lns 203.0.113.2 --tunnels "$T" --sessions "$S" --user alice --secret s3cret \
      --rate "$R" --pings 1 --hold --timeout 600s --control "$WORK/lac.ctl" "$@" > "$WORK/lac.out" 2>&1 &
  LAC=$!; PIDS+=("$LAC")
  wait_settled "ip netns exec $LACNS"
  sleep 2
  echo "load average while the calls are up: $(cat /proc/loadavg)"
  echo "l2tpns: $(ip netns exec "$LNSNS" ip -o link show tun0 >/dev/null 2>&1 && echo tun0 up), $(grep -c . "$WORK/l2tpns.log") log lines;" \
       "RSS $(awk '/VmRSS/{print $2, $3}' /proc/"$LNSPID"/status 2>/dev/null || echo '?')," \
       "CPU $(awk '{print ($14+$15)/100 " s"}' /proc/"$LNSPID"/stat 2>/dev/null || echo '?')"
  grep -iE "pool is full|No IP allocated|too many|refus|fail" "$WORK/l2tpns.log" | sed -E 's/^[^ ]+ [^ ]+ [^ ]+ +//' \
      | sort | uniq -c | sort -rn | head -5 | sed 's/^/  l2tpns log: /' || true
fi
kill -TERM "$LAC" 2>/dev/null || true
wait "$LAC" 2>/dev/null || true
echo "LAC report:"
grep -v "suppressed (rate limit)" "$WORK/lac.out" | grep -vE "^tunnel [0-9]+ session" | sed 's/^/  /'
echo "load average after: $(cat /proc/loadavg)"
