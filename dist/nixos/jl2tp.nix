# services.jl2tp: jl2tp in place of the seed's xl2tpd-flexible module. It takes the same
# xl2tpOptions/pppOptions text (the pppoptfile line is added here, as that module did), plus an
# optional [failover] section, so the NixOS configuration changes in two words:
#
#   services.jl2tp = {
#     enable = true;
#     package = pkgs.callPackage ./jl2tp-package.nix { };   # or any derivation with bin/jl2tp
#     xl2tpOptions = ''
#       [global]
#       max retries = 36
#       [lac aaisp]
#       lns = 194.4.172.12
#       require authentication = no
#       redial = yes
#       redial timeout = 10
#     '';
#     pppOptions = ''
#       +ipv6
#       ipv6cp-use-ipaddr
#       name <USERNAME>
#       noauth
#       ifname l2tp-aaisp
#     '';
#     failoverOptions = ''
#       [failover aaisp]
#       primary = pppoe-aaisp
#       backup = wan-4g
#     '';
#   };
#
# chap-secrets and the ip-up/ip-down scripts stay where the seed put them (/etc/xl2tpd/ppp).
{ config, pkgs, lib, ... }:
with lib;
let
  cfg = config.services.jl2tp;
  pppOptionsFile = pkgs.writeText "ppp-options-jl2tp.conf" cfg.pppOptions;
  conf = pkgs.writeText "xl2tpd.conf" ''
    ${cfg.xl2tpOptions}
    pppoptfile = ${pppOptionsFile}

    ${cfg.failoverOptions}
  '';
in
{
  options.services.jl2tp = {
    enable = mkEnableOption "jl2tp, the pure-Java drop-in for xl2tpd + pppd with PPPoE failover";
    package = mkOption {
      type = types.package;
      description = "A jl2tp build providing bin/jl2tp (the launcher running the shaded jar).";
    };
    xl2tpOptions = mkOption {
      type = types.lines;
      default = "";
      description = "xl2tpd.conf text ([global], [lac NAME]); the pppoptfile line is appended to the last section.";
    };
    pppOptions = mkOption {
      type = types.lines;
      default = "";
      description = "pppd options file text for the LAC (name, noauth, +ipv6, ifname, lcp-echo-*, ...).";
    };
    failoverOptions = mkOption {
      type = types.lines;
      default = "";
      description = "[failover NAME] section(s): primary, backup, routes, route metric, hold up, probe ...";
    };
    pppDir = mkOption {
      type = types.str;
      default = "/etc/xl2tpd/ppp";
      description = "pppd's directory for jl2tp: chap-secrets/pap-secrets (mode 0600) and ip-up/ip-down/ipv6-up/ipv6-down.";
    };
    metricsPort = mkOption {
      type = types.nullOr types.port;
      default = null;
      example = 9617;
      description = "Serve Prometheus metrics on http://127.0.0.1:PORT/metrics (loopback only); null = off.";
    };
    extraArgs = mkOption {
      type = types.listOf types.str;
      default = [ ];
      description = "Further arguments to 'jl2tp xl2tpd'.";
    };
  };

  config = mkIf cfg.enable {
    # The kernel side is a TUN device: no ppp or l2tp kernel modules needed.
    boot.kernelModules = [ "tun" ];
    systemd.services.jl2tp = {
      description = "jl2tp L2TP/PPP client (xl2tpd + pppd drop-in) with PPPoE failover";
      wants = [ "network-online.target" ];
      after = [ "network-online.target" ];
      wantedBy = [ "multi-user.target" ];
      conflicts = [ "xl2tpd-flexible.service" "xl2tpd.service" ];
      # The hook scripts call ip and logger, as the seed's do.
      path = [ pkgs.iproute2 pkgs.util-linux pkgs.bash ];
      preStart = ''
        mkdir -p -m 700 ${cfg.pppDir}
        ${cfg.package}/bin/jl2tp xl2tpd --check -c ${conf} --ppp-dir ${cfg.pppDir}
      '';
      serviceConfig = {
        Type = "notify";
        NotifyAccess = "main";
        RuntimeDirectory = "xl2tpd";
        RuntimeDirectoryMode = "0700";
        ExecStart = escapeShellArgs ([ "${cfg.package}/bin/jl2tp" "xl2tpd" "-D" "-c" "${conf}"
          "-p" "/run/xl2tpd/pid" "-C" "/run/xl2tpd/control" "--ppp-dir" cfg.pppDir ]
          ++ optionals (cfg.metricsPort != null) [ "--metrics-port" (toString cfg.metricsPort) ]
          ++ cfg.extraArgs);
        KillMode = "mixed";
        TimeoutStopSec = 10;
        Restart = "on-failure";
        RestartSec = 2;
      };
    };
  };
}
