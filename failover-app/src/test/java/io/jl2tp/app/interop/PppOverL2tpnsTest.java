package io.jl2tp.app.interop;

import io.jl2tp.app.link.CallLink;
import io.jl2tp.app.link.ProxyStart;
import io.jl2tp.l2tp.netty.L2tpSocket;
import io.jl2tp.l2tp.tunnel.L2tpEvent;
import io.jl2tp.l2tp.tunnel.SessionConfig;
import io.jl2tp.l2tp.tunnel.Tunnel;
import io.jl2tp.l2tp.tunnel.TunnelConfig;
import io.jl2tp.ppp.PppEvent;
import io.jl2tp.ppp.PppLink;
import io.jl2tp.ppp.options.PppSettings;
import io.jl2tp.ppp.options.SecretsFile;
import io.jl2tp.testkit.Await;
import io.jl2tp.testkit.L2tpnsFixture;
import io.jl2tp.testkit.RequiresRoot;
import io.netty.buffer.PooledByteBufAllocator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * ppp-core through l2tp-core against the real, independent l2tpns (issue #3): LCP (rejecting
 * MRRU and Endpoint Discriminator), CHAP-MD5 or PAP, IPCP with DNS, IPV6CP.
 */
@RequiresRoot(commands = {"l2tpns", "freeradius"})
class PppOverL2tpnsTest {

    private static L2tpnsFixture lns;

    @BeforeAll
    static void start() throws Exception {
        lns = L2tpnsFixture.start();
    }

    @AfterAll
    static void stop() {
        if (lns != null) {
            lns.close();
        }
    }

    @ParameterizedTest(name = "auth {0}")
    @ValueSource(strings = {"chap", "pap", "chap-proxy", "pap-proxy"})
    void lcpAuthIpcpWithDnsAndIpv6cpComplete(String variant) throws Exception {
        // "-proxy": our ICCN carries RFC 2661 §4.4.5 proxy LCP (and, with CHAP, the proxy
        // authentication); whatever l2tpns does with them, the session must come up.
        boolean proxy = variant.endsWith("-proxy");
        String auth = variant.replace("-proxy", "");
        PppSettings options = PppSettings.builder().ipcp(i -> i.usePeerDns(true)).ipv6cp(v -> v.enabled(true).useIpaddr(true))
                .auth(a -> {
                    a.name(lns.user());
                    if (auth.equals("pap")) {
                        a.refuseChap(true).refuseMschap(true).refuseMschapV2(true);
                    }
                }).build();
        SecretsFile secrets = SecretsFile.parse(lns.user() + " * " + lns.password() + "\n", "test", p -> {
            throw new IllegalStateException();
        });
        List<PppEvent> events = new CopyOnWriteArrayList<>();
        try (L2tpSocket sock = lns.lacNamespace().call(() -> L2tpSocket.bind(new InetSocketAddress(L2tpnsFixture.LAC_IP, 0)))) {
            CallLink[] call = new CallLink[1];
            Tunnel t = sock.call(() -> {
                Tunnel tun = sock.endpoint().connect(new InetSocketAddress(lns.lnsAddress(), lns.port()),
                        TunnelConfig.defaults("jl2tp-test"), e -> {
                            if (e instanceof L2tpEvent.SessionUp) {
                                call[0].start();
                            } else if (e instanceof L2tpEvent.SessionDown down) {
                                call[0].lowerDown(down.reason());
                            }
                        });
                call[0] = new CallLink(tun.openSession(SessionConfig.defaults(), null), options,
                        new PppLink.Settings("jl2tp-test", secrets, secrets, null, "ppp "), sock.loop(), events::add,
                        PooledByteBufAllocator.DEFAULT, new SecureRandom());
                if (proxy) {
                    ProxyStart.offer(call[0], true);
                    assertTrue(call[0].session().proxy() == null, "the LNS-side accessor stays empty on a LAC");
                }
                return tun;
            }).get(5, TimeUnit.SECONDS);
            Await.until(Duration.ofSeconds(20), "IPCP and IPV6CP up", () -> events.stream().anyMatch(e -> e instanceof PppEvent.IpUp)
                    && events.stream().anyMatch(e -> e instanceof PppEvent.Ipv6Up), () -> "events: " + events + "\n" + lns.log());
            assertTrue(events.stream().anyMatch(e -> e instanceof PppEvent.Authenticated a && !a.weAuthenticatedPeer()),
                    "authenticated to l2tpns: " + events + "\n" + lns.log());
            PppEvent.IpUp ip = events.stream().filter(e -> e instanceof PppEvent.IpUp).map(e -> (PppEvent.IpUp) e)
                    .findFirst().orElseThrow(() -> new AssertionError("no IPCP: " + events + "\n" + lns.log()));
            assertEquals(InetAddress.getByName(L2tpnsFixture.LNS_PPP_IP), ip.remote());
            assertTrue(ip.local().getHostAddress().startsWith("198.51.100."), ip.toString());
            assertEquals(List.of(InetAddress.getByName(L2tpnsFixture.DNS1), InetAddress.getByName(L2tpnsFixture.DNS2)),
                    ip.dns(), "RFC 1877 DNS from l2tpns");
            PppEvent.Ipv6Up v6 = events.stream().filter(e -> e instanceof PppEvent.Ipv6Up).map(e -> (PppEvent.Ipv6Up) e)
                    .findFirst().orElseThrow(() -> new AssertionError("no IPV6CP: " + events));
            assertTrue(v6.localLinkLocal().isLinkLocalAddress() && v6.remoteLinkLocal().isLinkLocalAddress());
            sock.call(() -> {
                call[0].ppp().close("test done");
                return null;
            }).get();
            call[0].dead().get(10, TimeUnit.SECONDS); // LCP Terminate-Ack from l2tpns, or Max-Terminate
            sock.call(() -> {
                t.close("test done");
                return null;
            }).get();
            assertTrue(events.stream().anyMatch(e -> e instanceof PppEvent.Down), "link down after close: " + events);
        }
    }
}
