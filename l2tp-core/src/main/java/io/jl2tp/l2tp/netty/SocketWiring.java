package io.jl2tp.l2tp.netty;

import io.jl2tp.l2tp.tunnel.DatagramSink;
import io.netty.buffer.ByteBuf;

import java.net.InetSocketAddress;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.BiFunction;

/**
 * How an {@link L2tpSocket} is wired beyond its address: the event-loop thread's name, the
 * socket buffer sizes, and the two seams a test tool needs (the protocol harness): a
 * {@link Tap} that sees every datagram received and sent (a pcap writer), and a filter that
 * wraps the endpoint's sink (scripted drops, delays, duplicates). The daemon uses
 * {@link #DEFAULT}: no tap, no filter, so nothing is added to the packet path.
 *
 * @param threadName   the event loop's thread name
 * @param socketBuffer SO_RCVBUF and SO_SNDBUF, octets
 * @param tap          sees every datagram, or null
 * @param filter       given the event loop and the socket's sink, returns the endpoint's sink; or null
 */
public record SocketWiring(String threadName, int socketBuffer, Tap tap,
                           BiFunction<ScheduledExecutorService, DatagramSink, DatagramSink> filter) {

    /** The daemon's wiring: thread {@code l2tp-loop}, 4 MiB buffers, no tap, no filter. */
    public static final SocketWiring DEFAULT = new SocketWiring("l2tp-loop", 4 << 20, null, null);

    /**
     * Sees datagrams on the event loop (and, for data sent by a TUN reader, on that thread);
     * must not keep, release or move the buffer's indices.
     */
    public interface Tap {
        void received(ByteBuf datagram, InetSocketAddress from, InetSocketAddress to);

        void sent(ByteBuf datagram, InetSocketAddress from, InetSocketAddress to);
    }
}
