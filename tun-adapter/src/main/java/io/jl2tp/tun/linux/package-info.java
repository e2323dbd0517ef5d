/** JNA (direct mapping) bindings to libc and the Linux TUN device. */
package io.jl2tp.tun.linux;
