#!/usr/bin/env bash
# Evaluates the NixOS module (dist/nixos/jl2tp.nix) with nixpkgs' own lib.evalModules — the
# seed-shaped settings of eval.nix, stub options for the two NixOS options it sets — writes the
# generated xl2tpd.conf and pppd options file to the Nix store, and runs `jl2tp xl2tpd --check`
# on them. Needs a `nix` (Debian: apt-get install nix-bin) and nixpkgs' lib directory, e.g. a
# checkout of nixpkgs or of github.com/nix-community/nixpkgs.lib:
#
#   sudo dist/nixos/check/run.sh /path/to/nixpkgs/lib
set -euo pipefail
cd "$(dirname "$0")/../../.."
lib=${1:?usage: $0 NIXPKGS_LIB_DIR}
./jl2tp --version >/dev/null   # builds the jar if needed
json=$(nix-instantiate --read-write-mode --eval --strict --json dist/nixos/check/eval.nix \
  --arg module ./dist/nixos/jl2tp.nix --arg libPath "$(realpath "$lib")" 2>/dev/null)
echo "$json" | python3 -m json.tool
conf=$(echo "$json" | python3 -c 'import json,sys; s=json.load(sys.stdin)["execStart"]; print(s.split(" -c ")[1].split()[0])')
echo "--- $conf"; cat "$conf"
ppp=$(mktemp -d); chmod 700 "$ppp"; trap 'rm -rf "$ppp"' EXIT
java -jar failover-app/target/jl2tp.jar xl2tpd --check -c "$conf" --ppp-dir "$ppp"
