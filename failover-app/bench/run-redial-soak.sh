#!/usr/bin/env bash
# Redial soak (issue 11 acceptance): a dialer against `jl2tp lns` that refuses every call (the
# dialer's CHAP secret is wrong, so authentication fails and the LNS hangs up), N times. Records
# the dialer process's threads (/proc/PID/task), descriptors (/proc/PID/fd) and VmRSS after the
# first refusal and after the last, and fails (exit 1) unless threads and descriptors are equal.
#   run-redial-soak.sh [N] [WAIT_MS]    io.jl2tp.app.bench.RedialSoak: jl2tp dial's Redialer (a
#                                       new Dialer per attempt) with a fixed wait (default 200 ms,
#                                       below the command line's 1 s minimum)
#   run-redial-soak.sh [N] cli          `jl2tp dial --redial-timeout 1` itself (fixed 1 s wait:
#                                       N = 1000 takes over 20 minutes)
# Not a test. Run as root.
set -euo pipefail
cd "$(dirname "$0")/../.."
N=${1:-1000}
MODE=${2:-200}
./jl2tp --version >/dev/null            # builds the jar if needed
if [ ! -f failover-app/target/test-classes/io/jl2tp/app/bench/RedialSoak.class ] \
   || [ -n "$(find failover-app/src/test/java/io/jl2tp/app/bench -newer failover-app/target/test-classes/io/jl2tp/app/bench/RedialSoak.class)" ]; then
  mvn -B -o -q -ntp -pl failover-app -am test-compile >&2
fi
JAR=$PWD/failover-app/target/jl2tp.jar
CP="$JAR:$PWD/failover-app/target/test-classes"
# A fixed number of JIT compiler threads, so that a thread count compares the dialer's threads.
JOPTS=(-XX:-UseDynamicNumberOfCompilerThreads)
WORK=$(mktemp -d)
LNS=jl2tp-soak-lns-$$; LAC=jl2tp-soak-lac-$$
cleanup() {
  for ns in "$LNS" "$LAC"; do ip netns pids "$ns" 2>/dev/null | xargs -r kill 2>/dev/null || true; done
  sleep 1
  for ns in "$LNS" "$LAC"; do ip netns pids "$ns" 2>/dev/null | xargs -r kill -9 2>/dev/null || true; ip netns del "$ns" 2>/dev/null || true; done
  if [ -n "${KEEP:-}" ]; then echo "logs kept in $WORK"; else rm -rf "$WORK"; fi
}
trap cleanup EXIT
ip netns add "$LNS"; ip netns add "$LAC"
ip -n "$LNS" link set lo up; ip -n "$LAC" link set lo up
ip -n "$LAC" link add wan type veth peer name wan netns "$LNS"
ip -n "$LAC" addr add 203.0.113.1/24 dev wan; ip -n "$LNS" addr add 203.0.113.2/24 dev wan
ip -n "$LAC" link set wan up; ip -n "$LNS" link set wan up
umask 077
echo "bench * right-secret" > "$WORK/chap-secrets"
echo "wrong-secret" > "$WORK/password"
ip netns exec "$LNS" java -jar "$JAR" lns --listen 203.0.113.2:1701 --secrets "$WORK/chap-secrets" > "$WORK/lns.log" 2>&1 &
for _ in $(seq 1 200); do grep -q "LNS listening" "$WORK/lns.log" 2>/dev/null && break; sleep 0.1; done
counts() { echo "$(ls "/proc/$1/task" | wc -l) $(ls "/proc/$1/fd" | wc -l) $(awk '/^VmRSS/ {print $2}' "/proc/$1/status")"; }
t0=$(date +%s)
if [ "$MODE" = cli ]; then
  ip netns exec "$LAC" java "${JOPTS[@]}" -jar "$JAR" dial --lns 203.0.113.2 --user bench --password-file "$WORK/password" \
     --ifname l2tp-soak --redial-timeout 1 > "$WORK/dial.log" 2>&1 &
  DIAL=$!
  first=""; seen=0
  while [ "$seen" -lt "$N" ]; do
    kill -0 "$DIAL" 2>/dev/null || { echo "the dialer exited"; tail -20 "$WORK/dial.log"; exit 1; }
    c=$(grep -c "redialling in" "$WORK/dial.log" || true)
    if [ "$c" -gt "$seen" ]; then
      seen=$c
      now=$(counts "$DIAL")
      [ -z "$first" ] && first=$now
      last=$now
      [ $((seen % 10)) -eq 0 ] && echo "refusal $seen: threads/fds/rss_kb $now"
    fi
    sleep 0.05
  done
  what="jl2tp dial --redial-timeout 1"
else
  ip netns exec "$LAC" java "${JOPTS[@]}" -cp "$CP" io.jl2tp.app.bench.RedialSoak 203.0.113.2 "$N" "$MODE" bench "$WORK/password" \
     > "$WORK/soak.log" 2>&1 || { echo "RedialSoak failed:"; tail -20 "$WORK/soak.log"; exit 1; }
  first=$(sed -n 's/^refusal 1 threads \([0-9]*\) fds \([0-9]*\) rss_kb \([0-9]*\).*/\1 \2 \3/p' "$WORK/soak.log")
  last=$(sed -n "s/^refusal $N threads \([0-9]*\) fds \([0-9]*\) rss_kb \([0-9]*\).*/\1 \2 \3/p" "$WORK/soak.log")
  what="RedialSoak (jl2tp dial's Redialer), wait ${MODE} ms"
  # Which threads (/proc/self/task/*/comm) differ from the first sample, and how often.
  grep -o ' differs .*' "$WORK/soak.log" | sort | uniq -c | sort -rn | head -5 | sed 's/^/threads vs the first sample: /' || true
  echo "heap in use after a GC: $(sed -n 's/^refusal 1 .*heap_after_gc_kb \([0-9]*\).*/\1/p' "$WORK/soak.log") KiB after the first, $(sed -n "s/^refusal $N .*heap_after_gc_kb \([0-9]*\).*/\1/p" "$WORK/soak.log") KiB after the last"
fi
t1=$(date +%s)
read -r th1 fd1 rss1 <<< "$first"; read -r thN fdN rssN <<< "$last"
printf '%s: %d refused calls in %d s\n' "$what" "$N" $((t1 - t0))
printf '%-22s %8s %5s %9s\n' "" threads fds "RSS MiB"
printf '%-22s %8s %5s %9s\n' "after the first" "$th1" "$fd1" $((rss1 / 1024))
printf '%-22s %8s %5s %9s\n' "after refusal $N" "$thN" "$fdN" $((rssN / 1024))
echo "LNS: $(grep -ci 'auth\|chap' "$WORK/lns.log" || true) authentication lines in its log; tunnels left: $(ip -n "$LNS" link show 2>/dev/null | grep -c ': lns' || true) lns interfaces"
[ "$th1" = "$thN" ] && [ "$fd1" = "$fdN" ] || { echo "FAIL: not equal (threads $th1 -> $thN, descriptors $fd1 -> $fdN)"; exit 1; }
