# Evaluates dist/nixos/jl2tp.nix with nixpkgs' lib.evalModules and stub options for the two
# NixOS options it sets (boot.kernelModules, systemd.services); used by run.sh.
{ module, libPath }:
let
  lib = import libPath;
  pkgs = {
    writeText = name: text: builtins.toFile name text;
    iproute2 = "/nix/store/00000000000000000000000000000000-iproute2";
    util-linux = "/nix/store/00000000000000000000000000000000-util-linux";
    bash = "/nix/store/00000000000000000000000000000000-bash";
  };
  stubs = { lib, ... }: {
    options.boot.kernelModules = lib.mkOption { type = lib.types.listOf lib.types.str; default = [ ]; };
    options.systemd.services = lib.mkOption { type = lib.types.attrsOf lib.types.anything; default = { }; };
  };
  eval = lib.evalModules {
    modules = [
      stubs
      module
      {
        services.jl2tp = {
          enable = true;
          package = { type = "derivation"; name = "jl2tp"; outPath = "/nix/store/00000000000000000000000000000000-jl2tp"; };
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
in {
  inherit (svc) preStart;
  execStart = svc.serviceConfig.ExecStart;
  type = svc.serviceConfig.Type;
  kernelModules = eval.config.boot.kernelModules;
}
