package io.jl2tp.tun.netlink;

import com.code_intelligence.jazzer.junit.FuzzTest;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Jazzer target for rtnetlink message parsing (issue #11): a datagram as the event subscription
 * receives it, split into messages by {@code RtNetlink.Subscription.forEachMessage} (what its
 * reader thread calls), each parsed into a link, address or route event by
 * {@link RtNetlink#parse} (and route messages by
 * {@link RtNetlink#parseRoute}, which route dumps use). The kernel is trusted, but a parser must
 * still never throw on what it is handed: an exception here would kill the event thread.
 */
class RtNetlinkFuzzTest {

    @FuzzTest(maxDuration = "30m", maxExecutions = 1_000_000)
    void datagram(byte[] datagram) {
        ByteBuffer b = ByteBuffer.wrap(datagram).order(ByteOrder.nativeOrder());
        RtNetlink.Subscription.forEachMessage(b, datagram.length, one -> {
            check(RtNetlink.parse(one));
            short type = one.getShort(4);
            if (type == RtNetlink.RTM_NEWROUTE || type == RtNetlink.RTM_DELROUTE) {
                Route r = RtNetlink.parseRoute(one.duplicate().order(ByteOrder.nativeOrder()));
                if (r != null) {
                    r.describe("fuzz0");
                    r.ipv6();
                    r.sameKey(r);
                }
            }
        });
    }

    private static void check(NetlinkEvent e) {
        if (e == null) {
            return;
        }
        e.toString();
        if (e instanceof NetlinkEvent.LinkEvent l) {
            assertTrue(l.name() == null || l.name().indexOf('\0') < 0, "a link name with a NUL");
        } else if (e instanceof NetlinkEvent.AddressEvent a) {
            assertTrue(a.address() instanceof Inet4Address || a.address() instanceof Inet6Address);
            assertTrue(a.prefixLength() >= 0 && a.prefixLength() <= 255);
        } else if (e instanceof NetlinkEvent.RouteEvent r) {
            assertTrue(r.route() != null && r.route().destination() != null);
            r.route().describe(null);
        }
    }
}
