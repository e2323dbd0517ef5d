package io.jl2tp.l2tp.tunnel;

import io.jl2tp.l2tp.util.RateLimiter;
import io.jl2tp.l2tp.wire.AvpType;
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
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * All tunnels on one UDP socket, in either role: the LAC side ({@link #connect}) and, when
 * {@link #serve} was called, the LNS side accepting SCCRQs. It demultiplexes datagrams by Tunnel
 * ID, enforces the source rules (§8.1: only the tunnel's peer; the LAC follows the LNS's port),
 * drops datagrams for tunnels it does not own (old tunnels' retransmissions), and counts every
 * drop. Tunnels are indexed by id and by (peer, Assigned Tunnel ID), ids come from O(1) pools,
 * half-open tunnels are capped ({@link EndpointLimits}): nothing here scans all tunnels per
 * datagram. Netty-free: the {@code netty} package binds it to a socket; tests drive it directly
 * in virtual time.
 *
 * <p>Threads: everything is owned by {@link #loop()} except {@link Session#send} (any thread)
 * and the counter getters (any thread; {@link EndpointCounters}).
 */
public final class L2tpEndpoint {

    private static final Logger log = LoggerFactory.getLogger(L2tpEndpoint.class);

    /** A tunnel the LNS answered, by who asked: (source, its Assigned Tunnel ID). */
    private record Requester(InetSocketAddress peer, int assignedId) {
    }

    private final ScheduledExecutorService loop;
    private final LongSupplier nanoClock;
    private final ByteBufAllocator alloc;
    private final DatagramSink sink;
    private final Random random;
    private final IdPool tunnelIds;
    private final IdPool sessionIds;
    private final Map<Integer, Tunnel> tunnels = new HashMap<>();
    private final Map<Requester, Tunnel> answered = new HashMap<>();
    private final Map<Tunnel, Requester> requesterOf = new HashMap<>();
    private final Map<java.net.InetAddress, List<Tunnel>> tieBreaking = new HashMap<>();
    private final HalfOpenTunnels halfOpen = new HalfOpenTunnels();
    private final DataHeader dataHeader = new DataHeader();
    private final EndpointCounters counters = new EndpointCounters();
    private final RateLimiter peerLogLimiter;
    private final List<java.util.concurrent.CompletableFuture<Void>> quietWaiters = new java.util.ArrayList<>();
    private long callSerial;
    private EndpointLimits limits = EndpointLimits.DEFAULTS;

    private TunnelConfig serverConfig;
    private HiddenAvpContext serverHidden = HiddenAvpContext.NONE;
    private SessionAcceptor acceptor;
    private Consumer<L2tpEvent> serverEvents;

    /**
     * @param loop      the event loop (Netty EventLoop, or a VirtualScheduler in tests)
     * @param nanoClock monotonic nanoseconds of the same time base as {@code loop}
     * @param alloc     buffer allocator for outgoing messages
     * @param sink      where datagrams go
     * @param random    source of tunnel/session ids, challenges and tie breakers (a SecureRandom
     *                  outside tests)
     */
    public L2tpEndpoint(ScheduledExecutorService loop, LongSupplier nanoClock, ByteBufAllocator alloc, DatagramSink sink,
                        Random random) {
        this.loop = loop;
        this.nanoClock = nanoClock;
        this.alloc = alloc;
        this.sink = sink;
        this.random = random;
        this.tunnelIds = new IdPool(random);
        this.sessionIds = new IdPool(random);
        this.callSerial = random.nextInt(1 << 16);
        // Peer-caused log lines: 20 per second sustained, bursts of 100 (issue 11).
        this.peerLogLimiter = new RateLimiter(nanoClock, 20, 100);
    }

    /** An endpoint whose ids and challenges come from a SecureRandom. */
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

    /** The caps on half-open tunnels and calls. */
    public EndpointLimits limits() {
        return limits;
    }

    /** Sets the caps on half-open tunnels and calls (event loop). */
    public void limits(EndpointLimits l) {
        this.limits = l;
    }

    /** Drops, protocol errors and evictions; readable from any thread. */
    public EndpointCounters counters() {
        return counters;
    }

    // ---- roles ----

    /** LAC: opens a control connection to {@code lns} (sends SCCRQ). Event loop. */
    public Tunnel connect(InetSocketAddress lns, TunnelConfig config, Consumer<L2tpEvent> events) {
        int id = tunnelIds.allocate();
        if (id == 0) {
            throw new IllegalStateException("no free Tunnel ID");
        }
        Tunnel t = new Tunnel(this, true, id, lns, config, events);
        tunnels.put(id, t);
        t.start();
        if (t.tieBreaker() != null) {
            tieBreaking.computeIfAbsent(lns.getAddress(), k -> new java.util.ArrayList<>()).add(t);
        }
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

    /** Tunnels not yet established (LNS role): waiting for their SCCRQ in order, or for SCCCN. */
    public int halfOpenTunnels() {
        return halfOpen.size();
    }

    // ---- ids: random among the free ones, O(1), never reused while an old one lingers ----

    /** A free Session ID, or 0 if none is left. */
    int allocateSessionId() {
        return sessionIds.allocate();
    }

    void releaseSessionId(int id) {
        sessionIds.release(id);
    }

    void remove(Tunnel t) {
        if (tunnels.remove(t.localId(), t)) {
            tunnelIds.release(t.localId());
        }
        Requester r = requesterOf.remove(t);
        if (r != null) {
            answered.remove(r, t);
        }
        halfOpen.remove(t);
        if (t.isInitiator() && t.tieBreaker() != null) {
            List<Tunnel> same = tieBreaking.get(t.peer().getAddress());
            if (same != null && same.remove(t) && same.isEmpty()) {
                tieBreaking.remove(t.peer().getAddress());
            }
        }
        transportIdle();
    }

    /**
     * Completes once no tunnel has a control message queued or unacknowledged — at once if none
     * has. For a clean shutdown: {@link #closeAll}, then wait for this (with a deadline) so the
     * peers have acknowledged our CDNs and StopCCNs. Event loop; completed on the event loop.
     */
    public java.util.concurrent.CompletableFuture<Void> whenQuiet() {
        java.util.concurrent.CompletableFuture<Void> f = new java.util.concurrent.CompletableFuture<>();
        quietWaiters.add(f);
        transportIdle();
        return f;
    }

    /** A tunnel's transport became idle, or a tunnel went: complete {@link #whenQuiet} if all are. */
    void transportIdle() {
        if (quietWaiters.isEmpty()) {
            return;
        }
        for (Tunnel t : tunnels.values()) {
            if (!t.transport().idle()) {
                return;
            }
        }
        List<java.util.concurrent.CompletableFuture<Void>> done = List.copyOf(quietWaiters);
        quietWaiters.clear();
        done.forEach(f -> f.complete(null));
    }

    /**
     * A tunnel became or stopped being half-open (LNS role: idle with its SCCRQ not yet delivered,
     * or wait-ctl-conn); over a cap, the oldest half-open one is dropped.
     */
    void halfOpenTunnel(Tunnel t, boolean open) {
        if (!open) {
            halfOpen.remove(t);
            return;
        }
        halfOpen.add(t);
        Tunnel victim;
        while ((victim = halfOpen.overCap(t, limits)) != null) {
            counters.halfOpenTunnelsEvicted.increment();
            victim.evict();
            halfOpen.remove(victim); // in case the victim could not be evicted in its state
        }
    }

    void countProtocolError() {
        counters.protocolErrors.increment();
    }

    void countUnknownSessionMessage() {
        counters.droppedUnknownSession.increment();
    }

    void countIcrqDeferred() {
        counters.icrqsDeferred.increment();
    }

    void countHalfOpenCallEvicted() {
        counters.halfOpenCallsEvicted.increment();
    }

    /** Logs one INFO line a peer caused, unless the peer-log rate limit says otherwise. */
    void peerLog(Logger logger, String format, Object... args) {
        if (!logger.isInfoEnabled()) {
            return; // a line that would not be printed neither spends the budget nor counts as suppressed
        }
        if (!peerLogLimiter.tryAcquire()) {
            counters.suppressedLogLines.increment();
            return;
        }
        long suppressed = peerLogLimiter.takeSuppressed();
        if (suppressed > 0) {
            log.warn("{} log lines caused by peers were suppressed (rate limit)", suppressed);
        }
        logger.info(format, args);
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
            counters.internalErrors.increment();
            if (peerLogLimiter.tryAcquire()) {
                log.error("unexpected failure handling a datagram from {}", format(sender), e);
            }
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
            counters.countMalformed(e.kind());
            log.debug("malformed data message from {}: {}", format(sender), e.getMessage());
            buf.release();
            return;
        }
        Tunnel t = tunnels.get(h.tunnelId);
        if (t == null) {
            counters.droppedUnknownTunnel.increment();
            buf.release();
            return;
        }
        if (!t.acceptsFrom(sender)) {
            counters.droppedForeign.increment();
            buf.release();
            return;
        }
        t.touch();
        Session s = t.session(h.sessionId);
        if (s == null) {
            counters.droppedUnknownSession.increment();
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
                counters.droppedUnknownTunnel.increment();
                log.debug("control message for unknown tunnel {} from {} dropped", tid, format(sender));
                return;
            }
            if (t != null && !t.acceptsFrom(sender)) {
                counters.droppedForeign.increment();
                log.debug("control message for tunnel {} from foreign source {} dropped", tid, format(sender));
                return;
            }
            ControlMessage msg;
            try {
                msg = L2tpCodec.decodeControl(buf, t != null ? t.hidden() : serverHidden);
            } catch (L2tpProtocolException e) {
                // RFC 2661 gives no answer to a message that cannot be decoded (no trustworthy
                // Ns to acknowledge, no AVP to name): it is dropped and counted by kind, and its
                // sender's §5.8 retransmissions, then retry limit, settle the matter.
                counters.countMalformed(e.kind());
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

    /** A message to Tunnel ID 0: an SCCRQ (new tunnel, LNS role) or its retransmission. O(1). */
    private Tunnel newTunnelFor(ControlMessage msg, InetSocketAddress sender) {
        if (msg.isZlb() || !MessageType.SCCRQ.equals(msg.messageType())) {
            counters.droppedUnknownTunnel.increment();
            log.debug("{} to tunnel 0 from {} dropped", msg.isZlb() ? "ZLB" : msg.messageType(), format(sender));
            return null;
        }
        if (serverConfig == null) {
            counters.droppedUnknownTunnel.increment();
            log.debug("SCCRQ from {} dropped: not serving as LNS", format(sender));
            return null;
        }
        Requester who = new Requester(sender, msg.assignedTunnelId().orElse(-1));
        Tunnel existing = answered.get(who);
        if (existing != null) {
            return existing; // a retransmitted SCCRQ: the transport answers the duplicate
        }
        if (!tieBreakerAllows(msg, sender)) {
            return null;
        }
        int id = tunnelIds.allocate();
        if (id == 0) {
            counters.refusedNoTunnelId.increment();
            peerLog(log, "SCCRQ from {} dropped: all Tunnel IDs in use", format(sender));
            return null;
        }
        Tunnel t = new Tunnel(this, false, id, sender, serverConfig, serverEvents);
        tunnels.put(id, t);
        answered.put(who, t);
        requesterOf.put(t, who);
        t.awaitSccrq();
        return t;
    }

    /**
     * RFC 2661 §4.4.3 Tie Breaker: if we have an SCCRQ of our own outstanding to the same peer
     * and both carry a Tie Breaker, the lower value wins; the loser's request is discarded.
     * Our own tunnels that sent a Tie Breaker are indexed by peer address: no scan.
     */
    private boolean tieBreakerAllows(ControlMessage sccrq, InetSocketAddress sender) {
        var theirs = sccrq.find(AvpType.TIE_BREAKER);
        if (theirs == null) {
            return true;
        }
        for (Tunnel ours : List.copyOf(tieBreaking.getOrDefault(sender.getAddress(), List.of()))) {
            if (ours.state() == Tunnel.State.WAIT_CTL_REPLY) {
                int cmp = Arrays.compareUnsigned(ours.tieBreaker(), theirs.bytes());
                if (cmp < 0) {
                    log.info("tie breaker: our SCCRQ to {} wins, theirs discarded", format(sender));
                    return false;
                }
                log.info("tie breaker: the SCCRQ from {} wins, ours (tunnel {}) discarded", format(sender), ours.localId());
                ours.lostTieBreaker();
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

    /** Datagrams dropped as malformed (all kinds; per kind: {@link EndpointCounters#malformed}). */
    public long droppedMalformed() {
        return counters.malformedTotal();
    }

    /** Datagrams dropped because they came from an address other than the tunnel's peer. */
    public long droppedForeign() {
        return counters.droppedForeign.sum();
    }

    /** Datagrams dropped because their tunnel id is not ours (or 0 and not an SCCRQ). */
    public long droppedUnknownTunnel() {
        return counters.droppedUnknownTunnel.sum();
    }

    /** Messages dropped because their session id is not ours. */
    public long droppedUnknownSession() {
        return counters.droppedUnknownSession.sum();
    }

    static String format(InetSocketAddress a) {
        if (a == null) {
            return "?";
        }
        String host = a.getAddress() != null ? a.getAddress().getHostAddress() : a.getHostString();
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + a.getPort();
    }
}
