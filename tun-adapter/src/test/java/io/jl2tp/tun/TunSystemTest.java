package io.jl2tp.tun;

import io.jl2tp.testkit.NetNs;
import io.jl2tp.testkit.RequiresRoot;
import io.jl2tp.tun.linux.LinuxTunDevice;
import io.jl2tp.tun.netlink.NetlinkEvent;
import io.jl2tp.tun.netlink.NetlinkException;
import io.jl2tp.tun.netlink.Route;
import io.jl2tp.tun.netlink.RtNetlink;
import io.jl2tp.tun.testing.Packets;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** TUN and rtnetlink for real, each test in a network namespace of its own. */
@RequiresRoot(commands = {"ip", "ping"})
class TunSystemTest {

    private NetNs ns;

    @BeforeEach
    void namespace() {
        ns = NetNs.create("tun");
    }

    @AfterEach
    void cleanUp() {
        ns.close();
    }

    private static InetAddress a(String s) throws Exception {
        return InetAddress.getByName(s);
    }

    /** Reads packets from {@code tun} and answers every Echo Request, until closed. */
    private static Thread responder(TunDevice tun, List<String> seen) {
        Thread t = new Thread(() -> {
            ByteBuf buf = PooledByteBufAllocator.DEFAULT.directBuffer(2048);
            try {
                while (true) {
                    buf.clear().writerIndex(64).readerIndex(64); // headroom, as the dialer leaves it
                    int n = tun.read(buf);
                    if (n < 0) {
                        return;
                    }
                    byte[] p = new byte[n];
                    buf.getBytes(buf.readerIndex(), p);
                    if (Packets.isIcmpEchoRequest(p) || Packets.isIcmp6EchoRequest(p)) {
                        seen.add(Packets.isIcmpEchoRequest(p) ? "icmp" : "icmp6");
                        byte[] reply = Packets.echoReply(p);
                        buf.clear().writeBytes(reply);
                        tun.write(buf);
                    }
                }
            } catch (Exception e) {
                seen.add("error " + e);
            } finally {
                buf.release();
            }
        }, "tun-responder");
        t.start();
        return t;
    }

    @Test
    void pingIntoATunIsAnsweredByOurProgramIpv4AndIpv6() throws Exception {
        List<String> seen = new CopyOnWriteArrayList<>();
        try (LinuxTunDevice tun = ns.call(() -> LinuxTunDevice.open("jt0", false));
             RtNetlink nl = ns.call(RtNetlink::open)) {
            tun.mtu(1400);
            assertEquals(1400, tun.mtu());
            int idx = nl.linkIndex("jt0");
            nl.addAddress(idx, a("198.51.100.128"), 32, a("198.51.100.1"));
            nl.addAddress(idx, a("fe80::c633:6480"), 64, a("fe80::1"));
            nl.setLinkUp(idx, true);
            Thread r = responder(tun, seen);
            NetNs.Result ping = ns.run(20, TimeUnit.SECONDS, "ping", "-c", "2", "-W", "2", "198.51.100.1");
            assertEquals(0, ping.status(), ping.output());
            NetNs.Result ping6 = ns.run(20, TimeUnit.SECONDS, "ping", "-6", "-c", "2", "-W", "2", "-I", "jt0", "fe80::1");
            assertEquals(0, ping6.status(), ping6.output());
            tun.close();
            r.join(2000);
            assertFalse(r.isAlive(), "close() unblocks a reader");
            assertTrue(seen.contains("icmp") && seen.contains("icmp6"), seen.toString());
        }
        assertTrue(ns.run(5, TimeUnit.SECONDS, "ip", "link", "show", "jt0").status() != 0, "the interface disappeared");
    }

    /**
     * A user-space wire between two TUNs with offloads in two namespaces: what one reads is cut
     * by Gso and written to the other through Gro, as the dialer and the LNS do. A TCP transfer
     * across it must arrive whole, the sender's kernel must hand over super-packets (TSO), the
     * receiver's must take coalesced ones, and its TCP must count no checksum errors.
     */
    @Test
    void tcpCrossesTwoOffloadTunsWithSuperPacketsBothWays() throws Exception {
        try (NetNs other = NetNs.create("tun2");
             LinuxTunDevice ta = ns.call(() -> LinuxTunDevice.open("jto", false, true));
             LinuxTunDevice tb = other.call(() -> LinuxTunDevice.open("jto", false, true));
             RtNetlink nla = ns.call(RtNetlink::open);
             RtNetlink nlb = other.call(RtNetlink::open)) {
            assertTrue(ta.vnetHdr() && tb.vnetHdr());
            int ia = nla.linkIndex("jto");
            int ib = nlb.linkIndex("jto");
            nla.addAddress(ia, a("198.51.100.1"), 32, a("198.51.100.2"));
            nlb.addAddress(ib, a("198.51.100.2"), 32, a("198.51.100.1"));
            nla.setLinkUp(ia, true);
            nlb.setLinkUp(ib, true);
            java.util.concurrent.atomic.AtomicLong superPackets = new java.util.concurrent.atomic.AtomicLong();
            io.jl2tp.tun.offload.Gro groB = new io.jl2tp.tun.offload.Gro(PooledByteBufAllocator.DEFAULT);
            io.jl2tp.tun.offload.Gro groA = new io.jl2tp.tun.offload.Gro(PooledByteBufAllocator.DEFAULT);
            Thread ab = pump(ta, tb, groB, superPackets);
            Thread ba = pump(tb, ta, groA, superPackets);
            byte[] data = new byte[8 << 20];
            new java.util.Random(42).nextBytes(data);
            java.net.ServerSocket server = other.call(() -> new java.net.ServerSocket(5001, 1, a("198.51.100.2")));
            java.util.concurrent.CompletableFuture<byte[]> received = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
                try (java.net.Socket s = server.accept()) {
                    byte[] got = s.getInputStream().readAllBytes();
                    s.getOutputStream().write(1); // and an answer the other way
                    return got;
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            try (java.net.Socket c = ns.call(() -> {
                java.net.Socket s = new java.net.Socket();
                s.connect(new java.net.InetSocketAddress(a("198.51.100.2"), 5001), 5000);
                return s;
            })) {
                c.getOutputStream().write(data);
                c.shutdownOutput();
                assertEquals(1, c.getInputStream().read());
            }
            assertTrue(java.util.Arrays.equals(data, received.get(30, TimeUnit.SECONDS)), "the data arrived whole");
            server.close();
            assertTrue(superPackets.get() > 0, "the sender's kernel handed over TCP super-packets");
            assertTrue(groB.merged() > 0, "segments were coalesced into one write");
            String snmp = other.exec("cat", "/proc/net/snmp");
            String[] tcpLines = snmp.lines().filter(l -> l.startsWith("Tcp:")).toArray(String[]::new);
            List<String> names = List.of(tcpLines[0].split("\\s+"));
            String[] values = tcpLines[1].split("\\s+");
            assertEquals("0", values[names.indexOf("InCsumErrors")], snmp);
            ta.close();
            tb.close();
            ab.join(2000);
            ba.join(2000);
            groA.close();
            groB.close();
        }
    }

    /** Reads {@code from} (with offloads), cuts what it reads and writes it to {@code to} through {@code gro}. */
    private static Thread pump(TunDevice from, TunDevice to, io.jl2tp.tun.offload.Gro gro,
                               java.util.concurrent.atomic.AtomicLong superPackets) {
        Thread t = new Thread(() -> {
            ByteBuf buf = PooledByteBufAllocator.DEFAULT.directBuffer(io.jl2tp.tun.offload.VnetHdr.SIZE + 65536);
            try {
                while (true) {
                    buf.clear();
                    if (from.read(buf) < 0) {
                        return;
                    }
                    java.io.IOException[] failed = new java.io.IOException[1];
                    int n = io.jl2tp.tun.offload.Gso.split(buf, 16, PooledByteBufAllocator.DEFAULT, p -> {
                        try {
                            gro.write(p, to::write);
                        } catch (java.io.IOException e) {
                            failed[0] = e;
                        } finally {
                            p.release();
                        }
                    });
                    if (n > 1) {
                        superPackets.incrementAndGet();
                    }
                    gro.flush(to::write);
                    if (failed[0] != null) {
                        throw failed[0];
                    }
                }
            } catch (Exception e) {
                // the devices were closed
            } finally {
                buf.release();
            }
        }, "tun-pump-" + from.name());
        t.setDaemon(true);
        t.start();
        return t;
    }

    /** The IPv4 UDP datagrams to port 9 among {@code packets} (the kernel adds IPv6 chatter of its own). */
    private static boolean isUdpToDiscard(ByteBuf b, int n) {
        int at = b.readerIndex();
        return n >= 28 && (b.getByte(at) & 0xf0) == 0x40 && b.getByte(at + 9) == 17 && b.getUnsignedShort(at + 22) == 9;
    }

    @Test
    void readIfReadyTakesWhatIsWaitingAndNeverBlocks() throws Exception {
        try (LinuxTunDevice tun = ns.call(() -> LinuxTunDevice.open("jt3", false));
             RtNetlink nl = ns.call(RtNetlink::open);
             java.net.DatagramSocket tx = ns.call(java.net.DatagramSocket::new)) {
            ns.ip("addr", "add", "198.51.100.1/24", "dev", "jt3");
            nl.setLinkUp(nl.linkIndex("jt3"), true);
            ByteBuf buf = PooledByteBufAllocator.DEFAULT.directBuffer(2048);
            try {
                java.net.InetSocketAddress to = new java.net.InetSocketAddress("198.51.100.2", 9);
                for (int i = 0; i < 3; i++) {
                    tx.send(new java.net.DatagramPacket(new byte[100 + i], 100 + i, to));
                }
                int udp = 0;
                buf.clear();
                int n = tun.read(buf); // the first of a burst
                udp += isUdpToDiscard(buf, n) ? 1 : 0;
                while (true) {
                    buf.clear();
                    n = assertTimeoutPreemptively(java.time.Duration.ofSeconds(5), () -> tun.readIfReady(buf),
                            "readIfReady returns at once, packet or not");
                    if (n == 0) {
                        break;
                    }
                    assertTrue(n > 0);
                    udp += isUdpToDiscard(buf, n) ? 1 : 0;
                }
                assertEquals(3, udp, "the three datagrams waiting were taken without blocking");
                buf.clear();
                assertEquals(0, tun.readIfReady(buf), "found empty: stays empty until read() waits again");
                tx.send(new java.net.DatagramPacket(new byte[7], 7, to));
                do {
                    buf.clear();
                    n = tun.read(buf); // waits, then reads the next
                } while (n > 0 && !isUdpToDiscard(buf, n));
                assertEquals(35, n);
            } finally {
                buf.release();
            }
        }
    }

    @Test
    void aReaderLearnsThatItsInterfaceWasDeletedFromOutside() throws Exception {
        List<String> seen = new CopyOnWriteArrayList<>();
        try (LinuxTunDevice tun = ns.call(() -> LinuxTunDevice.open("jt2", false));
             RtNetlink nl = ns.call(RtNetlink::open)) {
            nl.setLinkUp(nl.linkIndex("jt2"), true);
            Thread r = responder(tun, seen); // blocked in read
            NetNs.Result del = ns.run(10, TimeUnit.SECONDS, "ip", "link", "del", "jt2");
            assertEquals(0, del.status(), del.output());
            r.join(5000);
            assertFalse(r.isAlive(), "the blocked read returned");
            assertEquals(List.of("error " + new InterfaceGoneException("jt2", "read")), seen);
        }
    }

    @Test
    void routesAreAddedReplacedReadBackAndDeleted() throws Exception {
        try (LinuxTunDevice tun = ns.call(() -> LinuxTunDevice.open("l2tp-aaisp", false));
             RtNetlink nl = ns.call(RtNetlink::open)) {
            NetNs.veth(ns, "wan-4g", "203.0.113.2/24", ns, "fourg-peer", null);
            int idx = nl.linkIndex("l2tp-aaisp");
            int wan = nl.linkIndex("wan-4g");
            nl.setLinkUp(idx, true);
            nl.addAddress(idx, a("198.51.100.128"), 32, a("198.51.100.1"));
            // the seed's routes: LNS host route via the 4G router, defaults via the tunnel
            nl.addRoute(Route.hostVia(a("198.51.100.77"), a("203.0.113.1"), 10));
            nl.addRoute(Route.defaultVia(idx, false, 100));
            nl.addRoute(Route.defaultVia(idx, true, 100));
            List<Route> v4 = nl.routes(false);
            assertTrue(v4.stream().anyMatch(r -> r.isDefault() && r.ifindex() == idx && r.metric() == 100 && r.scopeLink()), v4 + "\n" + ns.exec("ip", "-d", "route", "show", "table", "all"));
            assertTrue(v4.stream().anyMatch(r -> r.prefixLength() == 32 && r.gateway() != null
                    && r.gateway().getHostAddress().equals("203.0.113.1") && r.metric() == 10 && r.ifindex() == wan), v4.toString());
            assertTrue(nl.routes(true).stream().anyMatch(r -> r.isDefault() && r.ifindex() == idx && r.metric() == 100));
            // add again: EEXIST, named
            NetlinkException dup = assertThrows(NetlinkException.class, () -> nl.addRoute(Route.defaultVia(idx, false, 100)));
            assertTrue(dup.exists());
            assertTrue(dup.getMessage().contains("RTM_NEWROUTE default dev l2tp-aaisp scope link metric 100: EEXIST (File exists)"),
                    dup.getMessage());
            // replace is idempotent
            nl.replaceRoute(Route.defaultVia(idx, false, 100));
            nl.deleteRoute(Route.defaultVia(idx, false, 100));
            nl.deleteRoute(Route.defaultVia(idx, true, 100));
            nl.deleteRoute(Route.hostVia(a("198.51.100.77"), a("203.0.113.1"), 10));
            assertFalse(nl.routes(false).stream().anyMatch(r -> r.isDefault() && r.ifindex() == idx));
            NetlinkException gone = assertThrows(NetlinkException.class, () -> nl.deleteRoute(Route.defaultVia(idx, false, 100)));
            assertTrue(gone.notFound(), gone.getMessage());
        }
    }

    @Test
    void theDefaultGatewayOfAnInterfaceIsLearnedFromTheKernel() throws Exception {
        try (NetNs router = NetNs.create("4g"); RtNetlink nl = ns.call(RtNetlink::open)) {
            NetNs.veth(ns, "wan-4g", "203.0.113.2/24", router, "lan", "203.0.113.1/24");
            ns.ip("route", "add", "default", "via", "203.0.113.1", "dev", "wan-4g", "metric", "200");
            int wan = nl.linkIndex("wan-4g");
            assertEquals(a("203.0.113.1"), nl.defaultGateway(wan, false).orElseThrow());
            assertTrue(nl.defaultGateway(wan, true).isEmpty());
        }
    }

    @Test
    void linkAndAddressEventsArrive() throws Exception {
        List<NetlinkEvent> events = new CopyOnWriteArrayList<>();
        try (NetNs other = NetNs.create("ev");
             RtNetlink.Subscription sub = ns.call(() -> RtNetlink.subscribe(events::add))) {
            NetNs.veth(ns, "pppoe-aaisp", null, other, "isp", null);
            ns.ip("link", "set", "pppoe-aaisp", "down");
            ns.ip("addr", "add", "198.51.100.9/32", "dev", "pppoe-aaisp");
            ns.ip("link", "set", "pppoe-aaisp", "up");
            ns.ip("route", "add", "default", "dev", "pppoe-aaisp", "metric", "100");
            ns.ip("route", "del", "default", "dev", "pppoe-aaisp", "metric", "100");
            ns.ip("addr", "del", "198.51.100.9/32", "dev", "pppoe-aaisp");
            ns.ip("link", "del", "pppoe-aaisp");
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (System.nanoTime() < deadline && events.stream().noneMatch(e -> e instanceof NetlinkEvent.LinkEvent l && l.removed())) {
                Thread.sleep(20);
            }
            assertTrue(events.stream().anyMatch(e -> e instanceof NetlinkEvent.LinkEvent l && "pppoe-aaisp".equals(l.name()) && !l.up()), events.toString());
            assertTrue(events.stream().anyMatch(e -> e instanceof NetlinkEvent.LinkEvent l && "pppoe-aaisp".equals(l.name()) && l.up()), events.toString());
            assertTrue(events.stream().anyMatch(e -> e instanceof NetlinkEvent.AddressEvent ad && ad.added()
                    && ad.address().getHostAddress().equals("198.51.100.9")), events.toString());
            assertTrue(events.stream().anyMatch(e -> e instanceof NetlinkEvent.AddressEvent ad && !ad.added()), events.toString());
            assertTrue(events.stream().anyMatch(e -> e instanceof NetlinkEvent.LinkEvent l && l.removed()), events.toString());
            for (boolean added : new boolean[] {true, false}) {
                assertTrue(events.stream().anyMatch(e -> e instanceof NetlinkEvent.RouteEvent r && r.added() == added
                        && r.route().isDefault() && r.route().metric() == 100), "default route " + (added ? "added" : "removed")
                        + ": " + events);
            }
        }
    }

    @Test
    void errorsAreNamed() throws Exception {
        IllegalArgumentException tooLong = assertThrows(IllegalArgumentException.class,
                () -> LinuxTunDevice.open("a-name-longer-than-15", false));
        assertTrue(tooLong.getMessage().contains("at most 15"), tooLong.getMessage());
        try (RtNetlink nl = ns.call(RtNetlink::open)) {
            NetlinkException missing = assertThrows(NetlinkException.class, () -> nl.linkIndex("nope0"));
            assertTrue(missing.getMessage().contains("no such interface") && missing.getMessage().contains("nope0"),
                    missing.getMessage());
            NetlinkException badDev = assertThrows(NetlinkException.class, () -> nl.addRoute(Route.defaultVia(999_999, false, 5)));
            assertTrue(badDev.getMessage().startsWith("RTM_NEWROUTE default"), badDev.getMessage());
        }
    }

    @Test
    void acceptRaIsSetPerInterfaceInTheNamespace() throws Exception {
        try (LinuxTunDevice tun = ns.call(() -> LinuxTunDevice.open("jt1", false))) {
            ns.run(() -> RtNetlink.setAcceptRa("jt1", 2));
            assertEquals(2, (int) ns.call(() -> RtNetlink.acceptRa("jt1")));
        }
    }
}
