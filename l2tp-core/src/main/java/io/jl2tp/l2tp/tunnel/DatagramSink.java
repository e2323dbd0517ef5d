package io.jl2tp.l2tp.tunnel;

import io.netty.buffer.ByteBuf;

import java.net.InetSocketAddress;

/** Where an endpoint sends datagrams: a UDP socket in production, a pipe in tests. */
@FunctionalInterface
public interface DatagramSink {

    /** Sends {@code datagram} (ownership passes to the sink) to {@code recipient}. */
    void send(ByteBuf datagram, InetSocketAddress recipient);
}
