#!/usr/bin/env bash
# Cost per native call on the TUN path: JNA interface mapping vs JNA direct mapping vs Netty JNI,
# each doing write(2) of one octet to /dev/null. Usage: tun-adapter/bench/run-call-cost.sh [N]
set -euo pipefail
cd "$(dirname "$0")/../.."
WORK=$(mktemp -d); trap 'rm -rf "$WORK"' EXIT
mvn -B -q -o -ntp -pl tun-adapter -am -DskipTests test-compile dependency:build-classpath \
    -Dmdep.includeScope=test -Dmdep.outputFile="$WORK/cp.txt" >/dev/null
java -cp "tun-adapter/target/classes:tun-adapter/target/test-classes:$(cat "$WORK/cp.txt")" io.jl2tp.tun.bench.CallCost "${1:-2000000}"
