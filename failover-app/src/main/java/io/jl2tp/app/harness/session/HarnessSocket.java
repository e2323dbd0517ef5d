package io.jl2tp.app.harness.session;

import io.jl2tp.app.harness.PcapWriter;
import io.jl2tp.l2tp.netty.L2tpSocket;
import io.jl2tp.l2tp.netty.SocketWiring;
import io.jl2tp.l2tp.tunnel.DatagramSink;
import io.jl2tp.l2tp.tunnel.L2tpEndpoint;
import io.netty.buffer.ByteBuf;
import io.netty.channel.EventLoop;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.BiFunction;

/**
 * The harness's UDP socket: l2tp-core's {@link L2tpSocket} wired with the two seams a test tool
 * needs ({@link SocketWiring}) — every datagram received and sent is written to an optional
 * {@link PcapWriter}, and outgoing datagrams pass a filter first (the scenario's
 * {@code ControlMisbehaviour}). It owns the pcap file and closes it after the socket.
 *
 * <p>Threads: the event loop owns the endpoint; {@link #call} runs work there; {@link #close}
 * from any other thread.
 */
public final class HarnessSocket implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(HarnessSocket.class);

    /** The harness holds thousands of calls: larger socket buffers than the daemon's. */
    private static final int SOCKET_BUFFER = 8 << 20;

    private final L2tpSocket socket;
    private final PcapWriter pcap;

    private HarnessSocket(L2tpSocket socket, PcapWriter pcap) {
        this.socket = socket;
        this.pcap = pcap;
    }

    /**
     * Binds {@code local}; {@code filter} wraps the socket's sink, given the event loop;
     * {@code pcap} (nullable) records both directions and is closed with the socket.
     */
    public static HarnessSocket bind(InetSocketAddress local, PcapWriter pcap,
                                     BiFunction<ScheduledExecutorService, DatagramSink, DatagramSink> filter,
                                     String threadName) throws InterruptedException {
        SocketWiring.Tap tap = pcap == null ? null : new SocketWiring.Tap() {
            @Override
            public void received(ByteBuf datagram, InetSocketAddress from, InetSocketAddress to) {
                record(pcap, from, to, datagram);
            }

            @Override
            public void sent(ByteBuf datagram, InetSocketAddress from, InetSocketAddress to) {
                record(pcap, from, to, datagram);
            }
        };
        return new HarnessSocket(L2tpSocket.bind(local, new SocketWiring(threadName, SOCKET_BUFFER, tap, filter)), pcap);
    }

    private static void record(PcapWriter pcap, InetSocketAddress from, InetSocketAddress to, ByteBuf buf) {
        Instant now = Instant.now();
        try {
            // A wildcard-bound socket's own address is shown as the wildcard of the peer's family.
            InetSocketAddress src = from.getAddress().isAnyLocalAddress() ? wildcard(to, from.getPort()) : from;
            InetSocketAddress dst = to.getAddress().isAnyLocalAddress() ? wildcard(from, to.getPort()) : to;
            pcap.udp(now.getEpochSecond() * 1_000_000 + now.getNano() / 1000, src, dst, buf.nioBuffer());
        } catch (IOException | IllegalArgumentException e) {
            log.debug("pcap: {}", e.getMessage());
        }
    }

    private static InetSocketAddress wildcard(InetSocketAddress like, int port) {
        return L2tpSocket.wildcardFor(like.getAddress(), port);
    }

    /** The endpoint; call it on {@link #loop()}. */
    public L2tpEndpoint endpoint() {
        return socket.endpoint();
    }

    /** The event loop. */
    public EventLoop loop() {
        return socket.loop();
    }

    /** The bound address. */
    public InetSocketAddress localAddress() {
        return socket.localAddress();
    }

    /** Runs {@code body} on the loop. */
    public <T> CompletableFuture<T> call(Callable<T> body) {
        return socket.call(body);
    }

    /**
     * Closes every tunnel (StopCCN), waits up to {@code graceMillis} for the peer's
     * acknowledgements ({@link L2tpSocket#close(String, long)}), then closes the pcap file.
     */
    public void close(String reason, long graceMillis) {
        socket.close(reason, graceMillis);
        if (pcap != null) {
            try {
                pcap.close();
            } catch (IOException e) {
                log.warn("pcap: {}", e.getMessage());
            }
        }
    }

    @Override
    public void close() {
        close("harness shutting down", 1000);
    }
}
