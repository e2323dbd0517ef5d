#!/usr/bin/env bash
# Set-up latency benchmark (issue 14): SCCRQ -> IPCP up of `jl2tp demo` (jl2tp's dialer against
# jl2tp's own LNS, CHAP, tunnel authentication and hidden AVPs, two namespaces joined by a veth),
# each figure the median of RUNS set-ups:
#
#   cold JVM        RUNS fresh `jl2tp demo` processes, each timing its first (only) session
#   same JVM        one process dialling RUNS times in a row (--repeat)
#   relay, cold     through jl2tp's UDP impairment relay adding DELAY ms each way (--relay-delay):
#                   SCCRQ -> IPCP up, in ms and in round trips of 2 x DELAY ms
#   relay, warm     the same with the tunnel already up (--standby warm, as [failover] standby = warm):
#                   ICRQ -> IPCP up, i.e. what a warm-standby failover costs after the primary is gone
#
# The times are taken inside jl2tp (System.nanoTime when the SCCRQ or ICRQ is handed to the
# socket, and when IPCP reaches Opened), so process start-up and namespace creation are not in
# them. Not a test. Run as root:
#   failover-app/bench/run-setup-latency.sh [RUNS] [DELAY_MS]        (defaults 10 and 25)
#   failover-app/bench/run-setup-latency.sh --smoke                  (two of each; checks it works)
#   failover-app/bench/run-setup-latency.sh --[no-]proxy-auth [RUNS] [DELAY_MS]
#       with or without the LAC's proxy LCP and authentication in the ICCN (RFC 2661 §4.4.5; `jl2tp demo
#       --[no-]proxy-auth`, on by default since it exists), which the demo's LNS takes: no LCP or CHAP
#       round trips. Without the flag, the demo's default.
#   failover-app/bench/run-setup-latency.sh --l2tpns [RUNS [DELAY_MS [proxy]]]  (against the real l2tpns instead:
#       io.jl2tp.app.bench.SetupAgainstL2tpns, cold SCCRQ -> IPCP up and warm ICRQ -> IPCP up on a veth;
#       with DELAY_MS through jl2tp's relay; with "proxy" the LAC sends proxy LCP/auth, which l2tpns ignores)
# JL2TP="java -cp CLASSPATH io.jl2tp.app.cli.Main" runs classes instead of the launcher's jar.
set -euo pipefail
cd "$(dirname "$0")/../.."
SMOKE=no
PROXY=()
case "${1:-}" in --proxy-auth|--no-proxy-auth) PROXY=("$1"); shift ;; esac
if [ "${1:-}" = --smoke ]; then SMOKE=yes; shift; fi
if [ "${1:-}" = --l2tpns ]; then
  ./jl2tp --version >/dev/null
  mvn -B -o -q -ntp -pl failover-app -am test-compile >&2
  exec java ${JL2TP_JAVA_OPTS:-} -cp "$PWD/failover-app/target/jl2tp.jar:$PWD/failover-app/target/test-classes:$PWD/testkit/target/classes" \
    io.jl2tp.app.bench.SetupAgainstL2tpns "${2:-10}" ${3:+"$3"} ${4:+"$4"}
fi
RUNS=${1:-10}
DELAY=${2:-25}
[ "$SMOKE" = yes ] && RUNS=2
[ "$RUNS" -ge 2 ] || RUNS=2               # --repeat prints one line per set-up from 2 on
if [ -z "${JL2TP:-}" ]; then
  ./jl2tp --version >/dev/null            # builds the jar if needed
  JL2TP="java ${JL2TP_JAVA_OPTS:-} -jar $PWD/failover-app/target/jl2tp.jar"
fi
OUT=$(mktemp -d)
trap 'rm -rf "$OUT"' EXIT

demo() { # LOG ARGS...: one `jl2tp demo`, its output kept
  local log=$1; shift
  if ! $JL2TP demo --count 1 ${PROXY[@]+"${PROXY[@]}"} "$@" >"$log" 2>&1; then
    echo "jl2tp demo $* failed:" >&2; tail -20 "$log" >&2; exit 1
  fi
}
# the N-th "set-up i of n: X to IPCP up T ms" lines (or the single run's "session up: ... in T ms")
setups() { sed -nE 's/.*set-up [0-9]+ of [0-9]+: (SCCRQ|ICRQ) to IPCP up ([0-9.]+) ms.*/\2/p' "$1"; }
first() { sed -nE 's/.*session up: (SCCRQ|ICRQ) to IPCP up in ([0-9.]+) ms.*/\2/p' "$1"; }
stats() { # reads numbers; prints "n median min max"
  sort -n | awk '{a[NR]=$1} END {if (NR == 0) {print "0 - - -"; exit}
    m = (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2; printf "%d %.1f %.1f %.1f\n", NR, m, a[1], a[NR]}'
}
row() { # NAME RTT_MS (0: none) then "n median min max" on stdin
  read -r n med min max
  if [ "$2" -gt 0 ] && [ "$med" != - ]; then
    printf '| %s | %s | %s ms | %s–%s ms | %s |\n' "$1" "$n" "$med" "$min" "$max" "$(awk -v m="$med" -v r="$2" 'BEGIN {printf "%.2f", m / r}')"
  else
    printf '| %s | %s | %s ms | %s–%s ms | |\n' "$1" "$n" "$med" "$min" "$max"
  fi
}

for i in $(seq "$RUNS"); do
  demo "$OUT/cold-$i.log"
  first "$OUT/cold-$i.log"
done >"$OUT/cold.txt"
demo "$OUT/warm-jvm.log" --repeat "$RUNS"
setups "$OUT/warm-jvm.log" >"$OUT/warm-jvm.txt"
demo "$OUT/relay-cold.log" --repeat "$RUNS" --relay-delay "$DELAY"
setups "$OUT/relay-cold.log" >"$OUT/relay-cold.txt"
demo "$OUT/relay-warm.log" --repeat "$RUNS" --relay-delay "$DELAY" --standby warm
setups "$OUT/relay-warm.log" >"$OUT/relay-warm.txt"

RTT=$((2 * DELAY))
echo "# jl2tp set-up latency${PROXY[0]:+ with ${PROXY[0]}}, $(date -u +%F), $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "| case | set-ups | median | range | median in RTTs of $RTT ms |"
echo "|---|---|---|---|---|"
stats <"$OUT/cold.txt" | row "demo, direct veth, SCCRQ → IPCP up, fresh JVM each (its first session)" 0
stats <"$OUT/warm-jvm.txt" | row "demo, direct veth, SCCRQ → IPCP up, one JVM, $RUNS in a row" 0
stats <"$OUT/relay-cold.txt" | row "relay +$DELAY ms each way, cold: SCCRQ → IPCP up" "$RTT"
stats <"$OUT/relay-warm.txt" | row "relay +$DELAY ms each way, standby = warm: ICRQ → IPCP up" "$RTT"
for f in cold warm-jvm relay-cold relay-warm; do
  n=$(wc -l <"$OUT/$f.txt")
  want=$RUNS
  if [ "$n" -ne "$want" ]; then echo "expected $want figures for $f, got $n" >&2; exit 1; fi
done
