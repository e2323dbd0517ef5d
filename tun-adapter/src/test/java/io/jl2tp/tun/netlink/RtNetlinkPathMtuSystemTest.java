package io.jl2tp.tun.netlink;

import io.jl2tp.testkit.NetNs;
import io.jl2tp.testkit.RequiresRoot;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code ip route get} through rtnetlink: the interface's MTU, or the route's own mtu metric. */
@RequiresRoot(commands = {"ip"})
class RtNetlinkPathMtuSystemTest {

    @Test
    void theInterfaceMtuOrTheRoutesMtuMetric() throws Exception {
        try (NetNs ns = NetNs.create("pmtu")) {
            ns.ip("link", "add", "wan", "type", "veth", "peer", "name", "wan-peer");
            ns.ip("link", "set", "wan", "mtu", "1492");
            ns.ip("link", "set", "wan", "up");
            ns.ip("link", "set", "wan-peer", "up");
            ns.ip("addr", "add", "203.0.113.1/24", "dev", "wan");
            ns.ip("-6", "addr", "add", "2001:db8:7::1/64", "dev", "wan", "nodad");
            ns.ip("route", "add", "198.51.100.0/24", "via", "203.0.113.2", "mtu", "1400");
            ns.run(() -> {
                try (RtNetlink nl = RtNetlink.open()) {
                    int wan = nl.linkIndex("wan");
                    RtNetlink.PathMtu direct = nl.pathMtu(InetAddress.getByName("203.0.113.2"));
                    assertEquals(new RtNetlink.PathMtu(1492, wan, false), direct);
                    RtNetlink.PathMtu routed = nl.pathMtu(InetAddress.getByName("198.51.100.7"));
                    assertEquals(1400, routed.mtu());
                    assertTrue(routed.fromRoute());
                    assertEquals(wan, routed.ifindex());
                    RtNetlink.PathMtu v6 = nl.pathMtu(InetAddress.getByName("2001:db8:7::2"));
                    assertEquals(1492, v6.mtu());
                    assertFalse(v6.fromRoute());
                    assertEquals(1492, nl.linkMtu(wan));
                    assertThrows(NetlinkException.class, () -> nl.pathMtu(InetAddress.getByName("192.0.2.1")), "no route");
                }
            });
        }
    }
}
