#!/usr/bin/env bash
# Footprint and start-up of `jl2tp xl2tpd` with the shipped launcher settings (issue #14;
# docs/benchmarks.md "Footprint and start-up"). Not a test. Run as root:
#   failover-app/bench/run-footprint.sh [TRAFFIC_SECONDS] [CHECK_RUNS]
# 1. `./jl2tp xl2tpd --check` wall time: hyperfine if installed, else CHECK_RUNS timed runs.
# 2. start -> READY: ./jl2tp xl2tpd (autodial) started in a namespace with NOTIFY_SOCKET set to a
#    datagram socket this script listens on; the time from fork to READY=1, and to "session up".
# 3. RSS of that daemon (VmRSS, VmHWM from /proc) with its one session up, after TRAFFIC_SECONDS
#    of iperf3 TCP through the tunnel to a `jl2tp lns` in a second namespace.
# Prints the machine's load average with the figures. FP_DETAIL=yes adds where the resident pages
# are (anonymous/file, largest mappings), the JVM's threads and its class count.
set -euo pipefail
cd "$(dirname "$0")/../.."
T=${1:-60}
RUNS=${2:-10}
./jl2tp --version >/dev/null            # builds the jar and the class-data archive if needed
ROOT=$(pwd)
JAR=failover-app/target/jl2tp.jar
WORK=$(mktemp -d)
LNS=jl2tp-fp-lns-$$; LAC=jl2tp-fp-lac-$$
cleanup() {
  for ns in "$LNS" "$LAC"; do ip netns pids "$ns" 2>/dev/null | xargs -r kill 2>/dev/null || true; done
  sleep 1
  for ns in "$LNS" "$LAC"; do ip netns pids "$ns" 2>/dev/null | xargs -r kill -9 2>/dev/null || true; ip netns del "$ns" 2>/dev/null || true; done
  rm -rf "$WORK"
}
trap cleanup EXIT
umask 077
mkdir -p "$WORK/ppp"
echo "bench * bench-secret" > "$WORK/chap-secrets"
echo "bench * bench-secret" > "$WORK/ppp/chap-secrets"
printf 'name bench\nmtu 1460\nmru 1460\nifname l2tp-fp\n' > "$WORK/options"
cat > "$WORK/xl2tpd.conf" <<CONF
[lac fp]
lns = 203.0.113.2
pppoptfile = $WORK/options
autodial = yes
redial = no
CONF
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"

# 1. --check (CHECK_RUNS=0: skip)
if [ "$RUNS" -eq 0 ]; then
  :
elif command -v hyperfine >/dev/null 2>&1; then
  hyperfine -N -w 2 -r "$RUNS" --export-json "$WORK/check.json" \
    "$ROOT/jl2tp xl2tpd --check -c $WORK/xl2tpd.conf --ppp-dir $WORK/ppp" >/dev/null
  python3 -c 'import json,sys; r=json.load(open(sys.argv[1]))["results"][0]; print("--check: mean %.3f s, median %.3f s, min %.3f s; CPU (user+sys) mean %.2f s (hyperfine, %d runs)" % (r["mean"], r["median"], r["min"], r["user"] + r["system"], len(r["times"])))' "$WORK/check.json"
else
  ts=()
  for _ in $(seq 1 "$RUNS"); do
    s=$(date +%s%N); ./jl2tp xl2tpd --check -c "$WORK/xl2tpd.conf" --ppp-dir "$WORK/ppp" >/dev/null; e=$(date +%s%N)
    ts+=("$(( (e - s) / 1000000 ))")
  done
  echo "--check: $(printf '%s ' "${ts[@]}")ms; median $(printf '%s\n' "${ts[@]}" | sort -n | awk '{a[NR]=$1} END{print a[int((NR+1)/2)]}') ms"
fi

# 2. and 3.
ip netns add "$LNS"; ip netns add "$LAC"
ip -n "$LNS" link set lo up; ip -n "$LAC" link set lo up
ip -n "$LAC" link add wan type veth peer name wan netns "$LNS"
ip -n "$LAC" addr add 203.0.113.1/24 dev wan; ip -n "$LNS" addr add 203.0.113.2/24 dev wan
ip -n "$LAC" link set wan up; ip -n "$LNS" link set wan up
ip netns exec "$LNS" java -jar "$JAR" lns --listen 203.0.113.2:1701 --secrets "$WORK/chap-secrets" --ppp-options "$WORK/options" > "$WORK/lns.log" 2>&1 &
for _ in $(seq 1 100); do grep -q "listening\|LNS" "$WORK/lns.log" 2>/dev/null && break; sleep 0.1; done
sleep 1
python3 - "$WORK" "$LAC" "$ROOT" <<'PY'
import os, socket, subprocess, sys, time
work, ns, root = sys.argv[1:4]
path = os.path.join(work, "notify")
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.bind(path)
env = dict(os.environ, NOTIFY_SOCKET=path)
cmd = ["ip", "netns", "exec", ns, os.path.join(root, "jl2tp"), "xl2tpd", "-D", "-c", work + "/xl2tpd.conf",
       "-p", work + "/pid", "-C", work + "/control", "--ppp-dir", work + "/ppp"]
log = open(work + "/xl2tpd.log", "w")
t0 = time.monotonic()
p = subprocess.Popen(cmd, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
s.settimeout(60)
ready = up = None
while up is None:
    msg = s.recv(4096).decode()
    t = time.monotonic() - t0
    if "READY=1" in msg and ready is None:
        ready = t
        # CPU time spent up to READY (the JVM; the launcher's children), load-independent unlike the wall time
        f = open("/proc/%d/stat" % p.pid).read().rsplit(")", 1)[1].split()
        cpu = sum(int(x) for x in f[11:15]) / os.sysconf("SC_CLK_TCK")
    if msg.startswith("STATUS=fp up"):
        up = t
print("start -> READY=1: %.3f s (CPU %.2f s); start -> session up (IPCP, address on l2tp-fp): %.3f s" % (ready, cpu, up))
open(work + "/daemon.pid", "w").write(str(p.pid))
PY
jvm=$(cat "$WORK/pid")
ip -n "$LAC" addr show l2tp-fp | grep -q "inet " || { echo "no address on l2tp-fp"; cat "$WORK/xl2tpd.log"; exit 1; }
peer=$(ip -n "$LAC" -4 addr show l2tp-fp | sed -nE 's/.*peer ([0-9.]+).*/\1/p')
ip netns exec "$LNS" iperf3 -s -D -1 -p 5201 >/dev/null
sleep 0.5
rss() { awk '/^VmRSS|^VmHWM/{printf "%s %d MiB  ", $1, $2/1024}' "/proc/$jvm/status"; }
echo "RSS with the session up, before traffic: $(rss)"
mbps=$(ip netns exec "$LAC" iperf3 -c "${peer:-198.51.100.1}" -p 5201 -t "$T" -J | python3 -c 'import json,sys; print(round(json.load(sys.stdin)["end"]["sum_received"]["bits_per_second"]/1e6))')
echo "iperf3 TCP ${T} s through the tunnel: ${mbps} Mbit/s"
echo "RSS after ${T} s of traffic: $(rss)(java options: $(tr '\0' ' ' < "/proc/$jvm/cmdline" | sed -E 's/ -jar .*//'))"
if [ "${FP_DETAIL:-no}" = yes ]; then
  # Where the resident pages are: anonymous vs file-backed, the largest mappings, the JVM's
  # threads by name and its loaded classes (shared from the archive or parsed at run time).
  awk '/^Rss(Anon|File|Shmem)/{printf "%s %d KiB  ", $1, $2} END{print ""}' "/proc/$jvm/status"
  awk '/^[0-9a-f]+-[0-9a-f]+ /{name=($6=="" ? "[anon]" : $6)} /^Rss:/{rss[name]+=$2} /^Private_Dirty:/{dirty[name]+=$2}
       END{for (n in rss) if (rss[n] >= 256) printf "  %7d KiB rss %7d KiB private dirty  %s\n", rss[n], dirty[n], n}' "/proc/$jvm/smaps" | sort -rn | head -12
  echo "threads: $(ls "/proc/$jvm/task" | wc -l): $(for t in /proc/$jvm/task/*; do tr " " _ < "$t/comm"; done | sed -E 's/[0-9]+$/N/' | sort | uniq -c | awk '{printf "%s%s ", ($1>1 ? $1"x " : ""), $2}')"
  jcmd "$jvm" VM.metaspace 2>/dev/null | grep -m1 -E "^Total Usage" || true
  jcmd "$jvm" GC.heap_info 2>/dev/null | grep -E "total|space" | sed -E 's/ +\[0x.*//; s/^ +/  /' || true
fi
if grep -q NativeMemoryTracking "/proc/$jvm/cmdline"; then
  jcmd "$jvm" VM.native_memory summary | grep -E "^(Total|-)" | sed -E 's/\(reserved=[0-9]+KB, //'
fi
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
