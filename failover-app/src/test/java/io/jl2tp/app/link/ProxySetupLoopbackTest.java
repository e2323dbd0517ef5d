package io.jl2tp.app.link;

import io.jl2tp.l2tp.netty.L2tpSocket;
import io.jl2tp.l2tp.tunnel.FrameReceiver;
import io.jl2tp.l2tp.tunnel.L2tpEvent;
import io.jl2tp.l2tp.tunnel.SessionConfig;
import io.jl2tp.l2tp.tunnel.Tunnel;
import io.jl2tp.l2tp.tunnel.TunnelConfig;
import io.jl2tp.ppp.PppEvent;
import io.jl2tp.ppp.PppLink;
import io.jl2tp.ppp.auth.Secret;
import io.jl2tp.ppp.auth.SecretProvider;
import io.jl2tp.ppp.options.PppSettings;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Our LAC and our LNS over loopback UDP (real sockets, no TUN): with RFC 2661 §4.4.5 proxy LCP
 * and authentication in the ICCN the session comes up with fewer PPP exchanges — counted in
 * frames by protocol and direction, not timed. Rows: what the LAC sends, whether the tunnel is
 * authenticated with a secret (§5.1.1), whether the LNS accepts proxy authentication anyway
 * ({@code --accept-proxy-auth}), and the frames that must cross before both IPCPs are up.
 */
class ProxySetupLoopbackTest {

    private static final int LCP = 0xC021;
    private static final int CHAP = 0xC223;
    private static final int IPCP = 0x8021;

    private static Inet4Address ip(String s) throws Exception {
        return (Inet4Address) InetAddress.getByName(s);
    }

    /** Counts PPP frames by protocol, then hands them on. */
    private static FrameReceiver counting(Map<Integer, AtomicInteger> into, FrameReceiver next) {
        return f -> {
            int i = f.readerIndex();
            if (f.readableBytes() >= 2 && f.getUnsignedByte(i) == 0xFF && f.getUnsignedByte(i + 1) == 0x03) {
                i += 2;
            }
            int protocol = (f.getUnsignedByte(i) & 1) == 1 ? f.getUnsignedByte(i) : f.getUnsignedShort(i); // RFC 1661 §6.5 PFC
            into.computeIfAbsent(protocol, k -> new AtomicInteger()).incrementAndGet();
            next.frame(f);
        };
    }

    private static int n(Map<Integer, AtomicInteger> m, int protocol) {
        AtomicInteger c = m.get(protocol);
        return c == null ? 0 : c.get();
    }

    @ParameterizedTest(name = "proxy={0} tunnel secret={1} accept-proxy-auth={2}: LCP {3}/{4}, CHAP {5}/{6}, IPCP {7}/{8}")
    @CsvSource({
        // proxy, secret, accept | LCP to LNS, to LAC | CHAP to LNS, to LAC | IPCP to LNS, to LAC
        "false, true,  false,     2, 2,                1, 2,                 3, 3",  // today: LCP, CHAP, IPCP
        "true,  true,  false,     0, 0,                0, 0,                 3, 3",  // proxy taken: IPCP only
        "true,  false, false,     0, 0,                1, 2,                 4, 3",  // LCP taken, CHAP not trusted: challenged, IPCP request sent again on Success
        "true,  false, true,      0, 0,                0, 0,                 3, 3",  // the operator trusts the LAC
    })
    void theSessionComesUpWithTheExchangesTheLnsTookOver(boolean proxy, boolean secret, boolean accept, int lcpToLns,
            int lcpToLac, int chapToLns, int chapToLac, int ipcpToLns, int ipcpToLac) throws Exception {
        byte[] key = secret ? "tunnelsecret".getBytes(StandardCharsets.US_ASCII) : null;
        SecretProvider users = SecretProvider.fixed(Secret.of("s3cret"));
        PppLink.AddressPlan plan = new PppLink.AddressPlan() {
            @Override
            public Inet4Address local() {
                return addr("198.51.100.1");
            }

            @Override
            public Inet4Address remoteFor(String peerName) {
                return addr("198.51.100.128");
            }

            @Override
            public List<Inet4Address> dns() {
                return List.of();
            }
        };
        Map<Integer, AtomicInteger> toLns = new ConcurrentHashMap<>();
        Map<Integer, AtomicInteger> toLac = new ConcurrentHashMap<>();
        CompletableFuture<PppEvent.IpUp> lacUp = new CompletableFuture<>();
        CompletableFuture<PppEvent.IpUp> lnsUp = new CompletableFuture<>();
        CompletableFuture<String> lnsAuthenticated = new CompletableFuture<>();
        try (L2tpSocket lns = L2tpSocket.bind(new InetSocketAddress("127.0.0.1", 0));
             L2tpSocket lac = L2tpSocket.bind(new InetSocketAddress("127.0.0.1", 0))) {
            CallLink[] lnsCall = new CallLink[1];
            lns.call(() -> {
                lns.endpoint().serve(TunnelConfig.defaults("lns").withSecret(key, secret), s -> {
                    lnsCall[0] = new CallLink(s, PppSettings.builder().auth(a -> a.auth(true).requireChap(true)).build(),
                            new PppLink.Settings("lns", users, users, plan, "lns "), lns.loop(), e -> {
                                if (e instanceof PppEvent.IpUp u) {
                                    lnsUp.complete(u);
                                } else if (e instanceof PppEvent.Authenticated a && a.weAuthenticatedPeer()) {
                                    lnsAuthenticated.complete(a.peerName());
                                }
                            }, PooledByteBufAllocator.DEFAULT, new SecureRandom());
                    return counting(toLns, lnsCall[0].receiver());
                }, e -> {
                    if (e instanceof L2tpEvent.SessionUp) {
                        ProxyStart.accept(lnsCall[0], accept);
                        lnsCall[0].start();
                    }
                });
                return null;
            }).get(5, TimeUnit.SECONDS);
            CallLink[] lacCall = new CallLink[1];
            Tunnel t = lac.call(() -> {
                Tunnel tun = lac.endpoint().connect(lns.localAddress(), TunnelConfig.defaults("lac").withSecret(key, secret),
                        e -> {
                            if (e instanceof L2tpEvent.SessionUp) {
                                lacCall[0].start();
                            }
                        });
                lacCall[0] = new CallLink(tun.openSession(SessionConfig.defaults().withProxy(proxy), null),
                        PppSettings.builder().auth(a -> a.name("alice")).build(),
                        new PppLink.Settings("lac", users, users, null, "lac "), lac.loop(), e -> {
                            if (e instanceof PppEvent.IpUp u) {
                                lacUp.complete(u);
                            }
                        }, PooledByteBufAllocator.DEFAULT, new SecureRandom());
                lacCall[0].session().receiver(counting(toLac, lacCall[0].receiver()));
                if (proxy) {
                    ProxyStart.offer(lacCall[0], true);
                }
                return tun;
            }).get(5, TimeUnit.SECONDS);
            assertEquals("198.51.100.128", lacUp.get(20, TimeUnit.SECONDS).local().getHostAddress());
            lnsUp.get(20, TimeUnit.SECONDS);
            assertEquals("alice", lnsAuthenticated.get(5, TimeUnit.SECONDS), "the LNS knows who the peer is, either way");
            // both IPCPs are Opened: every frame of the set-up has been received
            String counts = "to LNS " + toLns + ", to LAC " + toLac;
            assertEquals(lcpToLns, n(toLns, LCP), counts);
            assertEquals(lcpToLac, n(toLac, LCP), counts);
            assertEquals(chapToLns, n(toLns, CHAP), counts);
            assertEquals(chapToLac, n(toLac, CHAP), counts);
            assertEquals(ipcpToLns, n(toLns, IPCP), counts);
            assertEquals(ipcpToLac, n(toLac, IPCP), counts);
            lac.call(() -> {
                lacCall[0].ppp().close("test done");
                return null;
            }).get(5, TimeUnit.SECONDS);
            lacCall[0].dead().get(10, TimeUnit.SECONDS);
            lac.call(() -> {
                t.close("test done");
                return null;
            }).get(5, TimeUnit.SECONDS);
        }
    }

    private static Inet4Address addr(String s) {
        try {
            return ip(s);
        } catch (Exception e) {
            throw new IllegalArgumentException(e);
        }
    }
}
