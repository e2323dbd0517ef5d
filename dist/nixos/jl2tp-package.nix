# jl2tp built from this repository with Maven, as a Nix derivation providing bin/jl2tp.
# `src` is the flake's own source (flake.nix passes `self`), never a path relative to where a
# user copies this file. mvnHash is the hash of the Maven repository buildMavenPackage downloads
# (its fetchedMavenDeps); dist/nixos/update-mvn-hash.sh recomputes it after a pom.xml change
# (`--check` in CI-like use). It depends on nixpkgs' Maven release (3.9.9 in nixos-25.05).
{ lib, maven, makeWrapper, jdk17_headless, coreutils, gnused, src }:
maven.buildMavenPackage {
  pname = "jl2tp";
  version = "0.1.0";
  inherit src;
  mvnHash = "sha256-DcBYmXeENIll7Ag8zTuvnVmIUJEWE0sjHnnDMihrirM=";
  mvnJdk = jdk17_headless;
  # The tests need root and network namespaces: they run in ./test.sh, not in the Nix sandbox.
  doCheck = false;
  mvnParameters = "-pl failover-app -am";
  nativeBuildInputs = [ makeWrapper ];
  installPhase = ''
    runHook preInstall
    install -Dm644 failover-app/target/jl2tp.jar $out/share/jl2tp/jl2tp.jar
    # bin/jl2tp runs dist/jl2tp-java: java with dist/jvm.options (the JVM settings ./jl2tp and
    # dist/systemd/jl2tp.service use too), then JL2TP_JAVA_OPTS at run time (the NixOS module sets
    # java.io.tmpdir to the service's cache), and a class-data archive built on the first start in
    # systemd's $CACHE_DIRECTORY (skipped where nothing is writable, as in the store).
    install -Dm644 dist/jvm.options $out/share/jl2tp/jvm.options
    install -Dm755 dist/jl2tp-java $out/share/jl2tp/jl2tp-java
    makeWrapper $out/share/jl2tp/jl2tp-java $out/bin/jl2tp \
      --set-default JAVA ${jdk17_headless}/bin/java \
      --prefix PATH : ${lib.makeBinPath [ coreutils gnused ]} \
      --add-flags "$out/share/jl2tp/jl2tp.jar"
    runHook postInstall
  '';
  meta = {
    description = "Pure-Java L2TPv2/PPP client: a drop-in for xl2tpd + pppd with PPPoE failover";
    platforms = lib.platforms.linux;
    mainProgram = "jl2tp";
  };
}
