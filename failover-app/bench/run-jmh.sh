#!/usr/bin/env bash
# JMH benchmarks of the codec hot paths (benchmarks/, issue #14): data encapsulate + decapsulate
# with the PPP header (with and without ACFC/PFC and the L bit) and control message decode, one
# thread, in packets (messages) per second. Not a test. Extra arguments go to JMH, e.g.
#   failover-app/bench/run-jmh.sh                    # all, 3 x 1 s warm-up, 5 x 1 s measured
#   failover-app/bench/run-jmh.sh -i 3 DataPath      # fewer iterations, one class
# Prints the load average before and after: other work on the machine lowers the scores.
set -euo pipefail
cd "$(dirname "$0")/../.."
mvn -B -q -o -DskipTests package -pl benchmarks -am >&2
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg); $(nproc) cores; $(java -version 2>&1 | head -1)"
java -jar benchmarks/target/benchmarks.jar "$@"
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
