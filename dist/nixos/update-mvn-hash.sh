#!/usr/bin/env bash
# Recomputes mvnHash in dist/nixos/jl2tp-package.nix: the hash of the Maven repository that
# nixpkgs' maven.buildMavenPackage downloads for this source (its fixed-output derivation
# `fetchedMavenDeps`). Run it after changing any pom.xml; `--check` only compares.
#
# Two ways, the first that works:
#  1. nix: with a Nix that can build from nixpkgs (NixOS, or nix with cache.nixos.org), the
#     flake's own fetchedMavenDeps is built with a placeholder hash and Nix's "got:" is taken.
#  2. reproduction (no Nix store needed; what this repository's own machines can do): exactly
#     what that derivation does (nixpkgs pkgs/by-name/ma/maven/build-maven-package.nix) —
#       mvn package -Dmaven.repo.local=$out/.m2 -DskipTests <mvnParameters>
#     on the flake's source (the git-tracked files), with the same Maven release nixpkgs uses
#     (taken from Maven Central and checked against nixpkgs' own hash of that tarball), JDK 17,
#     no user settings; then the same deletions (*.lastUpdated, resolver-status.properties,
#     _remote.repositories) and `nix hash path $out` (Debian: apt-get install nix-bin).
#
#   dist/nixos/update-mvn-hash.sh [--check] [--reproduce]
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$(pwd)
PKG=dist/nixos/jl2tp-package.nix
# The Maven of the nixpkgs the flake follows (nixos-25.05: pkgs/by-name/ma/maven/package.nix),
# and nixpkgs' hash of its binary tarball.
MAVEN_VERSION=${MAVEN_VERSION:-3.9.9}
MAVEN_SRI=${MAVEN_SRI:-sha256-epzfZ0/BcD1jgvXzMLPREOobUStR8WUoRtnk6KWI12Y=}
check=no reproduce=no
for a in "$@"; do
  case "$a" in
    --check) check=yes ;;
    --reproduce) reproduce=yes ;;
    *) echo "usage: $0 [--check] [--reproduce]" >&2; exit 2 ;;
  esac
done
NIX=(nix --extra-experimental-features "nix-command flakes")
command -v nix >/dev/null || { echo "$0: needs nix (Debian: apt-get install nix-bin) for 'nix hash path'" >&2; exit 1; }
params=$(sed -nE 's/^ *mvnParameters = "(.*)";/\1/p' "$PKG")
current=$(sed -nE 's/^ *mvnHash = "(sha256-[^"]+)";/\1/p' "$PKG")

hash=""
if [ "$reproduce" = no ]; then
  system=$("${NIX[@]}" eval --impure --raw --expr builtins.currentSystem 2>/dev/null || true)
  if [ -n "$system" ] && out=$(timeout 600 "${NIX[@]}" build --no-link --impure --expr "
      let p = (builtins.getFlake (toString $ROOT)).packages.$system.default;
      in p.fetchedMavenDeps.overrideAttrs (_: { outputHash = \"sha256-AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\"; })" 2>&1); then
    echo "$0: the placeholder hash matched?" >&2; exit 1
  else
    hash=$(printf '%s\n' "${out:-}" | sed -nE 's/^ *got: *(sha256-[A-Za-z0-9+/=]+).*/\1/p' | tail -1)
    [ -n "$hash" ] && echo "from nix build of fetchedMavenDeps: $hash" >&2
  fi
fi

if [ -z "$hash" ]; then
  work=$(mktemp -d); trap 'chmod -R u+w "$work" 2>/dev/null; rm -rf "$work"' EXIT
  tarball="$work/apache-maven-$MAVEN_VERSION-bin.tar.gz"
  (cd "$work" && mvn -B -q -ntp org.apache.maven.plugins:maven-dependency-plugin:3.8.1:copy \
      -Dartifact="org.apache.maven:apache-maven:$MAVEN_VERSION:tar.gz:bin" -DoutputDirectory="$work" \
      -Dmaven.repo.local="$work/bootstrap-repo" >/dev/null)
  got=$("${NIX[@]}" hash file --type sha256 --sri "$tarball" 2>/dev/null || "${NIX[@]}" hash file "$tarball")
  [ "$got" = "$MAVEN_SRI" ] || { echo "$0: Maven $MAVEN_VERSION tarball is $got, nixpkgs has $MAVEN_SRI" >&2; exit 1; }
  tar -xzf "$tarball" -C "$work"
  # The flake's source: what git tracks (uncommitted changes to tracked files included, as nix does).
  mkdir "$work/src"
  git ls-files -z | (cd "$ROOT" && xargs -0 cp --parents -t "$work/src")
  out="$work/out"; mkdir "$out"
  jdk=${JAVA17_HOME:-$(dirname "$(dirname "$(readlink -f "$(command -v javac)")")")}
  echo "reproducing fetchedMavenDeps: Maven $MAVEN_VERSION, JDK $jdk, mvn package $params" >&2
  (cd "$work/src" && env -i PATH=/usr/bin:/bin HOME="$work/home" JAVA_HOME="$jdk" MAVEN_SKIP_RC=true \
      "$work/apache-maven-$MAVEN_VERSION/bin/mvn" -B -ntp package -Dmaven.repo.local="$out/.m2" -DskipTests $params) \
      > "$work/mvn.log" 2>&1 || { tail -30 "$work/mvn.log" >&2; exit 1; }
  find "$out" -type f \( -name \*.lastUpdated -o -name resolver-status.properties -o -name _remote.repositories \) -delete
  hash=$("${NIX[@]}" hash path --type sha256 --sri "$out" 2>/dev/null || "${NIX[@]}" hash path "$out")
  echo "reproduced fetchedMavenDeps ($(find "$out" -type f | wc -l) files): $hash" >&2
fi

if [ "$check" = yes ]; then
  if [ "$hash" = "$current" ]; then echo "mvnHash up to date: $hash"; exit 0; fi
  echo "mvnHash is $current, should be $hash (run $0)" >&2; exit 1
fi
sed -i -E "s|^( *mvnHash = )\"[^\"]*\";|\1\"$hash\";|" "$PKG"
echo "mvnHash = $hash"
