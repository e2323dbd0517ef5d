package io.jl2tp.tun.netlink;

import java.net.Inet6Address;
import java.net.InetAddress;

/**
 * A route as rtnetlink describes it.
 *
 * @param destination network address (null for a default route)
 * @param prefixLength prefix length (0 for default)
 * @param gateway     next hop, or null for a device route
 * @param ifindex     output interface index, 0 for none
 * @param metric      RTA_PRIORITY (the {@code metric} of ip-route); -1 in a request leaves the
 *                    attribute out. Routes read from the kernel always have one: a missing
 *                    RTA_PRIORITY is metric 0 (the kernel omits it for 0)
 * @param table       routing table (254 = main)
 * @param scopeLink   {@code scope link} (a directly connected, device-only route)
 */
public record Route(InetAddress destination, int prefixLength, InetAddress gateway, int ifindex, int metric, int table,
                    boolean scopeLink) {

    /** The main table. */
    public static final int MAIN = 254;

    /** True for IPv6 routes. */
    public boolean ipv6() {
        InetAddress a = destination != null ? destination : gateway;
        return a instanceof Inet6Address;
    }

    /** True for a default route. */
    public boolean isDefault() {
        return prefixLength == 0;
    }

    /**
     * Whether {@code other} occupies the same slot in the kernel's table — same table,
     * destination, prefix length and metric — so that adding one fails with EEXIST while the
     * other exists, whatever their next hops.
     */
    public boolean sameKey(Route other) {
        return table == other.table && prefixLength == other.prefixLength && metric == other.metric
                && java.util.Objects.equals(destination, other.destination);
    }

    /** A device-only default route: {@code default dev X scope link metric M}. */
    public static Route defaultVia(int ifindex, boolean ipv6, int metric) {
        try {
            return new Route(InetAddress.getByName(ipv6 ? "::" : "0.0.0.0"), 0, null, ifindex, metric, MAIN, true);
        } catch (java.net.UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A host route via a gateway: {@code dst/32 via gw metric M}. */
    public static Route hostVia(InetAddress dst, InetAddress gateway, int metric) {
        return new Route(dst, dst instanceof Inet6Address ? 128 : 32, gateway, 0, metric, MAIN, false);
    }

    /** How ip-route would print it (used in error messages). */
    public String describe(String ifname) {
        StringBuilder sb = new StringBuilder(prefixLength == 0 ? "default"
                : destination.getHostAddress() + "/" + prefixLength);
        if (gateway != null) {
            sb.append(" via ").append(gateway.getHostAddress());
        }
        if (ifname != null) {
            sb.append(" dev ").append(ifname);
        }
        if (scopeLink) {
            sb.append(" scope link");
        }
        if (metric >= 0) {
            sb.append(" metric ").append(metric);
        }
        if (table != MAIN) {
            sb.append(" table ").append(table);
        }
        return sb.toString();
    }
}
