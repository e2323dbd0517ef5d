#!/usr/bin/env bash
# Runs every Jazzer @FuzzTest of jl2tp in fuzzing mode, one after another (Jazzer fuzzes one
# target per JVM, and a 2-core machine should not run two at once). Each target stops after the
# executions its @FuzzTest(maxExecutions = ...) gives (1 000 000), or at the first finding.
#
#   scripts/fuzz-all.sh                  # all targets
#   scripts/fuzz-all.sh AuthFuzzTest     # the targets whose "Class#method" matches a pattern
#   FUZZ_NICE=19 scripts/fuzz-all.sh     # at the lowest CPU priority (a shared build machine)
#
# Per target: the libFuzzer log in target/fuzz/<Class>#<method>.log and one summary line
# "<Class>#<method> <runs> runs <seconds> s (wall <w> s) <verdict>" in target/fuzz/summary.txt (runs and
# seconds: libFuzzer's own "Done N runs in S second(s)"; wall: the whole Maven run). Findings
# (crash-* files) go to the module directory; move them into the target's Inputs directory as
# regression inputs (see docs/robustness.md "Fuzzing").
set -uo pipefail
cd "$(dirname "$0")/.."
filter="${1:-}"
out=target/fuzz
mkdir -p "$out"

targets=(
  "l2tp-core io.jl2tp.l2tp.wire.L2tpCodecFuzzTest#controlMessage"
  "l2tp-core io.jl2tp.l2tp.wire.L2tpCodecFuzzTest#dataMessage"
  "l2tp-core io.jl2tp.l2tp.tunnel.L2tpEndpointFuzzTest#lacAndLns"
  "ppp-core io.jl2tp.ppp.wire.CpPacketFuzzTest#cpPacket"
  "ppp-core io.jl2tp.ppp.fsm.ControlProtocolFuzzTest#lcp"
  "ppp-core io.jl2tp.ppp.fsm.ControlProtocolFuzzTest#ipcp"
  "ppp-core io.jl2tp.ppp.fsm.ControlProtocolFuzzTest#ipv6cp"
  "ppp-core io.jl2tp.ppp.auth.AuthFuzzTest#pap"
  "ppp-core io.jl2tp.ppp.auth.AuthFuzzTest#chapMd5"
  "ppp-core io.jl2tp.ppp.auth.AuthFuzzTest#msChapV2"
  "ppp-core io.jl2tp.ppp.PppLinkFuzzTest#linkPair"
  "failover-app io.jl2tp.app.config.PppdOptionsFuzzTest#optionsFile"
  "failover-app io.jl2tp.app.config.PppdOptionsFuzzTest#optionArguments"
  "ppp-core io.jl2tp.ppp.options.PppConfigFuzzTest#secretsFile"
  "tun-adapter io.jl2tp.tun.netlink.RtNetlinkFuzzTest#datagram"
  "failover-app io.jl2tp.app.config.ConfigFuzzTest#xl2tpdConf"
  "failover-app io.jl2tp.app.config.ConfigFuzzTest#tunnelSecrets"
  "failover-app io.jl2tp.app.control.ControlFifoFuzzTest#commandLine"
)

status=0
for t in "${targets[@]}"; do
  module=${t%% *}
  test=${t#* }
  name=${test##*.}
  [[ -n "$filter" && "$name" != *$filter* ]] && continue
  log="$out/$name.log"
  start=$(date +%s)
  nice=()
  [[ -n "${FUZZ_NICE:-}" ]] && nice=(nice -n "$FUZZ_NICE")
  "${nice[@]}" mvn -B -o -ntp -Pfuzz -pl "$module" -am test -Dtest="$test" >"$log" 2>&1
  rc=$?
  wall=$(( $(date +%s) - start ))
  done_line=$(grep -aoE 'Done [0-9]+ runs in [0-9]+ second' "$log" | tail -1)
  runs=$(grep -oE '[0-9]+ runs' <<<"$done_line" | grep -oE '[0-9]+')
  secs=$(grep -oE 'in [0-9]+' <<<"$done_line" | grep -oE '[0-9]+')
  verdict=ok
  if [[ $rc -ne 0 ]]; then verdict="FAILED (mvn exit $rc, see $log)"; status=1; fi
  printf '%s %s runs %s s (wall %s s) %s\n' "$name" "${runs:-?}" "${secs:-?}" "$wall" "$verdict" | tee -a "$out/summary.txt"
done
exit $status
