package io.jl2tp.app.link;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.turbo.TurboFilter;
import ch.qos.logback.core.spi.FilterReply;
import io.jl2tp.l2tp.netty.L2tpSocket;
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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.Marker;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * One whole session rehearsed before the first real one, on threads of its own: an L2TP LAC and
 * LNS (tunnel authentication, hidden AVPs) on two UDP sockets of the loopback interface, CHAP,
 * IPCP and IPV6CP between a PPP peer and an authenticator, a few IP packets, then LCP Terminate,
 * CDN and StopCCN. Nothing leaves the host: no TUN, no netlink, no route; its log lines are
 * dropped.
 *
 * <p>Why (issue 14): the first session of a fresh JVM spent most of its SCCRQ → IPCP up loading
 * and linking classes — the codec, the automata, lambdas, records' methods, string
 * concatenation, MD5 and SecureRandom — on the event loop, one round trip at a time. A router
 * that fails over after weeks on its primary runs its first session exactly then. The
 * rehearsal pays that once, at start-up, off the critical path, so that the first real SCCRQ
 * finds everything loaded. {@code -Djl2tp.rehearse=false} turns it off.
 *
 * <p>Threads: each end belongs to its socket's event loop; {@link #start} returns at once.
 */
public final class Rehearsal {

    private static final Logger log = LoggerFactory.getLogger(Rehearsal.class);

    /** System property that turns the rehearsal off ({@code -Djl2tp.rehearse=false}). */
    public static final String PROPERTY = "jl2tp.rehearse";
    private static final String THREAD = "jl2tp-rehearsal";
    private static final long TIMEOUT_SECONDS = 20;
    private static volatile CompletableFuture<Long> once;

    private Rehearsal() {
    }

    /** False when {@code -Djl2tp.rehearse=false}. */
    public static boolean enabled() {
        return !"false".equalsIgnoreCase(System.getProperty(PROPERTY, "true"));
    }

    /**
     * Starts the rehearsal (once per process; later calls return the same future) unless turned
     * off. The future completes with its duration in nanoseconds, or -1 when turned off; a
     * rehearsal that fails is logged at DEBUG and completes normally too — it only ever saves
     * time, it never stops anything.
     */
    public static synchronized CompletableFuture<Long> start() {
        if (once == null) {
            once = enabled() ? CompletableFuture.supplyAsync(Rehearsal::runQuietly, r -> {
                Thread t = new Thread(r, THREAD + "-main");
                t.setDaemon(true);
                t.start();
            }) : CompletableFuture.completedFuture(-1L);
        }
        return once;
    }

    private static long runQuietly() {
        long t0 = System.nanoTime();
        try {
            run();
            long ns = System.nanoTime() - t0;
            log.debug("rehearsal session done in {} ms", TimeUnit.NANOSECONDS.toMillis(ns));
            return ns;
        } catch (Exception e) {
            log.debug("rehearsal session: {}", e.toString());
            return System.nanoTime() - t0;
        }
    }

    /** Runs one session over loopback to IPCP and IPV6CP up, a few packets, and the hang-up. */
    static void run() throws Exception {
        java.util.Set<Thread> quiet = java.util.concurrent.ConcurrentHashMap.newKeySet();
        quiet.add(Thread.currentThread());
        TurboFilter mute = mute(quiet);
        L2tpSocket lns = null;
        L2tpSocket lac = null;
        try {
            InetAddress loopback = InetAddress.getLoopbackAddress();
            lns = L2tpSocket.bind(new InetSocketAddress(loopback, 0));
            quiet.add(lns.call(Thread::currentThread).get(TIMEOUT_SECONDS, TimeUnit.SECONDS));
            lac = L2tpSocket.bind(new InetSocketAddress(loopback, 0));
            quiet.add(lac.call(Thread::currentThread).get(TIMEOUT_SECONDS, TimeUnit.SECONDS));
            new Pair(lac, lns).run();
        } finally {
            if (lac != null) {
                lac.close("rehearsal over", 500);
            }
            if (lns != null) {
                lns.close("rehearsal over", 500);
            }
            unmute(mute);
        }
    }

    /** The two ends: each side's state belongs to its socket's event loop. */
    private static final class Pair {
        private final L2tpSocket lacSocket;
        private final L2tpSocket lnsSocket;
        private final byte[] tunnelSecret = "rehearsal".getBytes(StandardCharsets.US_ASCII);
        private final SecretProvider users = SecretProvider.fixed(Secret.of("rehearsal"));
        private final CompletableFuture<Void> ipUp = new CompletableFuture<>();
        private final CompletableFuture<Void> ipv6Up = new CompletableFuture<>();
        private final CompletableFuture<Void> packets = new CompletableFuture<>();
        private final CompletableFuture<Void> dead = new CompletableFuture<>();
        private volatile CallLink lacCall;
        private volatile CallLink lnsCall;
        private volatile Tunnel tunnel;
        private int received; // LNS loop

        Pair(L2tpSocket lac, L2tpSocket lns) {
            this.lacSocket = lac;
            this.lnsSocket = lns;
        }

        void run() throws Exception {
            await(lnsSocket.call(() -> {
                lnsSocket.endpoint().serve(TunnelConfig.defaults("rehearsal-lns").withSecret(tunnelSecret, true)
                        .withHidden(true), session -> {
                    lnsCall = new CallLink(session, PppSettings.builder().ipv6cp(v -> v.enabled(true))
                            .auth(a -> a.auth(true).requireChap(true)).build(),
                            new PppLink.Settings("rehearsal-lns", users, users, plan(), ""), lnsSocket.loop(), e -> { },
                            PooledByteBufAllocator.DEFAULT, new SecureRandom());
                    lnsCall.ppp().ipSink((protocol, ip) -> {
                        ip.release();
                        if (++received >= 4) {
                            packets.complete(null);
                        }
                    });
                    return lnsCall.receiver();
                }, e -> {
                    if (e instanceof L2tpEvent.SessionUp && lnsCall != null) {
                        lnsCall.start();
                    }
                });
                return null;
            }));
            await(lacSocket.call(() -> {
                tunnel = lacSocket.endpoint().connect(lnsSocket.localAddress(), TunnelConfig.defaults("rehearsal-lac")
                        .withSecret(tunnelSecret, true).withHidden(true), e -> {
                    if (e instanceof L2tpEvent.SessionUp) {
                        lacCall.start();
                    }
                });
                lacCall = new CallLink(tunnel.openSession(SessionConfig.defaults().withProxy(true), null), PppSettings.builder()
                        .auth(a -> a.name("rehearsal")).ipv6cp(v -> v.enabled(true).useIpaddr(true))
                        .ipcp(i -> i.usePeerDns(true)).build(), new PppLink.Settings("rehearsal", users, users, null, ""),
                        lacSocket.loop(), this::lacEvent, PooledByteBufAllocator.DEFAULT, new SecureRandom());
                // The dialer offers proxy LCP/auth by default; this LNS ignores it, so the offer
                // and the LCP/CHAP fallback (renegotiation from Opened) are both rehearsed.
                ProxyStart.offer(lacCall, true);
                return null;
            }));
            await(CompletableFuture.allOf(ipUp, ipv6Up));
            await(lacSocket.call(() -> {
                for (int i = 0; i < 2; i++) {
                    lacCall.ppp().sendIp(PppLink.PROTO_IPV4, packet(4));
                    lacCall.ppp().sendIp(PppLink.PROTO_IPV6, packet(6));
                }
                return null;
            }));
            await(packets);
            await(lacSocket.call(() -> {
                lacCall.ppp().close("rehearsal over");
                return null;
            }));
            await(dead);
        }

        private static <T> T await(CompletableFuture<T> f) throws Exception {
            return f.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        }

        private void lacEvent(PppEvent e) {
            if (e instanceof PppEvent.IpUp) {
                ipUp.complete(null);
            } else if (e instanceof PppEvent.Ipv6Up) {
                ipv6Up.complete(null);
            } else if (e instanceof PppEvent.Down) {
                tunnel.close("rehearsal over");
                dead.complete(null);
            }
        }

        /** A minimal IPv4 or IPv6 header (only the version nibble matters here) with headroom in front. */
        private static ByteBuf packet(int version) {
            ByteBuf b = PooledByteBufAllocator.DEFAULT.directBuffer(CallLink.HEADROOM + 60);
            b.writerIndex(CallLink.HEADROOM).readerIndex(CallLink.HEADROOM);
            b.writeByte(version << 4);
            b.writeZero(version == 4 ? 19 : 39);
            return b;
        }

        private static PppLink.AddressPlan plan() {
            Inet4Address local = v4(1);
            Inet4Address remote = v4(2);
            return new PppLink.AddressPlan() {
                @Override
                public Inet4Address local() {
                    return local;
                }

                @Override
                public Inet4Address remoteFor(String peerName) {
                    return remote;
                }

                @Override
                public List<Inet4Address> dns() {
                    return List.of(local);
                }
            };
        }

        /** 198.51.100.{@code last} (documentation addresses; they never leave the process). */
        private static Inet4Address v4(int last) {
            try {
                return (Inet4Address) InetAddress.getByAddress(new byte[] {(byte) 198, 51, 100, (byte) last});
            } catch (java.net.UnknownHostException e) {
                throw new IllegalStateException(e);
            }
        }

    }

    /** Drops every log event of the rehearsal's threads (its lines would read like a real session's). */
    private static TurboFilter mute(java.util.Set<Thread> quiet) {
        if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext ctx)) {
            return null;
        }
        TurboFilter f = new TurboFilter() {
            @Override
            public FilterReply decide(Marker marker, ch.qos.logback.classic.Logger logger, Level level, String format,
                                      Object[] params, Throwable t) {
                return quiet.contains(Thread.currentThread()) && !logger.getName().equals(Rehearsal.class.getName())
                        ? FilterReply.DENY : FilterReply.NEUTRAL;
            }
        };
        f.start();
        ctx.addTurboFilter(f);
        return f;
    }

    private static void unmute(TurboFilter f) {
        if (f != null && LoggerFactory.getILoggerFactory() instanceof LoggerContext ctx) {
            ctx.getTurboFilterList().remove(f);
        }
    }
}
