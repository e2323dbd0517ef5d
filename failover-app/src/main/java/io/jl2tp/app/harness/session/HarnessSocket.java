package io.jl2tp.app.harness.session;

import io.jl2tp.app.harness.PcapWriter;
import io.jl2tp.app.harness.scenario.ControlMisbehaviour;
import io.jl2tp.app.harness.scenario.Scenario;
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
    private volatile ControlMisbehaviour misbehaviour; // set during bind, on the binding thread; null if idle

    private HarnessSocket(L2tpSocket socket, PcapWriter pcap) {
        this.socket = socket;
        this.pcap = pcap;
    }

    /**
     * What the harness LNS and LAC open: a socket on {@code local} whose sends pass the
     * scenario's {@link ControlMisbehaviour}, recording to {@code pcapFile} (nullable).
     *
     * @throws IOException naming {@code local} if the pcap file or the socket cannot be opened
     */
    public static HarnessSocket open(InetSocketAddress local, java.nio.file.Path pcapFile, Scenario scenario,
                                     String threadName) throws IOException, InterruptedException {
        PcapWriter pcap = pcapFile == null ? null : PcapWriter.create(pcapFile);
        ControlMisbehaviour[] m = new ControlMisbehaviour[1];
        HarnessSocket s;
        try {
            s = bind(local, pcap, (loop, sink) -> {
                m[0] = new ControlMisbehaviour(scenario, loop, sink);
                return m[0].idle() ? sink : m[0];
            }, threadName);
        } catch (Exception e) {
            if (pcap != null) {
                pcap.close();
            }
            throw new IOException("cannot bind " + local + ": " + e.getMessage(), e);
        }
        s.misbehaviour = m[0] != null && !m[0].idle() ? m[0] : null;
        return s;
    }

    /** What the scenario's control-message misbehaviour did so far; empty if it does nothing. */
    public java.util.Map<String, Long> misbehaviourCounters() {
        ControlMisbehaviour m = misbehaviour;
        return m == null ? java.util.Map.of() : m.counters();
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
