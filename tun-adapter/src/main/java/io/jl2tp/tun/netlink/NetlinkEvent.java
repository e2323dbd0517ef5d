package io.jl2tp.tun.netlink;

import java.net.InetAddress;

/**
 * Link, address and route changes announced by the kernel (RTNLGRP_LINK, RTNLGRP_IPV4/6_IFADDR,
 * RTNLGRP_IPV4/6_ROUTE).
 */
public sealed interface NetlinkEvent {

    /** A link appeared, changed or was removed. */
    record LinkEvent(int ifindex, String name, boolean up, boolean running, boolean removed) implements NetlinkEvent {
    }

    /** An address was added to or removed from a link. */
    record AddressEvent(int ifindex, InetAddress address, int prefixLength, boolean added) implements NetlinkEvent {
    }

    /** A unicast route was added (or replaced) or removed. */
    record RouteEvent(Route route, boolean added) implements NetlinkEvent {
    }

    /**
     * The socket's receive buffer overran (ENOBUFS): some events were lost, so whatever the
     * listener keeps must be re-read from the kernel.
     */
    record Overrun() implements NetlinkEvent {
    }
}
