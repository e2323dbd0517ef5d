/** Tunnels and calls: the RFC 2661 §7 state machines, both roles, and the endpoint that demultiplexes them. */
package io.jl2tp.l2tp.tunnel;
