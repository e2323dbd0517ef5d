package io.jl2tp.l2tp.tunnel;

import io.jl2tp.l2tp.transport.ReliableTransport;
import io.jl2tp.l2tp.util.PeerText;
import io.jl2tp.l2tp.wire.Avp;
import io.jl2tp.l2tp.wire.AvpType;
import io.jl2tp.l2tp.wire.ControlMessage;
import io.jl2tp.l2tp.wire.HiddenAvpContext;
import io.jl2tp.l2tp.wire.MessageType;
import io.jl2tp.l2tp.wire.ResultCode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetSocketAddress;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * One control connection: the state machine of RFC 2661 §7.2.1 for both roles, driven by the
 * rows of {@link ControlTable}; tunnel authentication and the handshake content live in
 * {@link Handshake}, HELLO (§6.5) and the §5.7 linger here. Session-scoped messages are
 * forwarded to the {@link Session} they address, which runs its own §7.4 table.
 *
 * <p>Threads: everything here is owned by the endpoint's event loop.
 *
 * <pre>
 *  LAC: idle ─OPEN_REQUEST/SCCRQ→ wait-ctl-reply ─SCCRP/SCCCN→ established
 *  LNS: idle ─SCCRQ/SCCRP→ wait-ctl-conn ─SCCCN→ established
 *  any ─StopCCN sent or received→ closing (linger one retransmission cycle) → closed
 * </pre>
 */
public final class Tunnel {

    private static final Logger log = LoggerFactory.getLogger(Tunnel.class);

    /** Control connection states (§7.2.1), plus the linger after StopCCN. */
    public enum State {
        IDLE, WAIT_CTL_REPLY, WAIT_CTL_CONN, ESTABLISHED, CLOSING, CLOSED
    }

    private final L2tpEndpoint endpoint;
    private final boolean initiator;
    private final int localId;
    private final TunnelConfig config;
    private final HiddenAvpContext hidden;
    private final Handshake handshake;
    private final ReliableTransport transport;
    private final Consumer<L2tpEvent> events;
    private final TunnelCalls calls = new TunnelCalls(this);

    private State state = State.IDLE;
    private int peerId;
    private final PeerAddress peer;
    private String peerHostName;
    private boolean stopSent;
    private boolean downAnnounced;
    private final KeepAlive keepAlive;
    private ScheduledFuture<?> stateTimer;   // set-up timeout (wait-ctl-*) or linger (closing)
    private final String logPrefix;
    private long establishedAtNanos;

    Tunnel(L2tpEndpoint endpoint, boolean initiator, int localId, InetSocketAddress peer, TunnelConfig config,
           Consumer<L2tpEvent> events) {
        this.endpoint = endpoint;
        this.initiator = initiator;
        this.localId = localId;
        this.peer = new PeerAddress(peer, initiator);
        this.config = config;
        this.events = events;
        this.hidden = HiddenAvpContext.of(config.secret());
        this.handshake = new Handshake(config, hidden, endpoint.random());
        this.logPrefix = "tunnel=" + localId + " ";
        this.transport = new ReliableTransport(config.transport(), endpoint.loop(), new ReliableTransport.Listener() {
            @Override
            public void output(ControlMessage msg) {
                endpoint.sendControl(Tunnel.this, msg);
            }

            @Override
            public void deliver(ControlMessage msg) {
                handle(msg);
            }

            @Override
            public boolean readyFor(ControlMessage msg) {
                return calls.readyFor(msg);
            }

            @Override
            public void allAcknowledged() {
                endpoint.transportIdle();
            }

            @Override
            public void retriesExhausted(ControlMessage msg, int retries) {
                fire(ControlTable.Event.RETRIES_EXHAUSTED, null, Cause.silent("peer not responding: "
                        + msg.messageType() + " unacknowledged after " + retries + " retransmissions"));
            }
        });
        if (!initiator) {
            // Issue 11 row 8: until the SCCRQ's sender proves it receives at its address, our
            // replies go out only in answer to its own retransmissions (ReliableTransport).
            transport.answerDuplicatesOnlyUntilAcknowledged();
        }
        this.keepAlive = new KeepAlive(this);
    }

    // ---- accessors ----

    /** Our Tunnel ID. */
    public int localId() {
        return localId;
    }

    /** The peer's Tunnel ID (0 until its Assigned Tunnel ID arrives). */
    public int peerId() {
        return peerId;
    }

    /** The peer's address (for a LAC, the port follows the LNS's first reply, §8.1). */
    public InetSocketAddress peer() {
        return peer.current();
    }

    /** The peer's Host Name AVP, once received (escaped for logging). */
    public String peerHostName() {
        return peerHostName;
    }

    /** Current state. */
    public State state() {
        return state;
    }

    /** True if we sent the SCCRQ (LAC role). */
    public boolean isInitiator() {
        return initiator;
    }

    /** The reliable-delivery engine (counters, windows). */
    public ReliableTransport transport() {
        return transport;
    }

    /** The calls of this tunnel. */
    public Collection<Session> sessions() {
        return calls.all();
    }

    /** The configuration. */
    public TunnelConfig config() {
        return config;
    }

    /** Nanosecond timestamp (endpoint clock) when the tunnel became established, or 0. */
    public long establishedAtNanos() {
        return establishedAtNanos;
    }

    L2tpEndpoint endpoint() {
        return endpoint;
    }

    HiddenAvpContext hidden() {
        return hidden;
    }

    byte[] tieBreaker() {
        return handshake.tieBreaker();
    }

    String logPrefix() {
        return logPrefix;
    }

    Session session(int localSessionId) {
        return calls.get(localSessionId);
    }

    TunnelCalls calls() {
        return calls;
    }

    /** True if a datagram from {@code sender} may belong to this tunnel (§8.1 source rules). */
    boolean acceptsFrom(InetSocketAddress sender) {
        return peer.accepts(sender, logPrefix);
    }


    // ---- inbound ----

    /** A decoded control message from the peer (event loop). */
    void input(ControlMessage msg) {
        keepAlive.touch();
        transport.input(msg);
    }

    /** Any data from the peer counts as a sign of life for HELLO (event loop). */
    void touch() {
        keepAlive.touch();
    }

    /** A control message delivered in order by the transport: classify it and run the tables. */
    void handle(ControlMessage msg) {
        MessageType type = msg.messageType();
        if (log.isDebugEnabled()) {
            log.debug("{}rcvd {}", logPrefix, msg);
        }
        if (state == State.CLOSING || state == State.CLOSED) {
            fireReceived(msg); // only the late-SCCRP row applies; the rest is ignored while lingering
            return;
        }
        boolean sessionMessage = type.isKnown() && !type.isTunnelMessage();
        Cause bad = Cause.protocolError(msg, sessionMessage ? ResultCode.CDN_GENERAL_ERROR : ResultCode.STOPCCN_GENERAL_ERROR);
        if (bad != null) {
            endpoint.countProtocolError();
            if (sessionMessage) {
                calls.protocolError(msg, bad);
            } else {
                fire(ControlTable.Event.BAD_TUNNEL_MESSAGE, msg, bad);
            }
        } else if (sessionMessage) {
            calls.receive(msg);
        } else {
            fireReceived(msg);
        }
    }

    private void fireReceived(ControlMessage msg) {
        Cause[] refusal = new Cause[1];
        ControlTable.Event e = ControlTable.Event.received(msg.messageType(), state, () -> {
            refusal[0] = acceptable(msg);
            return refusal[0] == null;
        });
        if (e == null) {
            log.debug("{}{} in state {} ignored", logPrefix, msg.messageType(), state);
            return;
        }
        Cause c = refusal[0];
        if (e == ControlTable.Event.STOPCCN) {
            c = Cause.peer("closed by peer: " + ResultCode.describe(true, msg.resultCode()), msg.resultCode());
        } else if (c == null) {
            c = Cause.local(ResultCode.STOPCCN_FSM_ERROR, null, "unexpected " + msg.messageType() + " in state " + state);
        }
        fire(e, msg, c);
    }

    /** "Acceptable" per §7.2.1 for SCCRQ/SCCRP/SCCCN: null if so, else the StopCCN cause. */
    private Cause acceptable(ControlMessage msg) {
        MessageType type = msg.messageType();
        if (MessageType.SCCCN.equals(type)) {
            return handshake.checkScccn(msg);
        }
        int assigned = msg.assignedTunnelId().orElse(0);
        if (assigned != 0) {
            peerId = assigned; // so a StopCCN can reach the peer even if we refuse
            transport.setTunnelId(assigned);
        }
        peerHostName = PeerText.escape(hostNameOf(msg));
        msg.u16(AvpType.RECEIVE_WINDOW_SIZE).ifPresent(transport::setPeerWindow);
        return MessageType.SCCRQ.equals(type) ? handshake.checkSccrq(msg) : handshake.checkSccrp(msg);
    }

    private static String hostNameOf(ControlMessage msg) {
        Avp h = msg.find(AvpType.HOST_NAME);
        return h == null ? "?" : h.text();
    }

    // ---- the state machine ----

    /** Performs the row of ({@link #state}, {@code e}); ignored if the table has no such row. */
    void fire(ControlTable.Event e, ControlMessage msg, Cause why) {
        ControlTable.Row row = ControlTable.lookup(state, e);
        if (row == null) {
            log.debug("{}{} in state {} ignored", logPrefix, e, state);
            return;
        }
        enter(row.next());
        for (ControlTable.Action a : row.actions()) {
            perform(a, msg, why);
        }
    }

    private void enter(State next) {
        State from = state;
        state = next;
        if (from == next) {
            return;
        }
        cancel(stateTimer);
        stateTimer = null;
        if (from == State.WAIT_CTL_CONN || (from == State.IDLE && !initiator)) {
            endpoint.halfOpenTunnel(this, false);
        } else if (from == State.ESTABLISHED) {
            keepAlive.stop();
        }
        // RFC 2661 §7.3 defers timers to §5.8: a peer that has not completed the handshake within
        // one full retransmission cycle is gone (issue 11 row 1: SCCRQ answered, no SCCCN).
        // §5.7: after StopCCN the transport runs one more full cycle, so that a retransmitted
        // StopCCN is acknowledged and ours is retransmitted until acknowledged.
        long cycle = config.transport().fullCycle().toMillis();
        String setup = setupTimeoutText(cycle);
        switch (next) {
            case WAIT_CTL_REPLY -> stateTimer = after(cycle, ControlTable.Event.SETUP_TIMEOUT, setup);
            case WAIT_CTL_CONN -> {
                stateTimer = after(cycle, ControlTable.Event.SETUP_TIMEOUT, setup);
                endpoint.halfOpenTunnel(this, true);
            }
            case ESTABLISHED -> {
                establishedAtNanos = endpoint.nanoTime();
                keepAlive.start();
            }
            case CLOSING -> stateTimer = after(cycle, ControlTable.Event.LINGER_DONE, "linger over");
            case CLOSED -> {
                transport.close();
                endpoint.remove(this);
                log.debug("{}state released", logPrefix);
            }
            default -> {
            }
        }
    }

    private static String setupTimeoutText(long cycleMillis) {
        return "control connection not established within " + cycleMillis / 1000 + " s";
    }

    /**
     * LNS: this tunnel was just created for an SCCRQ, before the transport delivers it. If the
     * transport holds it back (an Ns ahead of 0 leaves a gap that never fills), the tunnel would
     * stay idle with no timer (found by L2tpEndpointFuzzTest#lacAndLns). So from now on it is
     * half-open — counted against {@link EndpointLimits}, dropped oldest first at the caps — and
     * cleared if it is not established within one full retransmission cycle (RFC 2661 §7.3 →
     * §5.8), the same set-up timeout as wait-ctl-conn.
     */
    void awaitSccrq() {
        if (state != State.IDLE || initiator) {
            return;
        }
        long cycle = config.transport().fullCycle().toMillis();
        stateTimer = after(cycle, ControlTable.Event.SETUP_TIMEOUT, setupTimeoutText(cycle));
        endpoint.halfOpenTunnel(this, true);
    }

    private ScheduledFuture<?> after(long ms, ControlTable.Event e, String why) {
        return endpoint.loop().schedule(() -> {
            stateTimer = null;
            fire(e, null, Cause.silent(why));
        }, ms, TimeUnit.MILLISECONDS);
    }

    private void perform(ControlTable.Action a, ControlMessage msg, Cause why) {
        switch (a) {
            case SEND_SCCRQ -> {
                log.info("{}Connecting to LNS {}", logPrefix, L2tpEndpoint.format(peer.current()));
                sendControl(ControlMessage.of(MessageType.SCCRQ, 0, 0, handshake.sccrq(localId)));
            }
            case SEND_SCCRP -> {
                peerLog("{}SCCRQ from {} (host {}), peer tunnel {}", logPrefix, L2tpEndpoint.format(peer.current()), peerHostName,
                        peerId);
                sendControl(ControlMessage.of(MessageType.SCCRP, peerId, 0, handshake.sccrp(localId)));
            }
            case SEND_SCCCN -> sendControl(ControlMessage.of(MessageType.SCCCN, peerId, 0, handshake.scccn()));
            case CLOSE_CALLS -> calls.closeAll(why.text());
            case LEARN_PEER_ID -> {
                if (peerId == 0 && msg != null && msg.assignedTunnelId().orElse(0) != 0) {
                    peerId = msg.assignedTunnelId().getAsInt();
                    transport.setTunnelId(peerId);
                }
            }
            case SEND_STOPCCN -> {
                if (!stopSent && peerId != 0) {
                    stopSent = true;
                    // §6.4: Assigned Tunnel ID MUST be the one we first sent; Result Code MUST be present.
                    sendControl(ControlMessage.of(MessageType.STOPCCN, peerId, 0, List.of(Avp.assignedTunnelId(localId),
                            Session.resultCodeAvp(why.resultOr(ResultCode.STOPCCN_CLEAR)))));
                }
            }
            case ACK_NOW -> transport.sendZlbNow();
            case TUNNEL_OPEN -> {
                if (handshake.challenged()) {
                    log.info("{}tunnel authentication succeeded", logPrefix);
                }
                peerLog("{}tunnel {} established with peer tunnel {} ({} at {})", logPrefix, localId, peerId, peerHostName,
                        L2tpEndpoint.format(peer.current()));
                emit(new L2tpEvent.TunnelUp(this));
                calls.openWaiting();
            }
            case OPEN_WAITING_CALLS -> calls.openWaiting();
            case CLEAN_UP -> {
                if (why.byPeer()) {
                    peerLog("{}tunnel {}", logPrefix, why.text());
                } else {
                    peerLog("{}{}", logPrefix, why.text());
                }
                calls.tunnelDown(why);
                if (!downAnnounced) {
                    downAnnounced = true;
                    emit(new L2tpEvent.TunnelDown(this, why.text(), why.rc(), why.byPeer()));
                }
            }
        }
    }

    // ---- calls (§7.4): the tunnel's side ----

    /** LAC: places an incoming call (§7.4.1); ICRQ goes out once the tunnel is established. */
    public Session openSession(SessionConfig cfg, FrameReceiver receiver) {
        if (state == State.CLOSING || state == State.CLOSED) {
            throw new IllegalStateException("tunnel " + localId + " is " + state);
        }
        return calls.open(cfg, receiver);
    }

    // ---- outbound and local events ----

    /** "Initiate local tunnel open" from a new call (§7.4.1). */
    void requestOpen() {
        fire(ControlTable.Event.NEW_CALL, null, null);
    }

    /** LAC: sends SCCRQ (§6.1). */
    void start() {
        fire(ControlTable.Event.OPEN_REQUEST, null, null);
    }

    /** Clean teardown: CDN for each call, then StopCCN result 1, then the linger. Event loop. */
    public void close(String reason) {
        fire(ControlTable.Event.ADMIN_CLOSE, null, Cause.local(ResultCode.STOPCCN_CLEAR, null, reason));
    }

    /**
     * Teardown by StopCCN alone, with a chosen Result Code (RFC 2661 §4.4.2: result, optional
     * error, message) and no CDN before it — the StopCCN clears every call (§6.4), as an LNS
     * that drops a tunnel does; for test harnesses. Established tunnels only; event loop.
     */
    public void close(int result, Integer error, String message) {
        if (state == State.ESTABLISHED) {
            // The row that sends StopCCN without CDNs (the §4.1 M-bit teardown); no message to learn from.
            fire(ControlTable.Event.BAD_TUNNEL_MESSAGE, null, Cause.local(result, error, message));
        }
    }

    /** RFC 2661 §4.4.3: the peer's SCCRQ won the tie-break; our own request is dropped. */
    void lostTieBreaker() {
        fire(ControlTable.Event.LOST_TIE_BREAKER, null, Cause.silent("lost the tie breaker to the peer's SCCRQ"));
    }

    /** Dropped as the oldest half-open tunnel (endpoint cap). */
    void evict() {
        fire(ControlTable.Event.HALF_OPEN_EVICTED, null, Cause.silent("dropped: too many half-open tunnels"));
    }

    /** True while control messages can still go to the peer. */
    boolean canSend() {
        return peerId != 0 && state != State.CLOSED;
    }

    Avp maybeHidden(Avp a) {
        return handshake.maybeHidden(a);
    }

    void sendControl(ControlMessage msg) {
        sendControl(msg, null);
    }

    /** As {@link #sendControl(ControlMessage)}; {@code transmitted} runs once it has left (see ReliableTransport#send). */
    void sendControl(ControlMessage msg, Runnable transmitted) {
        if (log.isDebugEnabled()) {
            log.debug("{}send {}", logPrefix, msg);
        }
        transport.send(msg, transmitted);
    }

    void emit(L2tpEvent e) {
        events.accept(e);
    }

    /** An INFO line a peer's behaviour causes: rate-limited per endpoint. */
    /**
     * True once the peer proved it knows the tunnel secret: we sent a Challenge and its answer
     * was right (RFC 2661 §5.1.1), and the tunnel is established. What it vouches for is the
     * peer's identity as a holder of the secret, e.g. for accepting its proxy authentication.
     */
    public boolean peerAuthenticated() {
        return handshake.challenged() && state == State.ESTABLISHED;
    }

    void peerLog(String format, Object... args) {
        endpoint.peerLog(log, format, args);
    }

    private static void cancel(ScheduledFuture<?> f) {
        if (f != null) {
            f.cancel(false);
        }
    }

    @Override
    public String toString() {
        return "tunnel " + localId + "/" + peerId + " " + state + " peer " + L2tpEndpoint.format(peer.current());
    }
}
