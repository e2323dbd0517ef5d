package io.jl2tp.app.cli;

import io.jl2tp.app.lns.LnsServer;
import io.jl2tp.l2tp.tunnel.TunnelConfig;
import io.jl2tp.app.config.PppdOptionsParser;
import io.jl2tp.ppp.options.PppConfigException;
import io.jl2tp.ppp.options.PppSettings;
import io.jl2tp.ppp.options.SecretsFile;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

/** {@code jl2tp lns}: jl2tp's own LNS, for testing LACs (and for the benchmarks). */
@Command(name = "lns", mixinStandardHelpOptions = true,
        description = {"Run jl2tp's own LNS: accept L2TP tunnels and calls, authenticate PPP peers from a",
            "chap-secrets file, give each call a TUN interface (lns<session id>) and an address from the pool.",
            "Stays up until interrupted. Needs root (TUN interfaces)."})
public final class LnsCommand implements Callable<Integer> {

    @Option(names = "--listen", paramLabel = "ADDR[:PORT]", description = "UDP address to listen on (default: ${DEFAULT-VALUE})")
    String listen = "0.0.0.0:1701";

    @Option(names = "--secrets", required = true, paramLabel = "FILE", description = "pppd-format chap-secrets with the users (mode 0600)")
    Path secrets;

    @Option(names = "--auth", description = "what peers must use: chap, pap, mschapv2 or none (default: ${DEFAULT-VALUE})")
    String auth = "chap";

    @Option(names = "--local", description = "the LNS's own PPP address (default: ${DEFAULT-VALUE})")
    String local = "198.51.100.1";

    @Option(names = "--pool", paramLabel = "A.B.C.FROM-TO", description = "addresses for peers (default: ${DEFAULT-VALUE})")
    String pool = "198.51.100.128-191";

    @Option(names = "--dns", split = ",", description = "DNS servers handed out (RFC 1877)")
    List<String> dns = new ArrayList<>();

    @Option(names = "--ppp-options", paramLabel = "FILE", description = "pppd options for the LNS side (mtu, lcp-echo-*, …)")
    Path pppOptions;

    @Option(names = "--tunnel-secret-file", paramLabel = "FILE", description = "L2TP tunnel secret (challenge every LAC)")
    Path tunnelSecretFile;

    @Option(names = "--hidden", description = "hide AVPs with the tunnel secret")
    boolean hidden;

    @Option(names = "--accept-proxy-auth", description = "take a LAC's proxy authentication (RFC 2661) "
        + "even from a tunnel not authenticated with --tunnel-secret-file (a LAC chooses the challenge: see docs/ppp-auth.md)")
    boolean acceptProxyAuth;

    @Override
    public Integer call() throws Exception {
        PppSettings.Builder ppp;
        SecretsFile users;
        byte[] tunnelSecret;
        try {
            ppp = (pppOptions == null ? PppSettings.DEFAULTS : new PppdOptionsParser().parseFile(pppOptions).ppp()).toBuilder();
            users = SecretsFile.load(secrets);
            tunnelSecret = tunnelSecretFile == null ? null
                    : DialCommand.readSecret(tunnelSecretFile).getBytes(java.nio.charset.StandardCharsets.UTF_8);
        } catch (PppConfigException e) {
            System.err.println("jl2tp lns: " + e.getMessage());
            return 2;
        }
        switch (auth) {
            case "pap" -> ppp.auth(a -> a.auth(true).requirePap(true));
            case "mschapv2" -> ppp.auth(a -> a.auth(true).requireMschapV2(true));
            case "none" -> ppp.auth(a -> a.auth(false));
            default -> ppp.auth(a -> a.auth(true).requireChap(true));
        }
        String[] range = pool.split("-");
        String prefix = range[0].substring(0, range[0].lastIndexOf('.') + 1);
        int from = Integer.parseInt(range[0].substring(range[0].lastIndexOf('.') + 1));
        int to = Integer.parseInt(range[1].contains(".") ? range[1].substring(range[1].lastIndexOf('.') + 1) : range[1]);
        List<Inet4Address> dnsAddrs = new ArrayList<>();
        for (String d : dns) {
            dnsAddrs.add((Inet4Address) InetAddress.getByName(d));
        }
        LnsServer server = new LnsServer(new LnsServer.Config(DialCommand.parseHostPort(listen),
                TunnelConfig.defaults("jl2tp-lns").withSecret(tunnelSecret, tunnelSecret != null)
                        .withHidden(hidden && tunnelSecret != null), ppp.ipv6cp(v -> v.enabled(true)).build(), users,
                (Inet4Address) InetAddress.getByName(local), LnsServer.range(prefix, from, to), dnsAddrs, acceptProxyAuth), e -> { });
        server.start();
        CountDownLatch stop = new CountDownLatch(1);
        Signals.onTerminate(stop::countDown);
        stop.await();
        server.close();
        return 0;
    }
}
