package io.jl2tp.app.dial;

import io.jl2tp.app.lns.LnsServer;
import io.jl2tp.l2tp.tunnel.SessionConfig;
import io.jl2tp.l2tp.tunnel.TunnelConfig;
import io.jl2tp.app.config.PppdAppOptions;
import io.jl2tp.app.config.PppdOptions;
import io.jl2tp.app.config.PppdOptionsParser;
import io.jl2tp.ppp.options.PppSettings;
import io.jl2tp.ppp.options.SecretsFile;
import io.jl2tp.testkit.NetNs;
import io.jl2tp.testkit.RequiresRoot;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 12, bug 1, end to end: a router with {@code default via 203.0.113.254} (metric 0) dials
 * jl2tp's LNS with pppd's {@code defaultroute} (the README's {@code jl2tp dial --defaultroute})
 * or {@code defaultroute replacedefaultroute}; its default route is kept, or replaced while the
 * session is up and back after the hang-up.
 */
@RequiresRoot(commands = {"ip"})
class KernelLinkDialDefaultRouteTest {

    private static final String TUN = "l2tp-aaisp";

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"defaultroute", "defaultroute replacedefaultroute"})
    void theRoutersDefaultRouteSurvivesTheSession(String options) throws Exception {
        SecretsFile users = SecretsFile.parse("alice * s3cret\n", "users", p -> {
            throw new IllegalStateException();
        });
        try (NetNs lnsNs = NetNs.create("rlns"); NetNs lacNs = NetNs.create("rlac")) {
            NetNs.veth(lacNs, "wan", "203.0.113.1/24", lnsNs, "wan", "203.0.113.2/24");
            lacNs.ip("route", "add", "default", "via", "203.0.113.254");
            String before = lacNs.exec("ip", "route", "show", "default").strip();
            assertEquals("default via 203.0.113.254 dev wan", before);
            LnsServer lns = new LnsServer(new LnsServer.Config(new InetSocketAddress("203.0.113.2", 1701),
                    TunnelConfig.defaults("jl2tp-lns"), PppSettings.builder().auth(a -> a.auth(true).requireChap(true)).build(), users,
                    (Inet4Address) InetAddress.getByName("198.51.100.1"), LnsServer.range("198.51.100.", 128, 130), List.of()),
                    e -> { });
            lnsNs.run(lns::start);
            PppdOptions ppp = new PppdOptionsParser().parseArguments(new PppdOptions(PppSettings.builder().auth(a -> a.name("alice")).build(),
                    PppdAppOptions.builder().ifname(TUN).build(), List.of()), List.of(options.split(" ")));
            Dialer dialer = new Dialer(new Dialer.Config("test", new InetSocketAddress("203.0.113.2", 1701),
                    TunnelConfig.defaults("jl2tp-lac"), SessionConfig.defaults(), ppp, users, "jl2tp-lac", null), e -> { });
            try {
                lacNs.run(dialer::start);
                dialer.ipUp().get(20, TimeUnit.SECONDS);
                String during = lacNs.exec("ip", "route", "show", "default").strip();
                if (ppp.app().replaceDefaultRoute()) {
                    assertTrue(during.startsWith("default dev " + TUN + " scope link"), during);
                    assertTrue(lacNs.exec("ip", "route", "get", "192.0.2.99").contains("dev " + TUN), during);
                } else {
                    assertEquals(before, during, "pppd's defaultroute does not replace an existing default route");
                }
            } finally {
                dialer.hangUp("test finished", 2000);
                lns.close();
            }
            assertEquals(before, lacNs.exec("ip", "route", "show", "default").strip(), "after the hang-up");
        }
    }
}
