package io.jl2tp.l2tp.tunnel;

import io.jl2tp.l2tp.util.PeerText;
import io.jl2tp.l2tp.wire.Avp;
import io.jl2tp.l2tp.wire.AvpType;
import io.jl2tp.l2tp.wire.ControlMessage;
import io.jl2tp.l2tp.wire.DataHeader;
import io.jl2tp.l2tp.wire.MessageType;
import io.jl2tp.l2tp.wire.ResultCode;
import io.netty.buffer.ByteBuf;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * One call (session) inside a tunnel: the incoming-call state machine of RFC 2661 §7.4.1 (LAC)
 * or §7.4.2 (LNS), driven by the rows of {@link CallTable}, and the call's frame pipe
 * ({@link SessionData}). The tunnel forwards the session-scoped messages (ICRQ, ICRP, ICCN, CDN,
 * WEN, SLI) addressed to this call.
 *
 * <p>Threads: all call state (state, ids, receiver, timers) is owned by the endpoint's event
 * loop; {@link #send} may run on any thread at the same time (see {@link SessionData}).
 */
public final class Session {

    private static final Logger log = LoggerFactory.getLogger(Session.class);

    /** Call states (§7.4.1 / §7.4.2). */
    public enum State {
        /** No call yet (the RFC's idle before the first event). */
        IDLE,
        /** LAC: the call waits for its tunnel to be established. */
        WAIT_TUNNEL,
        /** LAC: ICRQ sent, waiting for ICRP. */
        WAIT_REPLY,
        /** LNS: ICRP sent, waiting for ICCN. */
        WAIT_CONNECT,
        /** Data may flow. */
        ESTABLISHED,
        /** CDN sent or received, or the tunnel went away (the RFC's idle after "Clean up"). */
        CLOSED
    }

    /** Octets a caller should leave in front of a PPP frame so {@link #send} can prepend in place. */
    public static final int HEADROOM = DataHeader.MAX_LENGTH;

    private final Tunnel tunnel;
    private final boolean lac;
    private final SessionConfig config;
    private final CallTable table;
    private final SessionData data = new SessionData();
    private int localId;
    private long serial;
    private int peerId;
    private State state = State.IDLE;
    private FrameReceiver receiver;
    /** §5.4: we sent Sequencing Required (LAC), or the LAC asked us to sequence (LNS). */
    private boolean sequencingRequired;
    private ScheduledFuture<?> setupTimer;
    private Cause cause;
    private List<Avp> extraCdnAvps = List.of();
    /** LAC: our ICCN waits in the control channel's queue (its window is full). */
    private boolean iccnQueued;
    /** LAC: PREPARE_DATA came while {@link #iccnQueued}; data starts once the ICCN has left. */
    private boolean dataDeferred;
    /** LAC: proxy LCP/authentication AVPs for our ICCN (§4.4.5), or null. */
    private ProxyAvps proxyOut;
    /** LNS: the usable proxy AVPs of the peer's ICCN (§4.4.5), or null. */
    private ProxyAvps proxyIn;

    private Session(Tunnel tunnel, boolean lac, SessionConfig config) {
        this.tunnel = tunnel;
        this.lac = lac;
        this.config = config;
        this.table = lac ? CallTable.LAC : CallTable.LNS;
    }

    /** LAC: a call to be placed with {@code id}; the tunnel fires OPEN_REQUEST. */
    static Session placed(Tunnel tunnel, int id, SessionConfig config, long serial, FrameReceiver receiver) {
        Session s = new Session(tunnel, true, config);
        s.localId = id;
        s.serial = serial;
        s.receiver = receiver;
        return s;
    }

    /** LNS: a call in idle about to receive {@code icrq}; its Session ID is taken if acceptable. */
    static Session answering(Tunnel tunnel, ControlMessage icrq) {
        Session s = new Session(tunnel, false, SessionConfig.defaults());
        s.peerId = icrq.assignedSessionId().orElse(0);
        return s;
    }

    // ---- accessors ----

    /** The tunnel this call belongs to. */
    public Tunnel tunnel() {
        return tunnel;
    }

    /** Our Session ID (what the peer puts in the header); 0 for a refused ICRQ. */
    public int localId() {
        return localId;
    }

    /** The peer's Session ID (0 until assigned). */
    public int peerId() {
        return peerId;
    }

    /** Call Serial Number (§4.4.5). */
    public long serial() {
        return serial;
    }

    /** True on the LAC side. */
    public boolean isLac() {
        return lac;
    }

    /** Current state. */
    public State state() {
        return state;
    }

    /** True while data flows. */
    public boolean isEstablished() {
        return state == State.ESTABLISHED;
    }

    /** True if data messages currently carry Ns/Nr (§5.4). */
    public boolean sequencing() {
        SessionData.Snapshot d = data.snapshot();
        return d != null && d.sequencing();
    }

    /**
     * LAC: the Proxy LCP and Authentication AVPs (RFC 2661 §4.4.5) our ICCN will carry; set
     * before the ICRP arrives (with {@link Tunnel#openSession}, on the event loop).
     */
    public void proxy(ProxyAvps avps) {
        this.proxyOut = avps;
    }

    /**
     * LNS: the proxy AVPs of the peer's ICCN, once it came (null if it had none, or unusable
     * ones, which are logged). Event loop.
     */
    public ProxyAvps proxy() {
        return proxyIn;
    }

    /** Sets where received PPP frames go (event loop). */
    public void receiver(FrameReceiver r) {
        this.receiver = r;
    }

    // ---- the state machine (event loop) ----

    /** Hangs up this call with CDN result 3 (administrative), §6.12. Event loop only. */
    public void close(String reason) {
        fire(CallTable.Event.LOCAL_CLOSE, null, Cause.local(ResultCode.CDN_ADMIN, null, reason));
    }

    /**
     * Hangs up with a chosen CDN Result Code (RFC 2661 §4.4.2) and extra AVPs in the CDN, e.g.
     * RFC 3145's PPP Disconnect Cause Code (AVP 46) or a Q.931 Cause Code (AVP 12) — for test
     * harnesses. Event loop only.
     */
    public void close(int result, Integer error, String message, List<Avp> extraCdnAvps) {
        this.extraCdnAvps = List.copyOf(extraCdnAvps);
        fire(CallTable.Event.LOCAL_CLOSE, null, Cause.local(result, error, message));
    }

    /** A session-scoped control message for this call (event loop). */
    void receive(ControlMessage msg) {
        cause = null;
        CallTable.Event e = table.received(msg.messageType(), state, () -> acceptable(msg));
        if (e == null) {
            log.debug("{}session={} {} ignored", tunnel.logPrefix(), localId, msg.messageType());
            return;
        }
        Cause c = cause;
        if (e == CallTable.Event.CDN) {
            c = Cause.peer("call disconnected by peer: " + ResultCode.describe(false, msg.resultCode()), msg.resultCode());
        } else if (c == null) {
            c = Cause.local(ResultCode.CDN_GENERAL_ERROR, ResultCode.ERROR_BAD_VALUE,
                    "unexpected " + msg.messageType() + " in state " + state);
        }
        fire(e, msg, c);
    }

    /** Performs the row of ({@link #state}, {@code e}); ignored if the table has no such row. */
    void fire(CallTable.Event e, ControlMessage msg, Cause why) {
        CallTable.Row row = table.lookup(state, e);
        if (row == null) {
            log.debug("{}session={} {} in state {} ignored", tunnel.logPrefix(), localId, e, state);
            return;
        }
        cause = why;
        enter(row.next());
        for (CallTable.Action a : row.actions()) {
            perform(a, msg, why);
        }
    }

    private void enter(State next) {
        State from = state;
        state = next;
        boolean wasHalfOpen = from == State.WAIT_REPLY || from == State.WAIT_CONNECT;
        boolean halfOpen = next == State.WAIT_REPLY || next == State.WAIT_CONNECT;
        if (wasHalfOpen && !halfOpen) {
            if (setupTimer != null) {
                setupTimer.cancel(false);
                setupTimer = null;
            }
            tunnel.calls().halfOpen(this, false);
        } else if (halfOpen && !wasHalfOpen) {
            // RFC 2661 §7.3 leaves call timers to §5.8: a call not connected within one full
            // retransmission cycle is cleared (issue 11 row 2: ICRQ without ICCN).
            long ms = tunnel.config().transport().fullCycle().toMillis();
            setupTimer = tunnel.endpoint().loop().schedule(() -> {
                setupTimer = null;
                fire(CallTable.Event.SETUP_TIMEOUT, null,
                        Cause.local(ResultCode.CDN_TIMEOUT, null, "call not connected within " + ms / 1000 + " s"));
            }, ms, TimeUnit.MILLISECONDS);
            tunnel.calls().halfOpen(this, true);
        }
    }

    private void perform(CallTable.Action a, ControlMessage msg, Cause why) {
        switch (a) {
            case REQUEST_TUNNEL -> tunnel.requestOpen();
            case SEND_ICRQ -> sendIcrq();
            case SEND_ICRP -> {
                tunnel.peerLog("{}session={} incoming call from peer session {}", tunnel.logPrefix(), localId, peerId);
                tunnel.sendControl(ControlMessage.of(MessageType.ICRP, tunnel.peerId(), peerId,
                        List.of(Avp.assignedSessionId(localId))));
            }
            case SEND_ICCN -> sendIccn();
            case SEND_CDN -> {
                if (tunnel.canSend()) {
                    // §6.12: Assigned Session ID is ours (0 when refusing an ICRQ before taking an id).
                    List<Avp> avps = new ArrayList<>(List.of(resultCodeAvp(why.resultOr(ResultCode.CDN_GENERAL_ERROR)),
                            Avp.assignedSessionId(localId)));
                    avps.addAll(extraCdnAvps);
                    tunnel.sendControl(ControlMessage.of(MessageType.CDN, tunnel.peerId(), peerId, avps));
                }
            }
            case PREPARE_DATA -> {
                if (iccnQueued) {
                    // Our PPP must not overtake our ICCN: an LNS may drop data for a call it has
                    // not seen connected (l2tpns: "ignoring ConfigReq in state Starting"), and PPP
                    // then waits out its restart timer (RFC 1661 §4.6). Data starts when it leaves.
                    dataDeferred = true;
                } else {
                    prepareData();
                }
            }
            case CLEAN_UP -> {
                data.unpublish();
                data.dropHeld();
                if (localId != 0) {
                    tunnel.peerLog("{}session={} call closed: {}", tunnel.logPrefix(), localId, why.text());
                    tunnel.calls().forget(this);
                    tunnel.emit(new L2tpEvent.SessionDown(this, why.text(), why.rc(), why.byPeer()));
                } else {
                    tunnel.peerLog("{}rejecting call: {}", tunnel.logPrefix(), why.text());
                }
            }
        }
    }

    /** The call carries data from now on: SessionUp (event loop). */
    private void prepareData() {
        data.publish(new SessionData.Snapshot(tunnel.peerId(), peerId, tunnel.peer(), sequencingRequired,
                config.lengthBit(), tunnel.endpoint().sink(), tunnel.endpoint().alloc()));
        tunnel.peerLog("{}session={} call {} established with peer session {}", tunnel.logPrefix(), localId,
                localId, peerId);
        tunnel.emit(new L2tpEvent.SessionUp(this));
        // Frames that overtook the ICCN go to the receiver the SessionUp handler has started.
        data.deliverHeld(state == State.ESTABLISHED ? receiver : null, lac && !sequencingRequired);
    }

    /** LAC: the ICCN has left; data deferred behind it starts unless the call ended meanwhile (event loop). */
    private void iccnTransmitted() {
        iccnQueued = false;
        if (dataDeferred) {
            dataDeferred = false;
            if (state == State.ESTABLISHED) {
                prepareData();
            }
        }
    }

    static Avp resultCodeAvp(io.jl2tp.l2tp.wire.AvpValue.ResultCodeValue rc) {
        return Avp.resultCode(rc.result(), rc.error(), rc.message());
    }

    private void sendIcrq() {
        List<Avp> avps = new ArrayList<>();
        avps.add(Avp.assignedSessionId(localId));
        avps.add(Avp.callSerialNumber(serial));
        avps.add(tunnel.maybeHidden(Avp.bearerType(config.bearerType())));
        if (config.callingNumber() != null) {
            avps.add(tunnel.maybeHidden(Avp.callingNumber(config.callingNumber())));
        }
        log.info("{}session={} placing call (serial {})", tunnel.logPrefix(), localId, serial);
        tunnel.sendControl(ControlMessage.of(MessageType.ICRQ, tunnel.peerId(), 0, avps));
    }

    private void sendIccn() {
        List<Avp> avps = new ArrayList<>();
        avps.add(Avp.txConnectSpeed(config.txConnectSpeed()));
        avps.add(Avp.framingType(config.framingType()));
        if (config.sequencingRequired()) {
            avps.add(Avp.sequencingRequired());
            sequencingRequired = true;
        }
        if (proxyOut != null) {
            avps.addAll(proxyOut.toAvps(tunnel::maybeHidden)); // §4.4.5: "may be hidden"
        }
        iccnQueued = true;
        tunnel.sendControl(ControlMessage.of(MessageType.ICCN, tunnel.peerId(), peerId, avps), this::iccnTransmitted);
    }

    /**
     * "Acceptable" in the sense of the §7.4 tables, with side effects of acceptance (ids, the
     * receiver); on refusal {@link #cause} holds the CDN to send.
     */
    private boolean acceptable(ControlMessage msg) {
        MessageType type = msg.messageType();
        cause = null;
        if (MessageType.ICRQ.equals(type)) {
            peerId = msg.assignedSessionId().orElse(0);
            Avp serialAvp = msg.find(AvpType.CALL_SERIAL_NUMBER);
            serial = serialAvp == null ? 0 : serialAvp.u32();
            if (tunnel.isInitiator() || tunnel.state() != Tunnel.State.ESTABLISHED) {
                return refuse(ResultCode.CDN_GENERAL_ERROR, ResultCode.ERROR_NO_CONTROL_CONNECTION,
                        "ICRQ before the tunnel is established");
            }
            if (peerId == 0) {
                return refuse(ResultCode.CDN_GENERAL_ERROR, ResultCode.ERROR_BAD_VALUE, "Assigned Session ID 0");
            }
            int id = tunnel.endpoint().allocateSessionId();
            if (id == 0) {
                return refuse(ResultCode.CDN_TEMPORARY_NO_FACILITIES, ResultCode.ERROR_NO_RESOURCES, "no free Session ID");
            }
            localId = id;
            tunnel.calls().register(this);
            return true;
        }
        if (MessageType.ICRP.equals(type)) {
            int assigned = msg.assignedSessionId().orElse(0);
            if (assigned == 0) {
                return refuse(ResultCode.CDN_GENERAL_ERROR, ResultCode.ERROR_BAD_VALUE, "Assigned Session ID 0 in ICRP");
            }
            peerId = assigned;
            return true;
        }
        if (MessageType.ICCN.equals(type)) {
            sequencingRequired = msg.has(AvpType.SEQUENCING_REQUIRED);
            ProxyAvps.Parsed proxy = ProxyAvps.from(msg);
            if (proxy != null && proxy.rejected() != null) {
                // Unusable proxy values do not make the call unacceptable: PPP negotiates instead.
                tunnel.peerLog("{}session={} proxy LCP/authentication AVPs ignored: {}", tunnel.logPrefix(), localId,
                        proxy.rejected());
            }
            proxyIn = proxy == null ? null : proxy.avps();
            FrameReceiver r = tunnel.endpoint().acceptSession(this);
            if (r == null) {
                return refuse(ResultCode.CDN_PERMANENT_NO_FACILITIES, null, "call refused by the LNS application");
            }
            receiver = r;
            return true;
        }
        return false;
    }

    private boolean refuse(int result, Integer error, String why) {
        cause = Cause.local(result, error, why);
        return false;
    }

    // ---- data (see SessionData for the threads) ----

    /**
     * Sends one PPP frame (the buffer's readable bytes) as an L2TP data message. Ownership of
     * {@code frame} passes to the session. If the buffer has {@link #HEADROOM} octets before its
     * readerIndex, the header is written in place; otherwise the frame is copied once. Frames
     * sent while the call is not established are dropped and counted. Safe to call from any
     * thread, from several at once.
     */
    public void send(ByteBuf frame) {
        data.send(frame);
    }

    /** A data message for this session (event loop); takes ownership of {@code buf}. */
    void receiveData(ByteBuf buf, DataHeader h) {
        if (state == State.WAIT_CONNECT) {
            data.hold(buf, h); // LNS: ahead of the ICCN, see SessionData#hold
            return;
        }
        data.receive(buf, h, state == State.ESTABLISHED ? receiver : null, lac && !sequencingRequired);
    }

    public long txPackets() {
        return data.txPackets();
    }

    public long txBytes() {
        return data.txBytes();
    }

    public long rxPackets() {
        return data.rxPackets();
    }

    public long rxBytes() {
        return data.rxBytes();
    }

    /** Data messages dropped on receive (not established, out of order). */
    public long rxDrops() {
        return data.rxDrops();
    }

    /**
     * Data messages that arrived before the call was connected (LNS, waiting for ICCN) beyond
     * the few held for delivery, dropped; they count in {@link #rxDrops} too.
     */
    public long rxEarlyDrops() {
        return data.rxEarlyDrops();
    }

    /** Frames dropped on send because the call was not established. */
    public long txDrops() {
        return data.txDrops();
    }

    @Override
    public String toString() {
        return "session " + localId + "/" + peerId + " " + state + (lac ? " LAC" : " LNS")
                + (cause != null && state == State.CLOSED ? " (" + PeerText.escape(cause.text()) + ")" : "");
    }
}
