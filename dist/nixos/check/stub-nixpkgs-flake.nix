{
  # A stand-in nixpkgs flake for run.sh: nixpkgs' real lib (copied beside this file as ./lib),
  # placeholder packages, buildMavenPackage recording its arguments (as eval.nix does).
  outputs = { self }:
    let
      lib = import ./lib;
      placeholder = name: attrs: attrs // { type = "derivation"; inherit name; outPath = "/nix/store/00000000000000000000000000000000-${name}"; };
      pkgsFor = system: lib.fix (p: {
        inherit lib;
        callPackage = fn: args: lib.callPackageWith p (if builtins.isFunction fn then fn else import fn) args;
        maven.buildMavenPackage = args: placeholder "${args.pname}-${args.version}" { mavenArgs = args; inherit (args) meta; };
        makeWrapper = placeholder "make-wrapper" { };
        jdk17_headless = placeholder "openjdk-headless-17" { };
        coreutils = placeholder "coreutils" { };
        gnused = placeholder "gnused" { };
        stdenv.hostPlatform.system = system;
      });
    in { inherit lib; legacyPackages = lib.genAttrs [ "x86_64-linux" "aarch64-linux" ] pkgsFor; };
}
