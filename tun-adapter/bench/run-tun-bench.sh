#!/usr/bin/env bash
# TUN packet-path benchmark: raw TUN read()+write() packets per second with 1400-octet packets,
# jl2tp's Java LinuxTunDevice against a minimal C program doing the same syscalls, both in one
# run and the same namespace set-up. Not a test: prints results (and appends them to
# docs/benchmarks.md with --record).
#
#   sudo tun-adapter/bench/run-tun-bench.sh [SECONDS] [ROUNDS] [--record]
#
# Set-up per run: a fresh namespace; the reflector creates TUN "bt0" (198.51.100.1 peer .2),
# 203.0.113.0/24 is routed into it; "tunbench flood" sends 1400-octet UDP/IP packets to
# 203.0.113.5 with sendmmsg; the reflector reads each packet and writes it back (the kernel
# then drops it: not local, no forwarding). Each side measures packets handled per second.
set -euo pipefail
cd "$(dirname "$0")/../.."
SECONDS_RUN=${1:-5}
ROUNDS=${2:-3}
RECORD=${3:-}
SIZE=1400
WORK=$(mktemp -d)
NS=jl2tp-bench-$$
cleanup() { ip netns pids "$NS" 2>/dev/null | xargs -r kill -9 2>/dev/null || true; ip netns del "$NS" 2>/dev/null || true; rm -rf "$WORK"; }
trap cleanup EXIT

gcc -O2 -Wall -o "$WORK/tunbench" tun-adapter/bench/tunbench.c
mvn -B -q -ntp -pl tun-adapter -am -DskipTests test-compile dependency:build-classpath \
    -Dmdep.includeScope=test -Dmdep.outputFile="$WORK/cp.txt" >/dev/null
CP="tun-adapter/target/classes:tun-adapter/target/test-classes:$(cat "$WORK/cp.txt")"

ip netns add "$NS"
ip -n "$NS" link set lo up

one() { # $1 = label, rest = reflector command
  local label=$1; shift
  ip netns exec "$NS" "$@" > "$WORK/out" 2>&1 &
  local pid=$!
  for _ in $(seq 1 100); do grep -q ready "$WORK/out" 2>/dev/null && break; sleep 0.1; done
  ip -n "$NS" addr add 198.51.100.1 peer 198.51.100.2 dev bt0
  ip -n "$NS" link set bt0 up
  ip -n "$NS" route add 203.0.113.0/24 dev bt0
  ip netns exec "$NS" "$WORK/tunbench" flood 203.0.113.5 $((SECONDS_RUN + 2)) "$SIZE" > "$WORK/flood" &
  wait "$pid" || true
  wait || true
  local pps; pps=$(sed -n 's/.*pps=\([0-9]*\).*/\1/p' "$WORK/out")
  echo "$label $pps"
}

java_pps=(); c_pps=()
for r in $(seq 1 "$ROUNDS"); do
  c=$(one C "$WORK/tunbench" reflect bt0 "$SECONDS_RUN" | awk '{print $2}')
  j=$(one Java java -XX:+UseParallelGC -cp "$CP" io.jl2tp.tun.bench.TunReflect bt0 "$SECONDS_RUN" | awk '{print $2}')
  echo "round $r: C ${c} pps, Java ${j} pps, ratio $(awk -v j="$j" -v c="$c" 'BEGIN{printf "%.2f", j/c}')"
  java_pps+=("$j"); c_pps+=("$c")
done
median() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END{print a[int((NR+1)/2)]}'; }
cm=$(median "${c_pps[@]}"); jm=$(median "${java_pps[@]}")
ratio=$(awk -v j="$jm" -v c="$cm" 'BEGIN{printf "%.2f", j/c}')
echo "median: C ${cm} pps, Java ${jm} pps, Java/C ${ratio}"
if [ "$RECORD" = "--record" ]; then
  echo "| $(date -u +%Y-%m-%d) | $(nproc) cores, $(uname -r) | ${SIZE} B | ${cm} | ${jm} | ${ratio} |" >> "$WORK/row"
  cat "$WORK/row"
fi
