package io.jl2tp.app.link;

import io.jl2tp.l2tp.tunnel.L2tpEndpoint;
import io.jl2tp.l2tp.tunnel.L2tpEvent;
import io.jl2tp.l2tp.tunnel.SessionConfig;
import io.jl2tp.l2tp.tunnel.Tunnel;
import io.jl2tp.l2tp.tunnel.TunnelConfig;
import io.jl2tp.ppp.PppEvent;
import io.jl2tp.ppp.PppLink;
import io.jl2tp.ppp.options.PppSettings;
import io.jl2tp.ppp.options.SecretsFile;
import io.jl2tp.testkit.VirtualScheduler;
import io.jl2tp.tun.testing.MemoryTun;
import io.jl2tp.tun.testing.Packets;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.UnpooledByteBufAllocator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The whole data path without root: MemoryTun ↔ PPP ↔ L2TP ↔ L2TP ↔ PPP ↔ MemoryTun, each side a
 * {@link CallLink} as the dialer and the LNS build it. Tunnel, call, LCP, CHAP, IPCP and IPV6CP
 * come up in virtual time; IPv4 and IPv6 packets then cross in both directions. Each TUN's reader
 * is the real reader thread: what it sends is queued and delivered by the test thread, which
 * alone drives the virtual clock (the event loop).
 */
class CallLinkDataPathTest {

    private static final InetSocketAddress LAC_ADDR = new InetSocketAddress("198.51.100.10", 40000);
    private static final InetSocketAddress LNS_ADDR = new InetSocketAddress("198.51.100.20", 1701);
    private static final long WIRE_MS = 5;

    private final VirtualScheduler clock = new VirtualScheduler();
    private final Thread loopThread = Thread.currentThread();
    private final BlockingQueue<Runnable> fromReaders = new LinkedBlockingQueue<>();
    private final ByteBufAllocator alloc = UnpooledByteBufAllocator.DEFAULT;
    private final MemoryTun lacTun = new MemoryTun("lac0", 1500);
    private final MemoryTun lnsTun = new MemoryTun("lns0", 1500);
    private final List<PppEvent> lacEvents = new ArrayList<>();
    private final List<PppEvent> lnsEvents = new ArrayList<>();
    /** "direction protocol version" of every packet the calls' filters saw. */
    private final List<String> filtered = new java.util.concurrent.CopyOnWriteArrayList<>();
    private CallLink lacCall;
    private CallLink lnsCall;
    private Tunnel lacTunnel;

    @AfterEach
    void release() {
        for (CallLink c : new CallLink[] {lacCall, lnsCall}) {
            if (c != null) {
                c.close();
            }
        }
    }

    /** A datagram from {@code from} to endpoint {@code to}: on the wire for 5 ms of virtual time. */
    private void carry(ByteBuf buf, InetSocketAddress from, L2tpEndpoint[] to) {
        Runnable delivery = () -> clock.schedule(() -> to[0].datagram(buf, from), WIRE_MS, TimeUnit.MILLISECONDS);
        if (Thread.currentThread() == loopThread) {
            delivery.run();
        } else {
            fromReaders.add(delivery); // a TUN reader thread: the loop thread puts it on the wire
        }
    }

    private void run(long ms) {
        for (Runnable r; (r = fromReaders.poll()) != null; ) {
            r.run();
        }
        clock.advance(ms, TimeUnit.MILLISECONDS);
    }

    private static final PppLink.AddressPlan PLAN = new PppLink.AddressPlan() {
        @Override
        public Inet4Address local() {
            return v4("198.51.100.1");
        }

        @Override
        public Inet4Address remoteFor(String peerName) {
            return v4("198.51.100.128");
        }

        @Override
        public List<Inet4Address> dns() {
            return List.of();
        }
    };

    private void bringUp(SessionConfig session) throws Exception {
        SecretsFile users = SecretsFile.parse("alice * s3cret\n", "users", p -> {
            throw new IllegalStateException();
        });
        L2tpEndpoint[] toLac = new L2tpEndpoint[1];
        L2tpEndpoint[] toLns = new L2tpEndpoint[1];
        L2tpEndpoint lac = new L2tpEndpoint(clock, clock.nanoClock(), alloc, (b, to) -> carry(b, LAC_ADDR, toLns), new Random(1));
        L2tpEndpoint lns = new L2tpEndpoint(clock, clock.nanoClock(), alloc, (b, to) -> carry(b, LNS_ADDR, toLac), new Random(2));
        toLac[0] = lac;
        toLns[0] = lns;
        PppSettings lnsPpp = PppSettings.builder().auth(a -> a.auth(true).requireChap(true)).ipv6cp(v -> v.enabled(true)).build();
        lns.serve(TunnelConfig.defaults("lns"), s -> {
            lnsCall = new CallLink(s, lnsPpp, new PppLink.Settings("lns", users, users, PLAN, "lns "), clock,
                    e -> onPpp(e, lnsEvents, lnsCall, lnsTun), alloc, new Random(3));
            return lnsCall.receiver();
        }, e -> onL2tp(e, lnsCall));
        PppSettings lacPpp = PppSettings.builder().auth(a -> a.name("alice")).ipv6cp(v -> v.enabled(true)).build();
        clock.execute(() -> {
            lacTunnel = lac.connect(LNS_ADDR, TunnelConfig.defaults("lac"), e -> onL2tp(e, lacCall));
            lacCall = new CallLink(lacTunnel.openSession(session, null), lacPpp,
                    new PppLink.Settings("lac", users, users, null, "lac "), clock, e -> onPpp(e, lacEvents, lacCall, lacTun),
                    alloc, new Random(4));
        });
        run(30_000);
        assertNotNull(lnsCall, "the LNS accepted the call");
        for (List<PppEvent> ev : List.of(lacEvents, lnsEvents)) {
            assertTrue(ev.stream().anyMatch(e -> e instanceof PppEvent.IpUp), "IPCP up: " + ev);
            assertTrue(ev.stream().anyMatch(e -> e instanceof PppEvent.Ipv6Up), "IPV6CP up: " + ev);
        }
    }

    /** What the dialer and the LNS do with their call's L2TP events. */
    private static void onL2tp(L2tpEvent e, CallLink call) {
        if (e instanceof L2tpEvent.SessionUp) {
            call.start();
        } else if (e instanceof L2tpEvent.SessionDown d) {
            call.lowerDown(d.reason());
        }
    }

    /** What the dialer and the LNS do on NCP up: the TUN joins the call (with filters that record what passes). */
    private void onPpp(PppEvent e, List<PppEvent> log, CallLink call, MemoryTun tun) {
        log.add(e);
        if ((e instanceof PppEvent.IpUp || e instanceof PppEvent.Ipv6Up)
                && log.stream().filter(x -> x instanceof PppEvent.IpUp || x instanceof PppEvent.Ipv6Up).count() == 1) {
            call.filters(record(tun.name() + " out"), record(tun.name() + " in"));
            call.attach(tun, 1500);
        }
    }

    private CallLink.PacketFilter record(String where) {
        return (protocol, ip) -> filtered.add(where + " 0x" + Integer.toHexString(protocol) + " v"
                + ((ip.getByte(ip.readerIndex()) & 0xf0) >> 4));
    }

    /** Injects {@code packet} into {@code from} and expects it, octet for octet, out of {@code to}. */
    private void cross(byte[] packet, MemoryTun from, MemoryTun to) throws Exception {
        from.inject(packet);
        Runnable sent = fromReaders.poll(20, TimeUnit.SECONDS); // the reader thread read it and sent it
        assertNotNull(sent, "the TUN reader sent the packet");
        sent.run();
        run(50);
        byte[] out = to.takeWritten(0);
        assertNotNull(out, "the packet came out of the far TUN");
        assertArrayEquals(packet, out);
    }

    @ParameterizedTest(name = "sequencing={0}, length bit={1}")
    @CsvSource({"false,false", "true,true", "false,true"})
    void ipv4AndIpv6CrossBothWaysAndHangUpReleasesTheCall(boolean sequencing, boolean lengthBit) throws Exception {
        bringUp(SessionConfig.defaults().withSequencingRequired(sequencing).withLengthBit(lengthBit));
        PppEvent.IpUp up = lacEvents.stream().filter(e -> e instanceof PppEvent.IpUp).map(e -> (PppEvent.IpUp) e)
                .findFirst().orElseThrow();
        assertEquals(v4("198.51.100.128"), up.local());
        byte[] ping = icmpEcho(up.local(), up.remote(), 1, 56);
        cross(ping, lacTun, lnsTun);
        cross(Packets.echoReply(ping), lnsTun, lacTun);
        byte[] big = icmpEcho(up.local(), up.remote(), 2, 1400);
        cross(big, lacTun, lnsTun);

        PppEvent.Ipv6Up v6 = lacEvents.stream().filter(e -> e instanceof PppEvent.Ipv6Up).map(e -> (PppEvent.Ipv6Up) e)
                .findFirst().orElseThrow();
        byte[] ping6 = icmp6Echo(v6.localLinkLocal().getAddress(), v6.remoteLinkLocal().getAddress(), 3, 64);
        cross(ping6, lacTun, lnsTun);
        cross(Packets.echoReply(ping6), lnsTun, lacTun);
        assertTrue(lacCall.session().txPackets() >= 3 && lnsCall.session().rxPackets() >= 3);
        // Each packet went out and came in under the PPP protocol of its IP version (RFC 1332, RFC 5072).
        assertEquals(List.of("lac0 out 0x21 v4", "lns0 in 0x21 v4", "lns0 out 0x21 v4", "lac0 in 0x21 v4",
                "lac0 out 0x21 v4", "lns0 in 0x21 v4", "lac0 out 0x57 v6", "lns0 in 0x57 v6", "lns0 out 0x57 v6",
                "lac0 in 0x57 v6"), filtered);

        // Hang-up from the LAC: the tunnel closes, both PPP links report Dead through the completion.
        clock.execute(() -> lacTunnel.close("test over"));
        run(10_000);
        assertTrue(lacCall.dead().isDone(), "LAC PPP dead after hang-up");
        assertTrue(lnsCall.dead().isDone(), "LNS PPP dead after hang-up");
        lacCall.close();
        lnsCall.close();
        assertTrue(lacCall.released() && lnsCall.released(), "reader threads ended");
        lnsTun.inject(ping);
        assertNull(fromReaders.poll(100, TimeUnit.MILLISECONDS), "nothing is read after close");
    }

    private static Inet4Address v4(String s) {
        try {
            return (Inet4Address) InetAddress.getByName(s);
        } catch (Exception e) {
            throw new IllegalArgumentException(e);
        }
    }

    /** An ICMPv4 Echo Request with {@code payload} octets of data and valid checksums. */
    static byte[] icmpEcho(Inet4Address src, Inet4Address dst, int seq, int payload) {
        byte[] p = new byte[20 + 8 + payload];
        p[0] = 0x45;
        p[2] = (byte) (p.length >> 8);
        p[3] = (byte) p.length;
        p[8] = 64;
        p[9] = 1;
        System.arraycopy(src.getAddress(), 0, p, 12, 4);
        System.arraycopy(dst.getAddress(), 0, p, 16, 4);
        int h = Packets.checksum(p, 0, 20, 0);
        p[10] = (byte) (h >> 8);
        p[11] = (byte) h;
        p[20] = 8;
        p[26] = (byte) (seq >> 8);
        p[27] = (byte) seq;
        for (int i = 28; i < p.length; i++) {
            p[i] = (byte) i;
        }
        int c = Packets.checksum(p, 20, p.length - 20, 0);
        p[22] = (byte) (c >> 8);
        p[23] = (byte) c;
        return p;
    }

    /** An ICMPv6 Echo Request between two addresses (checksum over the pseudo-header, RFC 8200 §8.1). */
    static byte[] icmp6Echo(byte[] src, byte[] dst, int seq, int payload) {
        int len = 8 + payload;
        byte[] p = new byte[40 + len];
        p[0] = 0x60;
        p[4] = (byte) (len >> 8);
        p[5] = (byte) len;
        p[6] = 58;
        p[7] = (byte) 255;
        System.arraycopy(src, 0, p, 8, 16);
        System.arraycopy(dst, 0, p, 24, 16);
        p[40] = (byte) 128;
        p[46] = (byte) (seq >> 8);
        p[47] = (byte) seq;
        for (int i = 48; i < p.length; i++) {
            p[i] = (byte) i;
        }
        int pseudo = 0;
        for (int i = 8; i < 40; i += 2) {
            pseudo += ((p[i] & 0xff) << 8) | (p[i + 1] & 0xff);
        }
        pseudo += len + 58;
        int c = Packets.checksum(p, 40, len, pseudo);
        p[42] = (byte) (c >> 8);
        p[43] = (byte) c;
        return p;
    }
}
