#!/usr/bin/env bash
# Start-up of `jl2tp xl2tpd` with different JVM options, interleaved (issue #14; docs/benchmarks.md
# "Footprint and start-up"). Not a test. Run as root:
#   failover-app/bench/run-ready.sh RUNS 'OPTIONS A' 'OPTIONS B' ...
# e.g. failover-app/bench/run-ready.sh 15 '' '-XX:-TieredCompilation -XX:CICompilerCount=1'
# Each round starts the daemon once per option set, in turn (A B A B ...: the machine's load falls
# on all of them alike), through dist/jl2tp-java (dist/jvm.options, then the set as
# JL2TP_JAVA_OPTS; '' is the shipped settings), in a namespace of its own with one [lac] (autodial:
# the dial starts after READY and fails, no LNS) and NOTIFY_SOCKET pointing at this script's
# socket; it is stopped at READY=1. Prints per option set the median and minimum time from fork
# to READY=1 and the median CPU time the JVM had used by then (from /proc: load moves it less).
set -euo pipefail
cd "$(dirname "$0")/../.."
[ $# -ge 2 ] || { echo "usage: $0 RUNS 'OPTIONS A' ['OPTIONS B' ...]" >&2; exit 2; }
./jl2tp --version >/dev/null            # builds the jar and the class-data archive if needed
NS=jl2tp-ready-$$
cleanup() { ip netns pids "$NS" 2>/dev/null | xargs -r kill -9 2>/dev/null || true; ip netns del "$NS" 2>/dev/null || true; }
trap cleanup EXIT
ip netns add "$NS"; ip -n "$NS" link set lo up
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
python3 - "$NS" "$(pwd)" "$@" <<'PY'
import os, shutil, socket, statistics, subprocess, sys, tempfile, time
ns, root, runs, sets = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4:]
jar = os.path.join(root, "failover-app/target/jl2tp.jar")
wall = {i: [] for i in range(len(sets))}
cpu = {i: [] for i in range(len(sets))}
for _ in range(runs):
    for i, opts in enumerate(sets):
        w = tempfile.mkdtemp(prefix="jl2tp-ready")
        try:
            os.makedirs(w + "/ppp")
            with open(w + "/ppp/chap-secrets", "w") as f:
                f.write("bench * bench-secret\n")
            os.chmod(w + "/ppp/chap-secrets", 0o600)
            with open(w + "/options", "w") as f:
                f.write("name bench\nmtu 1460\nifname l2tp-rd\n")
            with open(w + "/xl2tpd.conf", "w") as f:
                f.write("[lac rd]\nlns = 203.0.113.2\npppoptfile = %s/options\nautodial = yes\nredial = no\n" % w)
            s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
            s.bind(w + "/notify")
            s.settimeout(60)
            env = dict(os.environ, NOTIFY_SOCKET=w + "/notify", JL2TP_JAVA_OPTS=opts)
            t0 = time.monotonic()
            p = subprocess.Popen(["ip", "netns", "exec", ns, os.path.join(root, "dist/jl2tp-java"), jar, "xl2tpd", "-D",
                                  "-c", w + "/xl2tpd.conf", "-p", w + "/pid", "-C", w + "/control", "--ppp-dir", w + "/ppp"],
                                 env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            while "READY=1" not in s.recv(4096).decode():
                pass
            wall[i].append(time.monotonic() - t0)
            with open("/proc/%d/stat" % p.pid) as f:   # jl2tp-java execs java: same pid
                st = f.read().rsplit(")", 1)[1].split()
            cpu[i].append(sum(int(x) for x in st[11:15]) / os.sysconf("SC_CLK_TCK"))
            p.terminate()
            p.wait(30)
            s.close()
        finally:
            shutil.rmtree(w, ignore_errors=True)
for i, opts in enumerate(sets):
    print("[%s] start -> READY=1: median %.3f s, min %.3f s; CPU median %.2f s (%d runs)"
          % (opts or "shipped", statistics.median(wall[i]), min(wall[i]), statistics.median(cpu[i]), runs))
PY
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
