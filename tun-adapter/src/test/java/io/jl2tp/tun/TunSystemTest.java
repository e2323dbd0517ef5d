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
