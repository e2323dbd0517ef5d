package io.jl2tp.l2tp.netty;

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
import io.netty.channel.FixedRecvByteBufAllocator;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.epoll.EpollEventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.DatagramPacket;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.jl2tp.l2tp.util.RateLimiter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * An L2TP endpoint on a UDP socket: Netty with the epoll transport where available, NIO
 * otherwise. One event loop owns the socket and the endpoint's whole control plane.
 *
 * <pre>
 *  UDP ─► InboundHandler (event loop) ─► L2tpEndpoint.datagram ─► tunnels / sessions
 *  tunnels, Session.send ─► DatagramSink ─► channel.writeAndFlush(DatagramPacket)   (on the event loop)
 *  Session.send (TUN reader thread) ─► DatagramSink ─► sendto(2) on that thread        (epoll)
 * </pre>
 *
 * A LAC binds an ephemeral port by default (xl2tpd's fixed 1701 breaks two clients behind one
 * NAT); an LNS binds its service port (1701).
 */
public final class L2tpSocket implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(L2tpSocket.class);

    /** The IANA port of L2TP. */
    public static final int L2TP_PORT = 1701;

    /** The longest datagram received whole (recvmmsg slots): a 9000-octet PPP frame plus headers. */
    static final int MAX_DATAGRAM = 9216;

    private final EventLoopGroup group;
    private final Channel channel;
    private final L2tpEndpoint endpoint;
    private final SendErrors sendErrors;

    private final DirectSend direct; // null without epoll
    private final DatagramSink endpointSink; // the sink before any tap or filter

    private L2tpSocket(EventLoopGroup group, Channel channel, L2tpEndpoint endpoint, SendErrors sendErrors,
            DirectSend direct, DatagramSink endpointSink) {
        this.group = group;
        this.endpointSink = endpointSink;
        this.channel = channel;
        this.endpoint = endpoint;
        this.sendErrors = sendErrors;
        this.direct = direct;
    }

    /**
     * Failed sends. "Network is unreachable" / "No route to host" means the peer (for a LAC: the
     * LNS) cannot be reached at all — the operator needs to see that, so it is logged at WARN
     * (rate-limited: a TUN reader can fail thousands of times a second); other failures (a port
     * unreachable after an ICMP error, a closed socket) at DEBUG. Counted either way. Written by
     * the event loop and the TUN reader thread, hence the lock around the limiter.
     */
    static final class SendErrors {
        private final RateLimiter warnings = new RateLimiter(System::nanoTime, 1, 5);
        private final java.util.concurrent.atomic.LongAdder failed = new java.util.concurrent.atomic.LongAdder();
        private final java.util.concurrent.atomic.LongAdder unreachable = new java.util.concurrent.atomic.LongAdder();

        void failed(Object to, Throwable e) {
            failed.increment();
            if (isUnreachable(e)) {
                unreachable.increment();
                boolean log;
                long suppressed;
                synchronized (this) {
                    log = warnings.tryAcquire();
                    suppressed = log ? warnings.takeSuppressed() : 0;
                }
                if (log) {
                    L2tpSocket.log.warn("cannot send to {}: {}{}", to, e.getMessage(),
                            suppressed > 0 ? " (" + suppressed + " more not logged)" : "");
                }
            } else {
                L2tpSocket.log.debug("send to {}: {}", to, e.toString());
            }
        }

        static boolean isUnreachable(Throwable e) {
            for (Throwable t = e; t != null; t = t.getCause()) {
                String m = t.getMessage();
                if (m != null && (m.contains("Network is unreachable") || m.contains("No route to host"))) {
                    return true;
                }
            }
            return false;
        }
    }

    /** Datagrams that could not be sent (all causes). */
    public long sendFailures() {
        return sendErrors.failed.sum();
    }

    /** Datagrams that could not be sent because the network or host is unreachable. */
    public long unreachableSends() {
        return sendErrors.unreachable.sum();
    }

    /** True if the native epoll transport is in use on this machine. */
    public static boolean epoll() {
        return Epoll.isAvailable();
    }

    /**
     * Binds a UDP socket to {@code local} (port 0 = ephemeral) on a new single-threaded event
     * loop. The socket is created on the calling thread, so a caller inside a network namespace
     * (setns) gets a socket in that namespace.
     */
    public static L2tpSocket bind(InetSocketAddress local) throws InterruptedException {
        return bind(local, SocketWiring.DEFAULT);
    }

    /** As {@link #bind(InetSocketAddress)}, wired as {@code wiring} says (thread name, buffers, tap, filter). */
    public static L2tpSocket bind(InetSocketAddress local, SocketWiring wiring) throws InterruptedException {
        boolean native_ = Epoll.isAvailable();
        java.util.concurrent.ThreadFactory tf = r -> {
            Thread t = new Thread(r, wiring.threadName());
            t.setDaemon(true);
            return t;
        };
        EventLoopGroup group = native_ ? new EpollEventLoopGroup(1, tf) : new NioEventLoopGroup(1, tf);
        Holder holder = new Holder();
        SendErrors errors = new SendErrors();
        // An IPv4 address gets an AF_INET socket: Netty's default is a dual-stack AF_INET6 one, whose
        // sends to an IPv4 peer take the IPv6 path first (udpv6_sendmsg, v4-mapped addresses).
        io.netty.channel.socket.InternetProtocolFamily family = local.getAddress() instanceof java.net.Inet4Address
                ? io.netty.channel.socket.InternetProtocolFamily.IPv4 : null;
        Bootstrap b = new Bootstrap().group(group)
                .channelFactory(native_ ? () -> family == null ? new EpollDatagramChannel() : new EpollDatagramChannel(family)
                        : () -> family == null ? new NioDatagramChannel() : new NioDatagramChannel(family))
                .option(ChannelOption.ALLOCATOR, PooledByteBufAllocator.DEFAULT)
                .option(ChannelOption.SO_RCVBUF, wiring.socketBuffer())
                .option(ChannelOption.SO_SNDBUF, wiring.socketBuffer())
                .handler(new InboundHandler(holder, errors, wiring.tap()));
        if (native_) {
            // recvmmsg(2): up to 16 datagrams per system call, each a slice of one pooled buffer.
            // A datagram longer than MAX_DATAGRAM is truncated by the kernel (and then rejected
            // by the codec); PPP over L2TP with a jumbo MRU of 9000 still fits.
            b.option(EpollChannelOption.MAX_DATAGRAM_PAYLOAD_SIZE, MAX_DATAGRAM)
                    .option(ChannelOption.RCVBUF_ALLOCATOR, new FixedRecvByteBufAllocator(MAX_DATAGRAM * 16));
        }
        Channel ch;
        try {
            ch = b.bind(local).sync().channel();
        } catch (Exception e) {
            group.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS);
            throw e;
        }
        EventLoop loop = ch.eventLoop();
        DirectSend direct = ch instanceof EpollDatagramChannel epoll
                ? DirectSend.of((io.netty.channel.unix.Socket) epoll.fd()) : null;
        DatagramSink sink = sink(ch, errors, direct);
        DatagramSink base = sink;
        if (wiring.tap() != null) {
            SocketWiring.Tap tap = wiring.tap();
            InetSocketAddress self = (InetSocketAddress) ch.localAddress();
            DatagramSink inner = sink;
            sink = (buf, to) -> {
                tap.sent(buf, self, to);
                inner.send(buf, to);
            };
        }
        if (wiring.filter() != null) {
            sink = wiring.filter().apply(loop, sink);
        }
        L2tpEndpoint endpoint = new L2tpEndpoint(loop, System::nanoTime, PooledByteBufAllocator.DEFAULT, sink);
        holder.endpoint = endpoint;
        log.debug("L2TP socket bound to {} ({})", ch.localAddress(), native_ ? "epoll" : "nio");
        return new L2tpSocket(group, ch, endpoint, errors, direct, base);
    }

    /**
     * Connects the socket to {@code peer}, for a socket that serves one tunnel (a LAC's): the
     * peer's address and port are fixed once its first reply is in (RFC 2661 §8.1: they "MUST
     * remain static for the life of the tunnel"). The kernel then keeps the route (no lookup per
     * datagram sent, as on an unconnected socket, and the receiving side's early demultiplexing
     * finds it), drops datagrams from anyone else, and data messages to {@code peer} leave with
     * write(2). Control messages still name their destination. With epoll only (the NIO
     * fallback's connected channel refuses other destinations); otherwise nothing happens.
     * Call on the event loop.
     */
    public void connect(InetSocketAddress peer) {
        if (direct == null || !(channel instanceof EpollDatagramChannel) || peer.isUnresolved()) {
            return;
        }
        channel.connect(peer).addListener(f -> {
            if (f.isSuccess()) {
                direct.connected = peer;
                log.debug("L2TP socket {} connected to {}", channel.localAddress(), peer);
            } else {
                log.debug("L2TP socket {}: connect to {}: {}", channel.localAddress(), peer, f.cause().toString());
            }
        });
    }

    /**
     * Where datagrams go. On the event loop (control messages, the LNS's replies): through the
     * channel. From any other thread — the TUN reader, which sends every data message — with
     * epoll: straight to the socket with one sendto(2) on that thread, instead of a task and a
     * wake-up of the event loop per packet (with recvmmsg below, this took the tunnel from 0.8×
     * to 1.05× a C relay's throughput: docs/benchmarks.md). UDP datagrams
     * are atomic, so these never interleave with the loop's own writes; a full send buffer
     * (EAGAIN) falls back to the channel, which waits for EPOLLOUT.
     */
    private static DatagramSink sink(Channel ch, SendErrors errors, DirectSend direct) {
        DatagramSink viaChannel = new LoopWrites(ch);
        return direct == null ? viaChannel : new DirectSink(ch.eventLoop(), viaChannel, errors, direct);
    }

    /**
     * The sink of an epoll socket (see {@link #sink}): the event loop's sends through the channel,
     * other threads' straight to the socket, or into their {@link SendBatch} where one is open.
     */
    static final class DirectSink implements DatagramSink {
        private final EventLoop loop;
        private final DatagramSink viaChannel;
        private final SendErrors errors;
        private final DirectSend direct;
        private volatile boolean gso = true;
        private volatile int longestSegment = SendBatch.CAPACITY;
        // Written by the batching threads (an LNS may have several): the counts are for tests and
        // statistics, and a lost increment between two threads costs nothing.
        private int refusals;
        private volatile long runs;        // sendmmsg calls that carried a segmented run
        private volatile long runDatagrams; // the datagrams those carried

        DirectSink(EventLoop loop, DatagramSink viaChannel, SendErrors errors, DirectSend direct) {
            this.loop = loop;
            this.viaChannel = viaChannel;
            this.errors = errors;
            this.direct = direct;
        }

        @Override
        public void send(ByteBuf buf, InetSocketAddress to) {
            if (loop.inEventLoop() || !buf.hasMemoryAddress()) {
                viaChannel.send(buf, to);
                return;
            }
            SendBatch batch = SendBatch.current();
            if (batch != null && batch.add(this, buf, to)) {
                return;
            }
            sendAlone(buf, to, false);
        }

        /**
         * One datagram now, on this thread: released here, or handed to the channel on EAGAIN — a
         * copy of it if it is {@code borrowed} (a slice of a {@link SendBatch}'s buffer, which is
         * written again as soon as this returns).
         */
        void sendAlone(ByteBuf buf, InetSocketAddress to, boolean borrowed) {
            int sent;
            try {
                sent = direct.send(buf, to);
            } catch (java.io.IOException e) {
                buf.release(); // ECONNREFUSED after an ICMP error, ENETUNREACH, closed: the datagram is lost, as on the loop
                errors.failed(to, e);
                return;
            }
            if (sent == 0 && buf.isReadable()) { // EAGAIN
                if (borrowed) {
                    ByteBuf copy = PooledByteBufAllocator.DEFAULT.directBuffer(buf.readableBytes()).writeBytes(buf);
                    buf.release();
                    buf = copy;
                }
                viaChannel.send(buf, to);
            } else {
                buf.release();
            }
        }

        boolean gso() {
            return gso;
        }

        /** The longest datagram that may go into a run. */
        int longestSegment() {
            return longestSegment;
        }

        /** A segmented run: octets sent, 0 on EAGAIN. */
        int sendSegmented(SendBatch batch, ByteBuf buf, int len, int segment, InetSocketAddress to)
                throws java.io.IOException {
            InetSocketAddress peer = direct.connected;
            boolean connected = peer != null && (peer == to || peer.equals(to));
            int res = batch.sendmmsg(direct.fd, direct.ipv6, // as the channel's own sendmmsg: the socket's family
                    buf, len, segment, connected ? null : to);
            return Math.max(res, 0);
        }

        void segmented(int datagrams) {
            runs++;
            runDatagrams += datagrams;
        }

        /**
         * The kernel would not segment a run of {@code segment}-octet datagrams. EMSGSIZE: longer
         * than the path MTU, which only separate sends can fragment — datagrams that long are not
         * batched again (the path's MTU is what it is), the rest still are. Anything else counts
         * towards giving up on segmentation for this socket.
         */
        void refused(java.io.IOException e, int segment) {
            if (e instanceof io.netty.channel.unix.Errors.NativeIoException nio && -nio.expectedErr() == 90) {
                longestSegment = Math.min(longestSegment, segment - 1);
                log.debug("UDP segmentation: datagrams of {} octets exceed the path MTU, sent one at a time", segment);
                return;
            }
            if (++refusals == SendBatch.REFUSALS_BEFORE_OFF) {
                gso = false;
                log.info("UDP segmentation refused {} times ({}): L2TP data datagrams go one at a time",
                        refusals, e.getMessage());
            } else {
                log.debug("UDP segmentation refused: {}", e.getMessage());
            }
        }

        void failed(InetSocketAddress to, java.io.IOException e, int datagrams) {
            for (int i = 0; i < datagrams; i++) {
                errors.failed(to, e);
            }
        }
    }

    /** The sink data messages go to (before any tap or filter): for tests. */
    DatagramSink dataSink() {
        return endpointSink;
    }

    /** Segmented sends ({@link SendBatch}): runs sent, and the datagrams they carried; zeros without epoll. */
    public long[] segmentedSends() {
        return endpointSink instanceof DirectSink d ? new long[] {d.runs, d.runDatagrams} : new long[2];
    }

    /**
     * sendto(2) from a data thread without allocating: Netty's public {@code sendToAddress} turns
     * the {@code InetAddress} into a fresh byte array (two for IPv4 on a dual-stack socket) on
     * every call; here each thread keeps the last destination's octets and calls the same JNI
     * function with them. Where that function is not reachable (another Netty), the public one.
     */
    static final class DirectSend {
        private static final java.lang.invoke.MethodHandle SEND_TO_ADDRESS;
        private static final java.lang.invoke.MethodHandle IPV6;

        static {
            java.lang.invoke.MethodHandle send = null;
            java.lang.invoke.MethodHandle ipv6 = null;
            try {
                java.lang.invoke.MethodHandles.Lookup l = java.lang.invoke.MethodHandles.privateLookupIn(
                        io.netty.channel.unix.Socket.class, java.lang.invoke.MethodHandles.lookup());
                send = l.findStatic(io.netty.channel.unix.Socket.class, "sendToAddress",
                        java.lang.invoke.MethodType.methodType(int.class, int.class, boolean.class, long.class,
                                int.class, int.class, byte[].class, int.class, int.class, int.class));
                ipv6 = l.findGetter(io.netty.channel.unix.Socket.class, "ipv6", boolean.class);
            } catch (ReflectiveOperationException | RuntimeException e) {
                log.debug("data sends through Netty's public sendToAddress: {}", e.toString());
            }
            SEND_TO_ADDRESS = send;
            IPV6 = ipv6;
        }

        /** The last destination a thread sent to, as the socket wants its octets. */
        private record Dest(InetSocketAddress to, byte[] addr, int scopeId, boolean v6) {
        }

        final int fd;
        final boolean ipv6;
        private final io.netty.channel.unix.Socket socket;
        private final io.netty.channel.unix.Socket fallback; // when the JNI function is not reachable
        private final ThreadLocal<Dest> last = new ThreadLocal<>();
        /** The peer the socket is connected to ({@link L2tpSocket#connect}); null: none. */
        volatile InetSocketAddress connected;

        private DirectSend(io.netty.channel.unix.Socket socket, boolean ipv6, boolean direct) {
            this.socket = socket;
            this.fd = socket.intValue();
            this.ipv6 = ipv6;
            this.fallback = direct ? null : socket;
        }

        static DirectSend of(io.netty.channel.unix.Socket socket) {
            if (SEND_TO_ADDRESS == null) {
                return new DirectSend(socket, false, false);
            }
            try {
                return new DirectSend(socket, (boolean) IPV6.invokeExact(socket), true);
            } catch (Throwable t) {
                return new DirectSend(socket, false, false);
            }
        }

        /** Bytes sent; 0 on EAGAIN. */
        int send(ByteBuf buf, InetSocketAddress to) throws java.io.IOException {
            InetSocketAddress peer = connected;
            if (peer != null && (peer == to || peer.equals(to))) {
                // write(2) on the connected socket: the kernel's cached route, no address to copy in.
                return socket.writeAddress(buf.memoryAddress(), buf.readerIndex(), buf.writerIndex());
            }
            if (fallback != null) {
                return fallback.sendToAddress(buf.memoryAddress(), buf.readerIndex(), buf.writerIndex(),
                        to.getAddress(), to.getPort());
            }
            Dest d = last.get();
            if (d == null || d.to != to) {
                d = dest(to);
                last.set(d);
            }
            int res;
            try {
                res = (int) SEND_TO_ADDRESS.invokeExact(fd, d.v6, buf.memoryAddress(), buf.readerIndex(),
                        buf.writerIndex(), d.addr, d.scopeId, to.getPort(), 0);
            } catch (java.io.IOException | RuntimeException | Error e) {
                throw e;
            } catch (Throwable t) {
                throw new java.io.IOException(t);
            }
            return res >= 0 ? res : io.netty.channel.unix.Errors.ioResult("sendToAddress", res);
        }

        private Dest dest(InetSocketAddress to) {
            InetAddress a = to.getAddress();
            byte[] b = a.getAddress();
            int scope = a instanceof Inet6Address v6 ? v6.getScopeId() : 0;
            // An IPv4 address always travels as ::ffff:a.b.c.d (RFC 4291 §2.5.5.2), as Netty's public
            // method passes it: on an AF_INET socket the native side takes the last four octets of
            // 16 (given four, it read past them: LoopbackTest lost most datagrams that way).
            if (b.length == 4) {
                byte[] m = new byte[16];
                m[10] = (byte) 0xff;
                m[11] = (byte) 0xff;
                System.arraycopy(b, 0, m, 12, 4);
                b = m;
            }
            return new Dest(to, b, scope, ipv6 || a instanceof Inet6Address); // as Socket.useIpv6
        }
    }

    /**
     * The channel writes: on the event loop, a datagram is written and the channel flushed once
     * per turn of the loop (a task queued behind the I/O being handled), so the answers to one
     * recvmmsg batch — ZLBs, ICRPs, PPP replies of many calls — leave in one sendmmsg(2) with
     * epoll instead of one sendto(2) each; the system calls were 40 % of a harness LNS's time at
     * 800 calls/s (docs/benchmarks.md). From other threads: written and flushed at once.
     */
    private static final class LoopWrites implements DatagramSink {
        private final Channel ch;
        private final EventLoop loop;
        private final Runnable flush;
        private boolean flushQueued; // event loop

        LoopWrites(Channel ch) {
            this.ch = ch;
            this.loop = ch.eventLoop();
            this.flush = () -> {
                flushQueued = false;
                ch.flush();
            };
        }

        @Override
        public void send(ByteBuf buf, InetSocketAddress to) {
            if (!loop.inEventLoop()) {
                ch.writeAndFlush(new DatagramPacket(buf, to), ch.voidPromise());
                return;
            }
            ch.write(new DatagramPacket(buf, to), ch.voidPromise());
            if (!flushQueued) {
                flushQueued = true;
                loop.execute(flush);
            }
        }
    }

    /** A wildcard local address of the family of {@code remote}, with {@code port}. */
    public static InetSocketAddress wildcardFor(InetAddress remote, int port) {
        try {
            return new InetSocketAddress(InetAddress.getByName(remote instanceof Inet6Address ? "::" : "0.0.0.0"), port);
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The endpoint; call its methods on {@link #loop()} (see {@link #call}). */
    public L2tpEndpoint endpoint() {
        return endpoint;
    }

    /** The event loop owning the socket and the control plane. */
    public EventLoop loop() {
        return channel.eventLoop();
    }

    /** The peer this socket is connected to ({@link #connect}), or null. */
    public InetSocketAddress connectedPeer() {
        return direct == null ? null : direct.connected;
    }

    /** The bound local address. */
    public InetSocketAddress localAddress() {
        return (InetSocketAddress) channel.localAddress();
    }

    /** Runs {@code body} on the event loop and returns its result. */
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
     * Clean shutdown: CDN and StopCCN for every tunnel, wait up to {@code graceMillis} for the
     * peer's acknowledgements (the endpoint completes {@link L2tpEndpoint#whenQuiet} when the
     * last is in; no polling), then close the socket.
     */
    public void close(String reason, long graceMillis) {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(graceMillis);
        try {
            CompletableFuture<Void> quiet = call(() -> {
                endpoint.closeAll(reason);
                return endpoint.whenQuiet();
            }).get(graceMillis, TimeUnit.MILLISECONDS);
            quiet.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            log.debug("shutdown: {}", e.toString());
        }
        channel.close().awaitUninterruptibly(1000);
        group.shutdownGracefully(0, 200, TimeUnit.MILLISECONDS).awaitUninterruptibly(2000);
    }

    @Override
    public void close() {
        close("shutting down", 1000);
    }

    private static final class Holder {
        volatile L2tpEndpoint endpoint;
    }

    /** Hands each datagram to the endpoint; the endpoint owns (and releases) its content. */
    private static final class InboundHandler extends SimpleChannelInboundHandler<DatagramPacket> {
        private final Holder holder;
        private final SendErrors errors;
        private final SocketWiring.Tap tap;

        InboundHandler(Holder holder, SendErrors errors, SocketWiring.Tap tap) {
            super(false);
            this.holder = holder;
            this.errors = errors;
            this.tap = tap;
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, DatagramPacket packet) {
            if (tap != null) {
                InetSocketAddress to = packet.recipient() != null ? packet.recipient()
                        : (InetSocketAddress) ctx.channel().localAddress();
                tap.received(packet.content(), packet.sender(), to);
            }
            L2tpEndpoint e = holder.endpoint;
            if (e == null) {
                packet.release();
                return;
            }
            e.datagram(packet.content(), packet.sender());
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            // Failed writes through the channel (void promise) and ICMP errors surface here; never
            // close over them.
            errors.failed("peer", cause);
        }
    }
}
