#!/usr/bin/env bash
# A jlink'd runtime image for jl2tp (issue #14): only the JDK modules the jar needs (found with
# jdeps, plus jdk.unsupported for sun.misc.Unsafe/Signal, which Netty and Signals reach
# reflectively), stripped, with the JDK's default class-data archive regenerated for it, and
# jl2tp's jar, dist/jvm.options and dist/jl2tp-java inside:
#   dist/jlink/build-image.sh [OUT]        # default failover-app/target/jl2tp-image
#   OUT/bin/jl2tp xl2tpd --check -c /etc/xl2tpd/xl2tpd.conf
# Build it with the JDK of the target architecture (jlink copies its own platform's binaries).
set -euo pipefail
cd "$(dirname "$0")/../.."
OUT=${1:-failover-app/target/jl2tp-image}
./jl2tp --version >/dev/null            # builds the jar if needed
JAR=failover-app/target/jl2tp.jar
mods=$(jdeps --ignore-missing-deps --print-module-deps --multi-release 17 "$JAR")
mods="$mods,jdk.unsupported"
rm -rf "$OUT"
jlink --add-modules "$mods" --strip-debug --no-man-pages --no-header-files --compress=2 \
  --generate-cds-archive --output "$OUT"
install -Dm644 "$JAR" "$OUT/lib/jl2tp/jl2tp.jar"
install -Dm644 dist/jvm.options "$OUT/lib/jl2tp/jvm.options"
install -Dm755 dist/jl2tp-java "$OUT/lib/jl2tp/jl2tp-java"
cat > "$OUT/bin/jl2tp" <<'SH'
#!/bin/sh
# jl2tp on this runtime image: its own java, the shipped JVM settings and class-data archive.
here=$(dirname "$(readlink -f "$0")")
JAVA=$here/java exec "$here/../lib/jl2tp/jl2tp-java" "$here/../lib/jl2tp/jl2tp.jar" "$@"
SH
chmod 755 "$OUT/bin/jl2tp"
echo "$OUT: modules $mods; $(du -sh "$OUT" | cut -f1)"
