#!/usr/bin/env bash
# The whole jl2tp test suite, on a fresh Debian machine: installs what the tests need
# (system packages: JDK, Maven, iproute2, l2tpns + FreeRADIUS as the independent LNS,
# tcpdump/tshark as the wire oracle), then runs `mvn verify` over every module.
# Root is needed for the network-namespace tests; under CI=true none of them may skip.
set -euo pipefail
cd "$(dirname "$0")"

need=()
want() { dpkg -s "$1" >/dev/null 2>&1 || need+=("$1"); }
command -v javac >/dev/null 2>&1 || want openjdk-17-jdk-headless
command -v mvn >/dev/null 2>&1 || want maven
for p in python3 iproute2 iputils-ping procps l2tpns freeradius freeradius-utils tcpdump tshark iperf3 gcc; do want "$p"; done
# LeastPrivilegeTest: setpriv/unshare (util-linux), strace, systemd-analyze (systemd).
for p in util-linux strace systemd; do want "$p"; done
if [ ${#need[@]} -gt 0 ]; then
  if [ "$(id -u)" -eq 0 ]; then
    echo "test.sh: installing ${need[*]}"
    export DEBIAN_FRONTEND=noninteractive
    echo "wireshark-common wireshark-common/install-setuid boolean false" | debconf-set-selections
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
    # Debian starts the freeradius/l2tpns services on install; the tests run their own.
    systemctl stop freeradius l2tpns >/dev/null 2>&1 || true
    pkill -x freeradius >/dev/null 2>&1 || true
  else
    echo "test.sh: missing packages ${need[*]} (run as root to install them); root-only tests will skip" >&2
  fi
fi

# Debian's real xl2tpd-control, unpacked but not installed (nothing of xl2tpd runs or is set
# up): the control-FIFO compatibility test drives jl2tp with it. Same place as testkit's
# DebianPackage looks ($JL2TP_DEBS, default /tmp/jl2tp-debs), which fetches it itself if absent.
debs="${JL2TP_DEBS:-/tmp/jl2tp-debs}"
if [ ! -x "$debs/xl2tpd/usr/sbin/xl2tpd-control" ] && [ "$(id -u)" -eq 0 ]; then
  work="$(mktemp -d)"
  chmod 755 "$work"  # apt downloads as _apt when it can
  fetch() { (cd "$work" && apt-get download -q xl2tpd >/dev/null 2>&1); }
  # A machine that needed no package above may never have read the package lists: then read them.
  if { fetch || { apt-get update -qq >/dev/null 2>&1 && fetch; }; } && mkdir -p "$debs/xl2tpd" \
      && dpkg-deb -x "$work"/xl2tpd_*.deb "$debs/xl2tpd"; then
    echo "test.sh: unpacked xl2tpd-control into $debs/xl2tpd"
  else
    echo "test.sh: could not fetch the xl2tpd .deb (the test will try again)" >&2
  fi
  rm -rf "$work"
fi

exec mvn -B -ntp verify "$@"
