/** rtnetlink: addresses, routes, links and their events. */
package io.jl2tp.tun.netlink;
