package io.jl2tp.tun;

import io.netty.buffer.ByteBuf;

import java.io.IOException;

/**
 * A layer-3 network interface of the kernel seen from user space: each read returns one IP packet
 * the kernel routed into the interface, each write injects one (the shape of wireguard-go's
 * {@code tun.Device}). Buffers carry headroom so that the caller can prepend its own headers
 * (PPP, L2TP) in place after a read, without copying the packet.
 */
public interface TunDevice extends AutoCloseable {

    /**
     * Reads one packet into {@code dst} at its writerIndex (advancing it). Blocks until a packet
     * arrives; returns the packet length, or -1 once the device is closed.
     */
    int read(ByteBuf dst) throws IOException;

    /**
     * Reads a packet into {@code dst} only if one is waiting, without blocking: the packet
     * length, 0 if none is (or the device cannot tell without blocking), -1 once closed. For a
     * reader that sends a burst's packets together ({@code SendBatch}) and must not sit on them
     * while it waits for the next. The default reads nothing.
     */
    default int readIfReady(ByteBuf dst) throws IOException {
        return 0;
    }

    /** Writes the readable bytes of {@code src} as one packet (the buffer is not released). */
    void write(ByteBuf src) throws IOException;

    /**
     * True if every read and write carries a {@link io.jl2tp.tun.offload.VnetHdr} before the packet
     * (IFF_VNET_HDR with offloads): reads may then be TCP super-packets to split with
     * {@link io.jl2tp.tun.offload.Gso}, writes go through {@link io.jl2tp.tun.offload.Gro}.
     */
    default boolean vnetHdr() {
        return false;
    }

    /**
     * True if, besides TCP, the kernel takes and hands over UDP super-packets (USO, Linux 6.2):
     * {@link io.jl2tp.tun.offload.Gro} may then merge UDP datagrams too.
     */
    default boolean udpSegmentation() {
        return false;
    }

    /** Interface name, e.g. {@code l2tp-aaisp}. */
    String name();

    /** Current MTU. */
    int mtu();

    /** Closes the device; a blocked {@link #read} returns -1. Idempotent. */
    @Override
    void close();
}
