/** The kernel side of jl2tp: a TUN network interface and rtnetlink, through JNA (no subprocesses). */
package io.jl2tp.tun;
