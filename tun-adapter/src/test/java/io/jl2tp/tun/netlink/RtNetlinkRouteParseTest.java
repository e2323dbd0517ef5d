package io.jl2tp.tun.netlink;

import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Route messages as the kernel sends them, parsed without a socket. */
class RtNetlinkRouteParseTest {

    /** An RTM_NEWROUTE for {@code default via GW dev #ifindex}, with RTA_PRIORITY only if {@code metric >= 0}. */
    private static ByteBuffer defaultRoute(byte[] gw, int ifindex, int metric) {
        ByteBuffer b = ByteBuffer.allocate(128).order(ByteOrder.nativeOrder());
        b.putInt(0).putShort(RtNetlink.RTM_NEWROUTE).putShort((short) 0).putInt(1).putInt(0);
        b.put((byte) (gw.length == 16 ? 10 : 2)).put((byte) 0).put((byte) 0).put((byte) 0)
                .put((byte) 254).put((byte) 3).put((byte) 0).put((byte) RtNetlink.RTN_UNICAST).putInt(0);
        b.putShort((short) 8).putShort((short) RtNetlink.RTA_TABLE).putInt(254);
        b.putShort((short) (4 + gw.length)).putShort((short) RtNetlink.RTA_GATEWAY).put(gw);
        b.putShort((short) 8).putShort((short) RtNetlink.RTA_OIF).putInt(ifindex);
        if (metric >= 0) {
            b.putShort((short) 8).putShort((short) RtNetlink.RTA_PRIORITY).putInt(metric);
        }
        b.putInt(0, b.position());
        return b.flip();
    }

    @Test
    void aRouteWithoutRtaPriorityHasMetricZero() throws Exception {
        // What `ip route add default via 203.0.113.1` reads back as: the kernel omits priority 0.
        Route r = RtNetlink.parseRoute(defaultRoute(InetAddress.getByName("203.0.113.1").getAddress(), 2, -1));
        assertEquals(0, r.metric());
        assertTrue(r.isDefault());
        assertEquals(InetAddress.getByName("203.0.113.1"), r.gateway());
        assertTrue(r.sameKey(Route.defaultVia(7, false, 0)), "it occupies the slot of our metric-0 default route");
    }

    @Test
    void aRouteWithRtaPriorityKeepsIt() throws Exception {
        Route r = RtNetlink.parseRoute(defaultRoute(InetAddress.getByName("2001:db8::1").getAddress(), 2, 1024));
        assertEquals(1024, r.metric());
        assertTrue(r.ipv6());
        assertTrue(r.sameKey(Route.defaultVia(7, true, 1024)));
    }
}
