package io.jl2tp.l2tp.tunnel;

import io.jl2tp.l2tp.wire.ControlMessage;
import io.jl2tp.l2tp.wire.DataHeader;
import io.jl2tp.l2tp.wire.HiddenAvpContext;
import io.jl2tp.l2tp.wire.L2tpCodec;
import io.jl2tp.l2tp.wire.L2tpProtocolException;
import io.jl2tp.l2tp.wire.MessageType;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * All tunnels on one UDP socket, in either role: the LAC side ({@link #connect}) and, when
 * {@link #serve} was called, the LNS side accepting SCCRQs. It demultiplexes datagrams by Tunnel
 * ID, enforces the source rules (§8.1: only the tunnel's peer; the LAC follows the LNS's port),
 * drops datagrams for tunnels it does not own (old tunnels' retransmissions), and counts every
 * drop. Netty-free: the {@code netty} package binds it to a socket; tests drive it directly in
 * virtual time.
 *
 * <p>Everything but {@link Session#send} runs on {@link #loop()}.
 */
public final class L2tpEndpoint {

    private static final Logger log = LoggerFactory.getLogger(L2tpEndpoint.class);

    private final ScheduledExecutorService loop;
    private final LongSupplier nanoClock;
    private final ByteBufAllocator alloc;
    private final DatagramSink sink;
    private final Random random;
    private final Map<Integer, Tunnel> tunnels = new HashMap<>();
    private final Set<Integer> sessionIds = new HashSet<>();
    private final DataHeader dataHeader = new DataHeader();
    private long callSerial;

    private TunnelConfig serverConfig;
    private HiddenAvpContext serverHidden = HiddenAvpContext.NONE;
    private SessionAcceptor acceptor;
    private Consumer<L2tpEvent> serverEvents;

    private long droppedMalformed;
    private long droppedForeign;
    private long droppedUnknownTunnel;
    private long droppedUnknownSession;

    /**
     * @param loop      the event loop (Netty EventLoop, or a VirtualScheduler in tests)
     * @param nanoClock monotonic nanoseconds of the same time base as {@code loop}
     * @param alloc     buffer allocator for outgoing control messages
     * @param sink      where datagrams go
     * @param random    source of tunnel/session ids, challenges and tie breakers
     */
    public L2tpEndpoint(ScheduledExecutorService loop, LongSupplier nanoClock, ByteBufAllocator alloc, DatagramSink sink,
                        Random random) {
        this.loop = loop;
        this.nanoClock = nanoClock;
        this.alloc = alloc;
        this.sink = sink;
        this.random = random;
        this.callSerial = random.nextInt(1 << 16);
    }

    /** An endpoint with a SecureRandom. */
    public L2tpEndpoint(ScheduledExecutorService loop, LongSupplier nanoClock, ByteBufAllocator alloc, DatagramSink sink) {
        this(loop, nanoClock, alloc, sink, new SecureRandom());
    }

    /** The event loop that owns this endpoint. */
    public ScheduledExecutorService loop() {
        return loop;
    }

    ByteBufAllocator alloc() {
        return alloc;
    }

    DatagramSink sink() {
        return sink;
    }

    Random random() {
        return random;
    }

    long nanoTime() {
        return nanoClock.getAsLong();
    }

    long nextCallSerial() {
        callSerial = (callSerial + 1) & 0xFFFFFFFFL;
        return callSerial;
    }

    // ---- roles ----

    /** LAC: opens a control connection to {@code lns} (sends SCCRQ). Event loop. */
    public Tunnel connect(InetSocketAddress lns, TunnelConfig config, Consumer<L2tpEvent> events) {
        Tunnel t = new Tunnel(this, true, allocateTunnelId(), lns, config, events);
        tunnels.put(t.localId(), t);
        t.start();
        return t;
    }

    /** LNS: accept control connections with {@code config}; {@code acceptor} decides on calls. */
    public void serve(TunnelConfig config, SessionAcceptor acceptor, Consumer<L2tpEvent> events) {
        this.serverConfig = config;
        this.serverHidden = HiddenAvpContext.of(config.secret());
        this.acceptor = acceptor;
        this.serverEvents = events;
    }

    FrameReceiver acceptSession(Session s) {
        return acceptor == null ? null : acceptor.accept(s);
    }

    /** Tunnels currently known (including lingering ones). */
    public List<Tunnel> tunnels() {
        return List.copyOf(tunnels.values());
    }

    // ---- ids: random, non-zero, never reused while an old one lingers ----

    int allocateTunnelId() {
        for (int i = 0; i < 1_000_000; i++) {
            int id = 1 + random.nextInt(0xFFFF);
            if (!tunnels.containsKey(id)) {
                return id;
            }
        }
        throw new IllegalStateException("no free tunnel id");
    }

    int allocateSessionId(Tunnel t) {
        for (int i = 0; i < 1_000_000; i++) {
            int id = 1 + random.nextInt(0xFFFF);
            if (sessionIds.add(id)) {
                return id;
            }
        }
        throw new IllegalStateException("no free session id");
    }

    void releaseSessionId(Tunnel t, int id) {
        sessionIds.remove(id);
    }

    void remove(Tunnel t) {
        tunnels.remove(t.localId(), t);
    }

    // ---- outbound ----

    void sendControl(Tunnel t, ControlMessage msg) {
        ByteBuf buf = alloc.buffer(128);
        try {
            L2tpCodec.encodeControl(msg, buf, t.hidden());
        } catch (RuntimeException e) {
            buf.release();
            throw e;
        }
        sink.send(buf, t.peer());
    }

    // ---- inbound ----

    /**
     * One received datagram (event loop). Takes ownership of {@code buf}: it is released here
     * unless handed to a session's frame receiver.
     */
    public void datagram(ByteBuf buf, InetSocketAddress sender) {
        try {
            if (!L2tpCodec.isControl(buf)) {
                dataMessage(buf, sender);
                return;
            }
            controlMessage(buf, sender);
        } catch (RuntimeException e) {
            // Never let one datagram take the endpoint down; this is a bug if it happens.
            log.error("unexpected failure handling a datagram from {}", format(sender), e);
            if (buf.refCnt() > 0) {
                buf.release();
            }
        }
    }

    private void dataMessage(ByteBuf buf, InetSocketAddress sender) {
        DataHeader h;
        try {
            h = dataHeader.decode(buf);
        } catch (L2tpProtocolException e) {
            droppedMalformed++;
            log.debug("malformed data message from {}: {}", format(sender), e.getMessage());
            buf.release();
            return;
        }
        Tunnel t = tunnels.get(h.tunnelId);
        if (t == null) {
            droppedUnknownTunnel++;
            buf.release();
            return;
        }
        if (!t.acceptsFrom(sender)) {
            droppedForeign++;
            buf.release();
            return;
        }
        t.touch();
        Session s = t.session(h.sessionId);
        if (s == null) {
            droppedUnknownSession++;
            buf.release();
            return;
        }
        s.receiveData(buf, h);
    }

    private void controlMessage(ByteBuf buf, InetSocketAddress sender) {
        try {
            int tid = L2tpCodec.peekTunnelId(buf);
            Tunnel t = tid > 0 ? tunnels.get(tid) : null;
            if (tid > 0 && t == null) {
                droppedUnknownTunnel++;
                log.debug("control message for unknown tunnel {} from {} dropped", tid, format(sender));
                return;
            }
            if (t != null && !t.acceptsFrom(sender)) {
                droppedForeign++;
                log.debug("control message for tunnel {} from foreign source {} dropped", tid, format(sender));
                return;
            }
            ControlMessage msg;
            try {
                msg = L2tpCodec.decodeControl(buf, t != null ? t.hidden() : serverHidden);
            } catch (L2tpProtocolException e) {
                droppedMalformed++;
                log.debug("malformed control message from {}: {}", format(sender), e.getMessage());
                return;
            }
            if (t == null) {
                t = newTunnelFor(msg, sender);
                if (t == null) {
                    return;
                }
            }
            t.input(msg);
        } finally {
            buf.release();
        }
    }

    /** A message to Tunnel ID 0: an SCCRQ (new tunnel, LNS role) or its retransmission. */
    private Tunnel newTunnelFor(ControlMessage msg, InetSocketAddress sender) {
        if (msg.isZlb() || !MessageType.SCCRQ.equals(msg.messageType())) {
            droppedUnknownTunnel++;
            log.debug("{} to tunnel 0 from {} dropped", msg.isZlb() ? "ZLB" : msg.messageType(), format(sender));
            return null;
        }
        if (serverConfig == null) {
            droppedUnknownTunnel++;
            log.debug("SCCRQ from {} dropped: not serving as LNS", format(sender));
            return null;
        }
        int assigned = msg.assignedTunnelId().orElse(-1);
        for (Tunnel existing : tunnels.values()) {
            if (!existing.isInitiator() && existing.peer().equals(sender)
                    && existing.peerAssignedIdFromSccrq() == assigned) {
                return existing; // a retransmitted SCCRQ: the transport acknowledges the duplicate
            }
        }
        if (!tieBreakerAllows(msg, sender)) {
            return null;
        }
        Tunnel t = new Tunnel(this, false, allocateTunnelId(), sender, serverConfig, serverEvents);
        tunnels.put(t.localId(), t);
        return t;
    }

    /**
     * RFC 2661 §4.4.3 Tie Breaker: if we have an SCCRQ of our own outstanding to the same peer
     * and both carry a Tie Breaker, the lower value wins; the loser's request is discarded.
     */
    private boolean tieBreakerAllows(ControlMessage sccrq, InetSocketAddress sender) {
        var theirs = sccrq.find(io.jl2tp.l2tp.wire.AvpType.TIE_BREAKER);
        if (theirs == null) {
            return true;
        }
        for (Tunnel ours : tunnels.values()) {
            if (ours.isInitiator() && ours.state() == Tunnel.State.WAIT_CTL_REPLY && ours.tieBreaker() != null
                    && ours.peer().getAddress().equals(sender.getAddress())) {
                int cmp = Arrays.compareUnsigned(ours.tieBreaker(), theirs.bytes());
                if (cmp < 0) {
                    log.info("tie breaker: our SCCRQ to {} wins, theirs discarded", format(sender));
                    return false;
                }
                log.info("tie breaker: the SCCRQ from {} wins, ours (tunnel {}) discarded", format(sender), ours.localId());
                ours.abandon("lost the tie breaker to the peer's SCCRQ");
            }
        }
        return true;
    }

    /** Clean teardown of every tunnel (StopCCN each). Event loop. */
    public void closeAll(String reason) {
        for (Tunnel t : List.copyOf(tunnels.values())) {
            t.close(reason);
        }
    }

    /** Datagrams dropped as malformed. */
    public long droppedMalformed() {
        return droppedMalformed;
    }

    /** Datagrams dropped because they came from an address other than the tunnel's peer. */
    public long droppedForeign() {
        return droppedForeign;
    }

    /** Datagrams dropped because their tunnel id is not ours (or 0 and not an SCCRQ). */
    public long droppedUnknownTunnel() {
        return droppedUnknownTunnel;
    }

    /** Data messages dropped because their session id is not ours. */
    public long droppedUnknownSession() {
        return droppedUnknownSession;
    }

    static String format(InetSocketAddress a) {
        if (a == null) {
            return "?";
        }
        String host = a.getAddress() != null ? a.getAddress().getHostAddress() : a.getHostString();
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + a.getPort();
    }
}
