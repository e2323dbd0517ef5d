package io.jl2tp.app.dial;

import io.jl2tp.app.lns.LnsServer;
import io.jl2tp.l2tp.tunnel.SessionConfig;
import io.jl2tp.l2tp.tunnel.TunnelConfig;
import io.jl2tp.ppp.PppEvent;
import io.jl2tp.ppp.PppLink;
import io.jl2tp.app.config.PppdAppOptions;
import io.jl2tp.app.config.PppdOptions;
import io.jl2tp.ppp.options.PppSettings;
import io.jl2tp.ppp.options.SecretsFile;
import io.jl2tp.testkit.NetNs;
import io.jl2tp.testkit.RequiresRoot;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The dialer against jl2tp's own LNS in two namespaces: packets flow both ways, v4 and v6. */
@RequiresRoot(commands = {"ip", "ping"})
class DialOwnLnsTest {

    /** The last column: RFC 2661 §4.4.5 proxy LCP and authentication in the ICCN ([lac] proxy auth). */
    @ParameterizedTest(name = "{0}, tunnel secret={1}, hidden={2}, proxy={3}")
    @CsvSource({"chap,false,false,false", "pap,true,true,false", "mschapv2,true,false,false", "chap,true,true,true",
        "chap,false,false,true", "pap,true,false,true"})
    void dialPingAndHangUp(String auth, boolean secret, boolean hidden, boolean proxy) throws Exception {
        SecretsFile users = SecretsFile.parse("alice * s3cret\n", "users", p -> {
            throw new IllegalStateException();
        });
        byte[] key = secret ? "tunnelsecret".getBytes(StandardCharsets.US_ASCII) : null;
        PppSettings.Builder lnsPpp = PppSettings.builder().ipv6cp(v -> v.enabled(true)).auth(a -> {
            a.auth(true);
            switch (auth) {
                case "pap" -> a.requirePap(true);
                case "chap" -> a.requireChap(true);
                default -> a.requireMschapV2(true);
            }
        });
        try (NetNs lnsNs = NetNs.create("olns"); NetNs lacNs = NetNs.create("olac")) {
            NetNs.veth(lacNs, "wan", "203.0.113.1/24", lnsNs, "wan", "203.0.113.2/24");
            LnsServer lns = new LnsServer(new LnsServer.Config(new InetSocketAddress("203.0.113.2", 1701),
                    TunnelConfig.defaults("jl2tp-lns").withSecret(key, secret).withHidden(hidden), lnsPpp.build(), users,
                    (Inet4Address) InetAddress.getByName("198.51.100.1"), LnsServer.range("198.51.100.", 128, 130),
                    List.of((Inet4Address) InetAddress.getByName("198.51.100.53"))), e -> { });
            lnsNs.run(lns::start);
            PppdOptions lacPpp = new PppdOptions(PppSettings.builder().auth(a -> a.name("alice"))
                    .ipv6cp(v -> v.enabled(true).useIpaddr(true)).ipcp(i -> i.usePeerDns(true)).build(),
                    PppdAppOptions.builder().ifname("l2tp-aaisp").build(), List.of());
            Dialer dialer = new Dialer(new Dialer.Config("test", new InetSocketAddress("203.0.113.2", 1701),
                    TunnelConfig.defaults("jl2tp-lac").withSecret(key, secret).withHidden(hidden), SessionConfig.defaults().withProxy(proxy),
                    lacPpp, users, "jl2tp-lac", null), e -> { });
            try {
                lacNs.run(dialer::start);
                PppEvent.IpUp up = dialer.ipUp().get(20, TimeUnit.SECONDS);
                assertEquals("198.51.100.128", up.local().getHostAddress());
                PppEvent.Ipv6Up v6 = dialer.ipv6Up().get(20, TimeUnit.SECONDS);
                NetNs.Result ping = lacNs.run(20, TimeUnit.SECONDS, "ping", "-c", "3", "-W", "2", "198.51.100.1");
                assertEquals(0, ping.status(), ping.output());
                NetNs.Result ping6 = lacNs.run(20, TimeUnit.SECONDS, "ping", "-6", "-c", "2", "-W", "2", "-I", "l2tp-aaisp",
                        PppLink.compact(v6.remoteLinkLocal()));
                assertEquals(0, ping6.status(), ping6.output());
                assertTrue(dialer.status().rxPackets() >= 5, dialer.status().toString());
                String addr = lacNs.exec("ip", "addr", "show", "dev", "l2tp-aaisp");
                assertTrue(addr.contains("198.51.100.128 peer 198.51.100.1/32"), addr);
            } finally {
                dialer.hangUp("test finished", 2000);
                lns.close();
            }
            assertTrue(lacNs.run(5, TimeUnit.SECONDS, "ip", "link", "show", "l2tp-aaisp").status() != 0,
                    "the interface is gone after hang-up");
        }
    }
}
