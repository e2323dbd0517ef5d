package io.jl2tp.app.harness.session;

import io.jl2tp.app.harness.PcapWriter;
import io.jl2tp.l2tp.tunnel.DatagramSink;
import io.jl2tp.l2tp.tunnel.L2tpEndpoint;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.DatagramPacket;
import io.netty.channel.socket.nio.NioDatagramChannel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.BiFunction;

/**
 * The harness's UDP socket: an {@link L2tpEndpoint} on one Netty event loop, like l2tp-core's
 * {@code L2tpSocket}, but with the two seams a test tool needs — every datagram received and
 * sent is written to an optional {@link PcapWriter}, and outgoing datagrams pass a filter first
 * (the scenario's {@code ControlMisbehaviour}). All sends happen on the event loop: the harness
 * has no TUN reader threads, its user-space sessions answer on the loop.
 *
 * <p>Threads: the event loop owns the endpoint; {@link #call} runs work there; {@link #close}
 * from any other thread.
 */
public final class HarnessSocket implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(HarnessSocket.class);

    private final EventLoopGroup group;
    private final Channel channel;
    private final L2tpEndpoint endpoint;
    private final PcapWriter pcap;

    private HarnessSocket(EventLoopGroup group, Channel channel, L2tpEndpoint endpoint, PcapWriter pcap) {
        this.group = group;
        this.channel = channel;
        this.endpoint = endpoint;
        this.pcap = pcap;
    }

    /**
     * Binds {@code local}; {@code filter} wraps the socket's sink, given the event loop;
     * {@code pcap} (nullable) records both directions and is closed with the socket.
     */
    public static HarnessSocket bind(InetSocketAddress local, PcapWriter pcap,
                                     BiFunction<ScheduledExecutorService, DatagramSink, DatagramSink> filter,
                                     String threadName) throws InterruptedException {
        EventLoopGroup group = new NioEventLoopGroup(1, r -> {
            Thread t = new Thread(r, threadName);
            t.setDaemon(true);
            return t;
        });
        Holder holder = new Holder();
        Bootstrap b = new Bootstrap().group(group).channel(NioDatagramChannel.class)
                .option(ChannelOption.ALLOCATOR, PooledByteBufAllocator.DEFAULT)
                .option(ChannelOption.SO_RCVBUF, 8 << 20)
                .option(ChannelOption.SO_SNDBUF, 8 << 20)
                .handler(new Inbound(holder, pcap));
        Channel ch;
        try {
            ch = b.bind(local).sync().channel();
        } catch (Exception e) {
            group.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS);
            throw e;
        }
        InetSocketAddress self = (InetSocketAddress) ch.localAddress();
        DatagramSink wire = (buf, to) -> {
            if (pcap != null) {
                record(pcap, self, to, buf);
            }
            ch.writeAndFlush(new DatagramPacket(buf, to), ch.voidPromise());
        };
        L2tpEndpoint endpoint = new L2tpEndpoint(ch.eventLoop(), System::nanoTime, PooledByteBufAllocator.DEFAULT,
                filter.apply(ch.eventLoop(), wire));
        holder.endpoint = endpoint;
        return new HarnessSocket(group, ch, endpoint, pcap);
    }

    static void record(PcapWriter pcap, InetSocketAddress from, InetSocketAddress to, ByteBuf buf) {
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
        return new InetSocketAddress(like.getAddress() instanceof java.net.Inet6Address ? "::" : "0.0.0.0", port);
    }

    /** The endpoint; call it on {@link #loop()}. */
    public L2tpEndpoint endpoint() {
        return endpoint;
    }

    /** The event loop. */
    public EventLoop loop() {
        return channel.eventLoop();
    }

    /** The bound address. */
    public InetSocketAddress localAddress() {
        return (InetSocketAddress) channel.localAddress();
    }

    /** Runs {@code body} on the loop. */
    public <T> CompletableFuture<T> call(Callable<T> body) {
        CompletableFuture<T> f = new CompletableFuture<>();
        loop().execute(() -> {
            try {
                f.complete(body.call());
            } catch (Throwable t) {
                f.completeExceptionally(t);
            }
        });
        return f;
    }

    /**
     * Closes every tunnel (StopCCN) and waits up to {@code graceMillis} for the peer's
     * acknowledgements, then closes the socket and the pcap file. Not on the loop.
     */
    public void close(String reason, long graceMillis) {
        try {
            call(() -> {
                endpoint.closeAll(reason);
                return null;
            }).get(graceMillis, TimeUnit.MILLISECONDS);
            long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(graceMillis);
            while (System.nanoTime() < deadline && call(() -> endpoint.tunnels().stream()
                    .anyMatch(t -> !t.transport().idle())).get(graceMillis, TimeUnit.MILLISECONDS)) {
                Thread.sleep(20);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            log.debug("shutdown: {}", e.toString());
        }
        channel.close().awaitUninterruptibly(1000);
        group.shutdownGracefully(0, 200, TimeUnit.MILLISECONDS).awaitUninterruptibly(2000);
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

    private static final class Holder {
        volatile L2tpEndpoint endpoint;
    }

    private static final class Inbound extends SimpleChannelInboundHandler<DatagramPacket> {
        private final Holder holder;
        private final PcapWriter pcap;

        Inbound(Holder holder, PcapWriter pcap) {
            super(false);
            this.holder = holder;
            this.pcap = pcap;
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, DatagramPacket p) {
            if (pcap != null) {
                record(pcap, p.sender(), p.recipient() == null ? (InetSocketAddress) ctx.channel().localAddress() : p.recipient(),
                        p.content());
            }
            L2tpEndpoint e = holder.endpoint;
            if (e == null) {
                p.release();
                return;
            }
            e.datagram(p.content(), p.sender());
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            log.debug("socket: {}", cause.toString());
        }
    }
}
