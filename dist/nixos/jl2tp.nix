# services.jl2tp: jl2tp in place of the seed's xl2tpd-flexible module. It takes the same
# xl2tpOptions/pppOptions text (the pppoptfile line is added here, as that module did), plus an
# optional [failover] section, so the NixOS configuration changes in two words:
#
#   services.jl2tp = {
#     enable = true;                    # package: the flake's (nixosModules.default sets it)
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
# chap-secrets and the ip-up/ip-down scripts stay where the seed put them (/etc/xl2tpd/ppp); the
# service runs as user jl2tp with CAP_NET_ADMIN and CAP_NET_RAW only, so that directory and its
# secrets (mode 0600) belong to jl2tp (systemd-tmpfiles sets the directory's owner; with agenix or
# sops-nix give the secret `owner = "jl2tp"`). Hook scripts run as jl2tp with those capabilities.
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
    user = mkOption {
      type = types.str;
      default = "jl2tp";
      description = "User the daemon runs as (created when left at jl2tp). It gets CAP_NET_ADMIN and CAP_NET_RAW, nothing else.";
    };
    group = mkOption {
      type = types.str;
      default = "jl2tp";
      description = "Group of the daemon's user (created when left at jl2tp).";
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
    users.users = optionalAttrs (cfg.user == "jl2tp") {
      jl2tp = { isSystemUser = true; group = cfg.group; description = "jl2tp L2TP/PPP daemon"; };
    };
    users.groups = optionalAttrs (cfg.group == "jl2tp") { jl2tp = { }; };
    # pppd's directory: owned by the daemon's user (secrets are read, usepeerdns writes resolv.conf).
    systemd.tmpfiles.rules = [ "d ${cfg.pppDir} 0700 ${cfg.user} ${cfg.group} -" ];
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
      # JNA's and Netty's native libraries are unpacked into the service's own cache directory.
      environment.JL2TP_JAVA_OPTS = "-Djava.io.tmpdir=/var/cache/jl2tp -Djna.tmpdir=/var/cache/jl2tp";
      preStart = ''
        ${cfg.package}/bin/jl2tp xl2tpd --check -c ${conf} --ppp-dir ${cfg.pppDir}
      '';
      serviceConfig = {
        Type = "notify";
        NotifyAccess = "main";
        User = cfg.user;
        Group = cfg.group;
        RuntimeDirectory = "xl2tpd";
        RuntimeDirectoryMode = "0700";
        CacheDirectory = "jl2tp";
        CacheDirectoryMode = "0700";
        ExecStart = escapeShellArgs ([ "${cfg.package}/bin/jl2tp" "xl2tpd" "-D" "-c" "${conf}"
          "-p" "/run/xl2tpd/pid" "-C" "/run/xl2tpd/control" "--ppp-dir" cfg.pppDir ]
          ++ optionals (cfg.metricsPort != null) [ "--metrics-port" (toString cfg.metricsPort) ]
          ++ cfg.extraArgs);
        KillMode = "mixed";
        TimeoutStopSec = 10;
        Restart = "on-failure";
        RestartSec = 2;
        # Least privilege, as dist/systemd/jl2tp.service: TUN + rtnetlink (CAP_NET_ADMIN), the
        # failover probe's raw ICMP socket (CAP_NET_RAW). Not ProtectKernelTunables: IPv6 on the
        # tunnel writes /proc/sys/net/ipv6/conf/IFNAME/* (allowed with CAP_NET_ADMIN).
        AmbientCapabilities = [ "CAP_NET_ADMIN" "CAP_NET_RAW" ];
        CapabilityBoundingSet = [ "CAP_NET_ADMIN" "CAP_NET_RAW" ];
        NoNewPrivileges = true;
        ProtectSystem = "strict";
        ReadWritePaths = [ cfg.pppDir ];
        ProtectHome = true;
        PrivateTmp = true;
        DevicePolicy = "closed";
        DeviceAllow = [ "/dev/net/tun rw" ];
        ProtectKernelModules = true;
        ProtectKernelLogs = true;
        ProtectControlGroups = true;
        ProtectClock = true;
        ProtectHostname = true;
        ProtectProc = "invisible";
        RestrictAddressFamilies = [ "AF_INET" "AF_INET6" "AF_NETLINK" "AF_UNIX" ];
        RestrictNamespaces = true;
        RestrictRealtime = true;
        RestrictSUIDSGID = true;
        LockPersonality = true;
        SystemCallArchitectures = "native";
        SystemCallFilter = [ "@system-service" ];
        SystemCallErrorNumber = "EPERM";
        UMask = "0077";
      };
    };
  };
}
