#!/usr/bin/env bash
# Checks the flake (flake.nix) as far as this machine can without nixpkgs' binary cache:
#  1. evaluates flake.nix's outputs with nixpkgs' real lib and stand-in packages (eval.nix):
#     packages.{x86_64,aarch64}-linux.default (buildMavenPackage's arguments: src is the flake
#     itself, a real sha256 mvnHash, tests off) and nixosModules.default through lib.evalModules
#     (user, capabilities, hardening, tmpfiles, the package defaulting to the flake's);
#     then the same through `nix flake show`/`nix eval` with the nixpkgs input overridden;
#  2. writes the module's [Service] section as NixOS renders it and runs `systemd-analyze verify`
#     on it and on dist/systemd/jl2tp.service (every directive known to this systemd);
#  3. runs `jl2tp xl2tpd --check` on the xl2tpd.conf and pppd options file the module generates;
#  4. with --hash, recomputes mvnHash (dist/nixos/update-mvn-hash.sh --check).
# Needs `nix` (Debian: apt-get install nix-bin), systemd-analyze, and nixpkgs' lib directory (a
# checkout of nixpkgs, or of github.com/nix-community/nixpkgs.lib):
#
#   sudo dist/nixos/check/run.sh /path/to/nixpkgs/lib [--hash]
# Not done here: building the package (stdenv and Maven come from nixpkgs' cache or a bootstrap,
# neither reachable from this machine).
set -euo pipefail
cd "$(dirname "$0")/../../.."
lib=${1:?usage: $0 NIXPKGS_LIB_DIR [--hash]}
root=$(pwd)
./jl2tp --version >/dev/null   # builds the jar if needed
json=$(nix-instantiate --read-write-mode --eval --strict --json dist/nixos/check/eval.nix \
  --arg flakeDir "$root" --arg libPath "$(realpath "$lib")" 2>/dev/null)
echo "$json" | python3 -c 'import json,sys; d=json.load(sys.stdin); d.pop("unit"); print(json.dumps(d, indent=2))'
tmp=$(mktemp -d); chmod 700 "$tmp"; trap 'rm -rf "$tmp"' EXIT
echo "$json" > "$tmp/eval.json"
python3 - "$root" "$tmp" <<'EOF'
import json, re, sys
root, tmp = sys.argv[1], sys.argv[2]
d = json.load(open(tmp + "/eval.json"))
p, m = d["package"], d["module"]
problems = []
if p["src"] != root: problems.append("package src is %s, not the flake's own source %s" % (p["src"], root))
if not re.fullmatch(r"sha256-[A-Za-z0-9+/]{43}=", p["mvnHash"]): problems.append("mvnHash is not a sha256 SRI hash: " + p["mvnHash"])
if p["doCheck"]: problems.append("doCheck must be false (the tests need root and namespaces)")
if sorted(p["systems"]) != ["aarch64-linux", "x86_64-linux"]: problems.append("systems: %s" % p["systems"])
if not m["packageIsTheFlakes"]: problems.append("services.jl2tp.package does not default to the flake's package")
s = m["serviceConfig"]
want = {"User": "jl2tp", "NoNewPrivileges": True, "ProtectSystem": "strict", "ProtectHome": True, "PrivateTmp": True,
        "AmbientCapabilities": ["CAP_NET_ADMIN", "CAP_NET_RAW"], "CapabilityBoundingSet": ["CAP_NET_ADMIN", "CAP_NET_RAW"],
        "RestrictAddressFamilies": ["AF_INET", "AF_INET6", "AF_NETLINK", "AF_UNIX"], "SystemCallFilter": ["@system-service"]}
for k, v in want.items():
    if s.get(k) != v: problems.append("serviceConfig.%s = %r, want %r" % (k, s.get(k), v))
if "jl2tp" not in m["users"] or "d /etc/xl2tpd/ppp 0700 jl2tp jl2tp -" not in m["tmpfiles"]:
    problems.append("user jl2tp / ppp directory ownership missing")
if problems:
    print("\n".join("FAIL: " + x for x in problems)); sys.exit(1)
# The unit as NixOS writes it, with the package's bin/jl2tp replaced by this checkout's launcher.
unit = re.sub(r"/nix/store/0{32}-jl2tp-[^/]*/bin/jl2tp", root + "/jl2tp", d["unit"])
open(tmp + "/jl2tp.service", "w").write(unit)
print("package and module: OK")
EOF
echo "--- the flake through Nix's flake machinery (nixpkgs input overridden by a stand-in with the real lib)"
mkdir "$tmp/nixpkgs" "$tmp/flake"
cp -r "$(realpath "$lib")" "$tmp/nixpkgs/lib"; cp dist/nixos/check/stub-nixpkgs-flake.nix "$tmp/nixpkgs/flake.nix"
git ls-files -z | xargs -0 cp --parents -t "$tmp/flake"
nixf=(nix --extra-experimental-features "nix-command flakes")
"${nixf[@]}" flake show "path:$tmp/flake" --override-input nixpkgs "path:$tmp/nixpkgs" --no-write-lock-file 2>/dev/null
src=$("${nixf[@]}" eval --raw "path:$tmp/flake#packages.x86_64-linux.default.mavenArgs.src.outPath" \
  --override-input nixpkgs "path:$tmp/nixpkgs" --no-write-lock-file 2>/dev/null)
case "$src" in /nix/store/*-source) echo "package src: $src (the flake's own source in the store)";;
  *) echo "FAIL: package src $src"; exit 1;; esac
echo "--- systemd-analyze verify (module's unit as NixOS renders it, then dist/systemd/jl2tp.service)"
systemd-analyze verify --man=no "$tmp/jl2tp.service" 2>&1 | grep -v '^/lib/systemd\|^/etc/systemd' || true
systemd-analyze verify --man=no "$tmp/jl2tp.service" 2>&1 | grep 'jl2tp.service' && exit 1
cp dist/systemd/jl2tp.service "$tmp/shipped/" 2>/dev/null || { mkdir "$tmp/shipped"; cp dist/systemd/jl2tp.service "$tmp/shipped/"; }
systemd-analyze verify --man=no "$tmp/shipped/jl2tp.service" 2>&1 | grep 'jl2tp.service' && exit 1
echo "both units: OK"
conf=$(echo "$json" | python3 -c 'import json,sys; s=json.load(sys.stdin)["module"]["serviceConfig"]["ExecStart"]; print(s.split(" -c ")[1].split()[0])')
echo "--- $conf"; cat "$conf"
mkdir -m 700 "$tmp/ppp"
java -jar failover-app/target/jl2tp.jar xl2tpd --check -c "$conf" --ppp-dir "$tmp/ppp"
if [ "${2:-}" = --hash ]; then
  dist/nixos/update-mvn-hash.sh --check --reproduce
fi
