package io.jl2tp.tun.netlink;

import java.net.InetAddress;

/** Link and address changes announced by the kernel (RTNLGRP_LINK, RTNLGRP_IPV4/6_IFADDR). */
public sealed interface NetlinkEvent {

    /** A link appeared, changed or was removed. */
    record LinkEvent(int ifindex, String name, boolean up, boolean running, boolean removed) implements NetlinkEvent {
    }

    /** An address was added to or removed from a link. */
    record AddressEvent(int ifindex, InetAddress address, int prefixLength, boolean added) implements NetlinkEvent {
    }
}
