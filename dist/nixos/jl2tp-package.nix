# jl2tp built from this repository with Maven, as a Nix derivation providing bin/jl2tp.
# Nix needs the hash of the Maven dependencies: the first build fails and prints it ("got:
# sha256-..."); put that value in mvnHash. It changes only when pom.xml dependencies change.
{ lib, maven, makeWrapper, jdk17_headless }:
maven.buildMavenPackage {
  pname = "jl2tp";
  version = "0.1.0";
  src = lib.cleanSource ../..;
  mvnHash = lib.fakeHash;
  mvnJdk = jdk17_headless;
  mvnParameters = "-DskipTests -pl failover-app -am";
  nativeBuildInputs = [ makeWrapper ];
  installPhase = ''
    runHook preInstall
    install -Dm644 failover-app/target/jl2tp.jar $out/share/jl2tp/jl2tp.jar
    makeWrapper ${jdk17_headless}/bin/java $out/bin/jl2tp \
      --add-flags "-XX:+UseSerialGC -jar $out/share/jl2tp/jl2tp.jar"
    runHook postInstall
  '';
  meta = {
    description = "Pure-Java L2TPv2/PPP client: a drop-in for xl2tpd + pppd with PPPoE failover";
    platforms = lib.platforms.linux;
    mainProgram = "jl2tp";
  };
}
