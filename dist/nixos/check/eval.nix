# Evaluates the repository's flake.nix — its packages and nixosModules.default — with nixpkgs'
# real lib (lib.evalModules, callPackageWith, ...) and a stand-in for the rest of nixpkgs: the
# few packages the expressions name are placeholders, maven.buildMavenPackage records its
# arguments, and the NixOS options the module sets (systemd.services, users, tmpfiles,
# boot.kernelModules) are declared loosely. Used by run.sh; nothing here is built.
{ flakeDir, libPath, system ? "x86_64-linux" }:
let
  lib = import libPath;
  flake = import (flakeDir + "/flake.nix");
  placeholder = name: attrs: attrs // {
    type = "derivation";
    inherit name;
    outPath = "/nix/store/00000000000000000000000000000000-${name}";
  };
  pkgs = lib.fix (self: {
    inherit lib;
    callPackage = fn: args: lib.callPackageWith self (if builtins.isFunction fn then fn else import fn) args;
    maven.buildMavenPackage = args: placeholder "${args.pname}-${args.version}" { mavenArgs = args; inherit (args) meta; };
    makeWrapper = placeholder "make-wrapper" { };
    jdk17_headless = placeholder "openjdk-headless-17" { };
    coreutils = placeholder "coreutils" { };
    gnused = placeholder "gnused" { };
    iproute2 = placeholder "iproute2" { };
    util-linux = placeholder "util-linux" { };
    bash = placeholder "bash" { };
    writeText = name: text: builtins.toFile name text;
    stdenv.hostPlatform.system = system;
  });
  nixpkgs = {
    inherit lib;
    outPath = libPath;
    legacyPackages = lib.genAttrs [ "x86_64-linux" "aarch64-linux" ] (_: pkgs);
  };
  # The flake's `self`: its outputs plus its source tree.
  self = outputs // { outPath = flakeDir; };
  outputs = flake.outputs { inherit self nixpkgs; };

  stubs = { lib, ... }: {
    options.boot.kernelModules = lib.mkOption { type = lib.types.listOf lib.types.str; default = [ ]; };
    options.systemd.services = lib.mkOption { type = lib.types.attrsOf lib.types.anything; default = { }; };
    options.systemd.tmpfiles.rules = lib.mkOption { type = lib.types.listOf lib.types.str; default = [ ]; };
    options.users.users = lib.mkOption { type = lib.types.attrsOf lib.types.anything; default = { }; };
    options.users.groups = lib.mkOption { type = lib.types.attrsOf lib.types.anything; default = { }; };
  };
  eval = lib.evalModules {
    modules = [
      stubs
      outputs.nixosModules.default
      {
        services.jl2tp = {
          enable = true;
          xl2tpOptions = ''
            [global]
            max retries = 36
            [lac aaisp]
            lns = 194.4.172.12
            require authentication = no
            redial = yes
            redial timeout = 10
          '';
          pppOptions = ''
            +ipv6
            ipv6cp-use-ipaddr
            name alice
            noauth
            ifname l2tp-aaisp
          '';
          failoverOptions = ''
            [failover aaisp]
            primary = pppoe-aaisp
            backup = wan-4g
            hold up = 5
          '';
          metricsPort = 9617;
        };
      }
    ];
    specialArgs = { inherit pkgs; };
  };
  svc = eval.config.systemd.services.jl2tp;
  pkg = outputs.packages.${system}.default;
  # The [Service] section as NixOS writes it: one line per list element, booleans as true/false.
  value = v: if builtins.isBool v then lib.boolToString v else toString v;
  serviceLines = lib.concatStrings (lib.mapAttrsToList (k: v:
    lib.concatMapStrings (x: "${k}=${value x}\n") (lib.toList v)) svc.serviceConfig);
in {
  package = {
    name = pkg.name;
    src = toString pkg.mavenArgs.src;
    inherit (pkg.mavenArgs) mvnHash mvnParameters doCheck;
    mainProgram = pkg.meta.mainProgram;
    systems = builtins.attrNames outputs.packages;
  };
  module = {
    inherit (svc) preStart;
    packageIsTheFlakes = eval.config.services.jl2tp.package.name == pkg.name;
    environment = svc.environment;
    users = eval.config.users.users;
    groups = builtins.attrNames eval.config.users.groups;
    tmpfiles = eval.config.systemd.tmpfiles.rules;
    kernelModules = eval.config.boot.kernelModules;
    serviceConfig = svc.serviceConfig;
  };
  unit = ''
    [Unit]
    Description=${svc.description}
    [Service]
    ${serviceLines}
    [Install]
    WantedBy=multi-user.target
  '';
}
