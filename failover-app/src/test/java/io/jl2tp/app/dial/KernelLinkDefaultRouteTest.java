package io.jl2tp.app.dial;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.jl2tp.testkit.NetNs;
import io.jl2tp.testkit.RequiresRoot;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.OptionalInt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * pppd's {@code defaultroute} and {@code replacedefaultroute} against a router's own default
 * route of metric 0 ({@code default via 203.0.113.1}, which the kernel reports without an
 * RTA_PRIORITY), in a namespace, with the real {@code ip} to set up and read the table.
 */
@RequiresRoot(commands = {"ip"})
class KernelLinkDefaultRouteTest {

    private static final String TUN = "l2tp-t";
    private NetNs ns;
    private ListAppender<ILoggingEvent> logged;

    @BeforeEach
    void router() {
        ns = NetNs.create("kdr");
        ns.ip("link", "add", "wan", "type", "veth", "peer", "name", "wan-peer");
        ns.ip("link", "set", "wan", "up");
        ns.ip("link", "set", "wan-peer", "up");
        ns.ip("addr", "add", "203.0.113.2/24", "dev", "wan");
        ns.ip("route", "add", "default", "via", "203.0.113.1");
        ns.ip("-6", "addr", "add", "2001:db8:1::2/64", "dev", "wan", "nodad");
        ns.ip("-6", "route", "add", "default", "via", "2001:db8:1::1", "dev", "wan");
        logged = new ListAppender<>();
        logged.start();
        ((Logger) LoggerFactory.getLogger(KernelLink.class)).addAppender(logged);
    }

    @AfterEach
    void cleanUp() {
        ((Logger) LoggerFactory.getLogger(KernelLink.class)).detachAppender(logged);
        ns.close();
    }

    private String defaults() {
        return ns.exec("ip", "route", "show", "default").strip();
    }

    private String defaults6() {
        return ns.exec("ip", "-6", "route", "show", "default").strip().replaceAll(" pref medium", "");
    }

    private KernelLink up() throws Exception {
        KernelLink k = ns.call(() -> KernelLink.create(TUN));
        k.ipv4Up((Inet4Address) InetAddress.getByName("198.51.100.128"), (Inet4Address) InetAddress.getByName("198.51.100.1"),
                1400);
        return k;
    }

    private boolean loggedError(String text) {
        return logged.list.stream().anyMatch(e -> e.getLevel() == ch.qos.logback.classic.Level.ERROR
                && e.getFormattedMessage().contains(text));
    }

    @Test
    void defaultrouteKeepsTheExistingMetricZeroRouteAsPppdDoes() throws Exception {
        String before = defaults();
        assertEquals("default via 203.0.113.1 dev wan", before);
        try (KernelLink k = up()) {
            assertFalse(k.addDefaultRoute(false, OptionalInt.empty(), false));
            assertEquals(before, defaults(), "the router's default route is untouched");
            assertTrue(loggedError("not replacing existing default route via 203.0.113.1"), logged.list.toString());
        }
        assertEquals(before, defaults(), "and still there after exit");
    }

    @Test
    void defaultrouteKeepsAnExistingIpv6DefaultRoute() throws Exception {
        String before = defaults6();
        try (KernelLink k = up()) {
            k.ipv6Up((java.net.Inet6Address) InetAddress.getByName("fe80::1"), (java.net.Inet6Address) InetAddress.getByName("fe80::2"));
            assertFalse(k.addDefaultRoute(true, OptionalInt.empty(), false));
            assertEquals(before, defaults6());
            assertTrue(loggedError("not replacing existing default route via 2001:db8:1::1"), logged.list.toString());
        }
        assertEquals(before, defaults6());
    }

    @Test
    void replacedefaultrouteReplacesItAndPutsItBackOnExit() throws Exception {
        String before = defaults();
        KernelLink k = up();
        try {
            assertTrue(k.addDefaultRoute(false, OptionalInt.empty(), true));
            String during = defaults();
            assertTrue(during.startsWith("default dev " + TUN + " scope link"), during);
            assertTrue(during.contains("default via 203.0.113.1 dev wan metric 1"), "moved aside: " + during);
            assertTrue(ns.exec("ip", "route", "get", "192.0.2.99").contains("dev " + TUN), "traffic takes the tunnel");
        } finally {
            k.close();
        }
        assertEquals(before, defaults(), "the original route is back, in its own slot");
    }

    @Test
    void anExplicitMetricOnlyCollidesWithThatMetric() throws Exception {
        String before = defaults();
        try (KernelLink k = up()) {
            assertTrue(k.addDefaultRoute(false, OptionalInt.of(100), false), "metric 0 and 100 live side by side");
            String during = defaults();
            assertTrue(during.contains("default via 203.0.113.1 dev wan"), during);
            assertTrue(during.contains("default dev " + TUN + " scope link metric 100"), during);
            assertFalse(k.addDefaultRoute(true, OptionalInt.of(1024), false), "the IPv6 one has metric 1024 too");
            assertTrue(loggedError("with metric 1024"), logged.list.toString());
        }
        assertEquals(before, defaults());
    }
}
