package io.jl2tp.l2tp.tunnel;

import io.jl2tp.l2tp.transport.ReliableTransport;
import io.jl2tp.l2tp.wire.Avp;
import io.jl2tp.l2tp.wire.AvpType;
import io.jl2tp.l2tp.wire.AvpValue;
import io.jl2tp.l2tp.wire.ControlMessage;
import io.jl2tp.l2tp.wire.HiddenAvpContext;
import io.jl2tp.l2tp.wire.MessageSpec;
import io.jl2tp.l2tp.wire.MessageType;
import io.jl2tp.l2tp.wire.ResultCode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetSocketAddress;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * One control connection: the state machine of RFC 2661 §7.2 for both roles (the LAC initiates,
 * the LNS answers), tunnel authentication (§5.1.1), HELLO (§6.5), StopCCN with the §5.7
 * linger, and the calls inside it (§7.4). Confined to the endpoint's event loop.
 *
 * <pre>
 *  LAC: idle ─SCCRQ→ wait-ctl-reply ─SCCRP/SCCCN→ established
 *  LNS: idle ─SCCRQ/SCCRP→ wait-ctl-conn ─SCCCN→ established
 *  any ─StopCCN sent or received→ closing (linger one retransmission cycle) → closed
 * </pre>
 */
public final class Tunnel {

    private static final Logger log = LoggerFactory.getLogger(Tunnel.class);

    /** Control connection states (§7.2), plus the linger after StopCCN. */
    public enum State {
        IDLE, WAIT_CTL_REPLY, WAIT_CTL_CONN, ESTABLISHED, CLOSING, CLOSED
    }

    /** Framing Capabilities we offer: synchronous and asynchronous (§4.4.3). */
    static final long FRAMING_CAPS = 3;

    private final L2tpEndpoint endpoint;
    private final boolean initiator;
    private final int localId;
    private final TunnelConfig config;
    private final HiddenAvpContext hidden;
    private final ReliableTransport transport;
    private final Consumer<L2tpEvent> events;
    private final Map<Integer, Session> sessions = new LinkedHashMap<>();
    private final List<Session> pendingSessions = new ArrayList<>();

    private State state = State.IDLE;
    private int peerId;
    private InetSocketAddress peer;
    private boolean peerPortLearned;
    private int peerAssignedIdFromSccrq = -1;
    private String peerHostName;
    private byte[] ourChallenge;
    private byte[] tieBreaker;
    private boolean stopSent;
    private long lastRxNanos;
    private ScheduledFuture<?> helloTimer;
    private ScheduledFuture<?> lingerTimer;
    private String logPrefix;
    private long establishedAtNanos;

    Tunnel(L2tpEndpoint endpoint, boolean initiator, int localId, InetSocketAddress peer, TunnelConfig config,
           Consumer<L2tpEvent> events) {
        this.endpoint = endpoint;
        this.initiator = initiator;
        this.localId = localId;
        this.peer = peer;
        this.peerPortLearned = !initiator;
        this.config = config;
        this.events = events;
        this.hidden = HiddenAvpContext.of(config.secret());
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
            public void retriesExhausted(ControlMessage msg, int retries) {
                onRetriesExhausted(msg, retries);
            }
        });
        this.lastRxNanos = endpoint.nanoTime();
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
        return peer;
    }

    /** The peer's Host Name AVP, once received. */
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
        return List.copyOf(sessions.values());
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

    int peerAssignedIdFromSccrq() {
        return peerAssignedIdFromSccrq;
    }

    byte[] tieBreaker() {
        return tieBreaker;
    }

    Session session(int localSessionId) {
        return sessions.get(localSessionId);
    }

    /** True if a datagram from {@code sender} may belong to this tunnel (§8.1 source rules). */
    boolean acceptsFrom(InetSocketAddress sender) {
        if (!sender.getAddress().equals(peer.getAddress())) {
            return false;
        }
        if (!peerPortLearned) {
            if (sender.getPort() != peer.getPort()) {
                log.info("{}LNS answered from port {}; following it (RFC 2661 §8.1)", logPrefix, sender.getPort());
                peer = sender;
            }
            peerPortLearned = true;
            return true;
        }
        return sender.getPort() == peer.getPort();
    }

    // ---- inbound ----

    /** A decoded control message from the peer (event loop). */
    void input(ControlMessage msg) {
        lastRxNanos = endpoint.nanoTime();
        transport.input(msg);
    }

    /** Any data from the peer counts as a sign of life for HELLO (event loop). */
    void touch() {
        lastRxNanos = endpoint.nanoTime();
    }

    private void handle(ControlMessage msg) {
        MessageType type = msg.messageType();
        if (log.isDebugEnabled()) {
            log.debug("{}rcvd {}", logPrefix, msg);
        }
        if (state == State.CLOSING || state == State.CLOSED) {
            if (type.equals(MessageType.SCCRP) && !stopSent) {
                // We gave up before the SCCRP came: tell the LNS, or it keeps a half-open tunnel.
                msg.assignedTunnelId().ifPresent(id -> {
                    peerId = id;
                    transport.setTunnelId(id);
                    sendStopCcn(ResultCode.STOPCCN_CLEAR, null, "LAC gave up");
                });
            }
            return; // transport still acknowledges; nothing else happens while lingering
        }
        boolean sessionMessage = !type.isTunnelMessage() && type.isKnown();
        Avp unknown = msg.unknownMandatory();
        if (unknown != null) {
            // RFC 2661 §4.1: an unrecognised AVP with the M bit MUST end the session (for a
            // session message) or the tunnel (for a tunnel message).
            String why = "unknown mandatory AVP vendor=" + unknown.vendorId() + " type=" + unknown.type() + " in " + type;
            Session s = sessions.get(msg.sessionId());
            if (sessionMessage && s != null) {
                log.warn("{}session={} {}", logPrefix, s.localId(), why);
                closeSession(s, ResultCode.CDN_GENERAL_ERROR, ResultCode.ERROR_UNKNOWN_MANDATORY_AVP, why, why);
            } else if (sessionMessage && type.equals(MessageType.ICRQ)) {
                rejectCall(msg, ResultCode.ERROR_UNKNOWN_MANDATORY_AVP, why);
            } else {
                fail(ResultCode.STOPCCN_GENERAL_ERROR, ResultCode.ERROR_UNKNOWN_MANDATORY_AVP, why);
            }
            return;
        }
        if (!type.isKnown()) {
            // The Message Type AVP always has M=1 (§4.4.1): an unknown type clears the tunnel.
            fail(ResultCode.STOPCCN_GENERAL_ERROR, ResultCode.ERROR_BAD_VALUE, "unknown message type " + type.code());
            return;
        }
        List<String> missing = MessageSpec.missingMandatory(msg);
        if (!missing.isEmpty()) {
            String why = "missing mandatory AVP " + String.join(", ", missing) + " in " + type;
            Session s = sessions.get(msg.sessionId());
            if (sessionMessage && s != null) {
                log.warn("{}session={} {}", logPrefix, s.localId(), why);
                closeSession(s, ResultCode.CDN_GENERAL_ERROR, ResultCode.ERROR_BAD_LENGTH, why, why);
            } else if (type.equals(MessageType.ICRQ)) {
                rejectCall(msg, ResultCode.ERROR_BAD_LENGTH, why);
            } else {
                fail(ResultCode.STOPCCN_GENERAL_ERROR, ResultCode.ERROR_BAD_LENGTH, why);
            }
            return;
        }
        switch (type.code()) {
            case 1 -> onSccrq(msg);
            case 2 -> onSccrp(msg);
            case 3 -> onScccn(msg);
            case 4 -> onStopCcn(msg);
            case 6 -> { } // HELLO: the transport's acknowledgement is the whole answer (§6.5)
            case 10 -> onIcrq(msg);
            case 11 -> onIcrp(msg);
            case 12 -> onIccn(msg);
            case 14 -> onCdn(msg);
            case 15 -> log.debug("{}WEN accepted: {}", logPrefix, msg);           // §6.13
            case 16 -> log.debug("{}SLI accepted (ACCM ignored for sync framing)", logPrefix); // §6.14
            case 7 -> rejectOutgoingCall(msg);
            default -> log.debug("{}{} ignored", logPrefix, type);
        }
    }

    // ---- control connection establishment (§7.2) ----

    /** LAC: sends SCCRQ (§6.1). */
    void start() {
        state = State.WAIT_CTL_REPLY;
        List<Avp> avps = sccAvps();
        if (config.sendTieBreaker()) {
            tieBreaker = new byte[8];
            endpoint.random().nextBytes(tieBreaker);
            avps.add(Avp.tieBreaker(tieBreaker));
        }
        log.info("{}Connecting to LNS {}", logPrefix, L2tpEndpoint.format(peer));
        send(ControlMessage.of(MessageType.SCCRQ, 0, 0, avps));
    }

    private List<Avp> sccAvps() {
        List<Avp> avps = new ArrayList<>();
        avps.add(Avp.protocolVersion());
        avps.add(maybeHidden(Avp.framingCapabilities(FRAMING_CAPS)));
        avps.add(maybeHidden(Avp.bearerCapabilities(0)));
        avps.add(Avp.firmwareRevision(config.firmware()));
        avps.add(Avp.hostName(config.hostName()));
        if (config.vendorName() != null) {
            avps.add(Avp.vendorName(config.vendorName()));
        }
        avps.add(Avp.assignedTunnelId(localId));
        avps.add(Avp.receiveWindowSize(config.transport().receiveWindow()));
        if (config.hasSecret() && config.challenge()) {
            ourChallenge = new byte[16];
            endpoint.random().nextBytes(ourChallenge);
            avps.add(Avp.challenge(ourChallenge));
        }
        return avps;
    }

    /** Hides AVPs that §4.3 allows to be hidden when the tunnel is configured to. */
    private Avp maybeHidden(Avp a) {
        return config.hideAvps() ? a.asHidden() : a;
    }

    /** LNS: a new tunnel created for an SCCRQ (§6.1); answers with SCCRP (§6.2). */
    private void onSccrq(ControlMessage msg) {
        if (initiator || state != State.IDLE) {
            log.debug("{}SCCRQ in state {} ignored", logPrefix, state);
            return;
        }
        if (!checkProtocolVersion(msg)) {
            return;
        }
        int assigned = msg.assignedTunnelId().orElse(0);
        if (assigned == 0) {
            fail(ResultCode.STOPCCN_GENERAL_ERROR, ResultCode.ERROR_BAD_VALUE, "Assigned Tunnel ID 0 (must be non-zero)");
            return;
        }
        peerId = assigned;
        peerAssignedIdFromSccrq = assigned;
        transport.setTunnelId(peerId);
        peerHostName = hostNameOf(msg);
        msg.u16(AvpType.RECEIVE_WINDOW_SIZE).ifPresent(transport::setPeerWindow);
        List<Avp> avps = sccAvps();
        Avp challenge = msg.find(AvpType.CHALLENGE);
        if (challenge != null) {
            if (!config.hasSecret()) {
                fail(ResultCode.STOPCCN_NOT_AUTHORIZED, null, "peer sent a Challenge and no tunnel secret is configured");
                return;
            }
            avps.add(Avp.challengeResponse(hidden.challengeResponse(MessageType.SCCRP.code(), challenge.bytes())));
        } else if (config.hasSecret() && !config.challenge()) {
            log.debug("{}peer did not challenge us", logPrefix);
        }
        state = State.WAIT_CTL_CONN;
        log.info("{}SCCRQ from {} (host {}), peer tunnel {}", logPrefix, L2tpEndpoint.format(peer), peerHostName, peerId);
        send(ControlMessage.of(MessageType.SCCRP, peerId, 0, avps));
    }

    /** LAC: SCCRP (§6.2) → check it, answer with SCCCN (§6.3), established. */
    private void onSccrp(ControlMessage msg) {
        if (!initiator || state != State.WAIT_CTL_REPLY) {
            log.debug("{}SCCRP in state {} ignored", logPrefix, state);
            return;
        }
        int assigned = msg.assignedTunnelId().orElse(0);
        if (assigned == 0) {
            fail(ResultCode.STOPCCN_GENERAL_ERROR, ResultCode.ERROR_BAD_VALUE, "Assigned Tunnel ID 0 in SCCRP");
            return;
        }
        peerId = assigned;
        transport.setTunnelId(peerId);
        if (!checkProtocolVersion(msg)) {
            return;
        }
        peerHostName = hostNameOf(msg);
        msg.u16(AvpType.RECEIVE_WINDOW_SIZE).ifPresent(transport::setPeerWindow);
        if (!verifyChallengeResponse(msg, MessageType.SCCRP)) {
            return;
        }
        List<Avp> avps = new ArrayList<>();
        Avp challenge = msg.find(AvpType.CHALLENGE);
        if (challenge != null) {
            if (!config.hasSecret()) {
                fail(ResultCode.STOPCCN_NOT_AUTHORIZED, null, "LNS sent a Challenge and no tunnel secret is configured");
                return;
            }
            avps.add(Avp.challengeResponse(hidden.challengeResponse(MessageType.SCCCN.code(), challenge.bytes())));
        }
        send(ControlMessage.of(MessageType.SCCCN, peerId, 0, avps));
        established();
    }

    /** LNS: SCCCN (§6.3) → check the Challenge Response, established. */
    private void onScccn(ControlMessage msg) {
        if (initiator || state != State.WAIT_CTL_CONN) {
            log.debug("{}SCCCN in state {} ignored", logPrefix, state);
            return;
        }
        if (!verifyChallengeResponse(msg, MessageType.SCCCN)) {
            return;
        }
        established();
    }

    /**
     * RFC 2661 §5.1.1: if we sent a Challenge, the answer MUST carry a Challenge Response equal
     * to MD5(type ‖ secret ‖ challenge); otherwise the tunnel is refused with StopCCN result 4.
     */
    private boolean verifyChallengeResponse(ControlMessage msg, MessageType type) {
        if (ourChallenge == null) {
            return true;
        }
        Avp response = msg.find(AvpType.CHALLENGE_RESPONSE);
        byte[] expected = hidden.challengeResponse(type.code(), ourChallenge);
        if (response == null || !MessageDigest.isEqual(expected, response.bytes())) {
            fail(ResultCode.STOPCCN_NOT_AUTHORIZED, null, response == null
                    ? "tunnel authentication failed: no Challenge Response in " + type
                    : "tunnel authentication failed: wrong Challenge Response in " + type + " (secrets differ)");
            return false;
        }
        log.info("{}tunnel authentication succeeded", logPrefix);
        return true;
    }

    private boolean checkProtocolVersion(ControlMessage msg) {
        Avp v = msg.find(AvpType.PROTOCOL_VERSION);
        if (v != null && v.value() instanceof AvpValue.ProtocolVersionValue pv && pv.version() == 1 && pv.revision() == 0) {
            return true;
        }
        fail(ResultCode.STOPCCN_BAD_PROTOCOL_VERSION, null, "unsupported Protocol Version " + (v == null ? "none" : v.value()));
        return false;
    }

    private static String hostNameOf(ControlMessage msg) {
        Avp h = msg.find(AvpType.HOST_NAME);
        return h == null ? "?" : h.text();
    }

    private void established() {
        state = State.ESTABLISHED;
        establishedAtNanos = endpoint.nanoTime();
        logPrefix = "tunnel=" + localId + " ";
        log.info("{}tunnel {} established with peer tunnel {} ({} at {})", logPrefix, localId, peerId, peerHostName,
                L2tpEndpoint.format(peer));
        armHello();
        events.accept(new L2tpEvent.TunnelUp(this));
        for (Session s : List.copyOf(pendingSessions)) {
            pendingSessions.remove(s);
            if (s.state == Session.State.WAIT_TUNNEL) {
                sendIcrq(s);
            }
        }
    }

    // ---- HELLO (§6.5) ----

    private void armHello() {
        long interval = config.helloInterval().toNanos();
        if (interval <= 0) {
            return;
        }
        long idle = endpoint.nanoTime() - lastRxNanos;
        long delay = Math.max(interval - idle, 1_000_000);
        helloTimer = endpoint.loop().schedule(this::helloCheck, delay, TimeUnit.NANOSECONDS);
    }

    private void helloCheck() {
        helloTimer = null;
        if (state != State.ESTABLISHED) {
            return;
        }
        long idle = endpoint.nanoTime() - lastRxNanos;
        if (idle >= config.helloInterval().toNanos() && transport.idle()) {
            log.debug("{}idle for {} s, sending HELLO", logPrefix, TimeUnit.NANOSECONDS.toSeconds(idle));
            send(ControlMessage.of(MessageType.HELLO, peerId, 0, List.of()));
            lastRxNanos = endpoint.nanoTime(); // next HELLO one interval later unless the peer stays silent
        }
        armHello();
    }

    // ---- calls (§7.4) ----

    /** LAC: places an incoming call (§7.4.1); ICRQ goes out once the tunnel is established. */
    public Session openSession(SessionConfig cfg, FrameReceiver receiver) {
        if (state == State.CLOSING || state == State.CLOSED) {
            throw new IllegalStateException("tunnel " + localId + " is " + state);
        }
        int id = endpoint.allocateSessionId(this);
        Session s = new Session(this, id, true, cfg, endpoint.nextCallSerial());
        s.receiver = receiver;
        s.state = Session.State.WAIT_TUNNEL;
        sessions.put(id, s);
        if (state == State.ESTABLISHED) {
            sendIcrq(s);
        } else {
            pendingSessions.add(s);
        }
        return s;
    }

    private void sendIcrq(Session s) {
        s.state = Session.State.WAIT_REPLY;
        List<Avp> avps = new ArrayList<>();
        avps.add(Avp.assignedSessionId(s.localId()));
        avps.add(Avp.callSerialNumber(s.serial()));
        avps.add(maybeHidden(Avp.bearerType(s.config.bearerType())));
        if (s.config.callingNumber() != null) {
            avps.add(maybeHidden(Avp.callingNumber(s.config.callingNumber())));
        }
        log.info("{}session={} placing call (serial {})", logPrefix, s.localId(), s.serial());
        send(ControlMessage.of(MessageType.ICRQ, peerId, 0, avps));
    }

    /** LNS: ICRQ (§6.9) → new call, ICRP (§6.10). */
    private void onIcrq(ControlMessage msg) {
        if (initiator || state != State.ESTABLISHED) {
            rejectCall(msg, ResultCode.ERROR_NO_CONTROL_CONNECTION, "ICRQ before the tunnel is established");
            return;
        }
        int peerSession = msg.assignedSessionId().orElse(0);
        if (peerSession == 0) {
            rejectCall(msg, ResultCode.ERROR_BAD_VALUE, "Assigned Session ID 0");
            return;
        }
        for (Session existing : sessions.values()) {
            if (existing.peerId == peerSession && existing.state != Session.State.CLOSED) {
                log.debug("{}duplicate ICRQ for peer session {}", logPrefix, peerSession);
                return;
            }
        }
        Avp serial = msg.find(AvpType.CALL_SERIAL_NUMBER);
        int id = endpoint.allocateSessionId(this);
        Session s = new Session(this, id, false, SessionConfig.defaults(), serial == null ? 0 : serial.u32());
        s.peerId = peerSession;
        s.state = Session.State.WAIT_CONNECT;
        sessions.put(id, s);
        log.info("{}session={} incoming call from peer session {}", logPrefix, id, peerSession);
        send(ControlMessage.of(MessageType.ICRP, peerId, peerSession, List.of(Avp.assignedSessionId(id))));
    }

    private void rejectCall(ControlMessage icrq, int error, String why) {
        int peerSession = icrq.assignedSessionId().orElse(0);
        log.warn("{}rejecting call: {}", logPrefix, why);
        send(ControlMessage.of(MessageType.CDN, peerId, peerSession,
                List.of(Avp.resultCode(ResultCode.CDN_GENERAL_ERROR, error, why), Avp.assignedSessionId(0))));
    }

    private void rejectOutgoingCall(ControlMessage ocrq) {
        int peerSession = ocrq.assignedSessionId().orElse(0);
        log.info("{}outgoing call request refused: jl2tp places incoming calls only", logPrefix);
        send(ControlMessage.of(MessageType.CDN, peerId, peerSession,
                List.of(Avp.resultCode(ResultCode.CDN_PERMANENT_NO_FACILITIES, null, null), Avp.assignedSessionId(0))));
    }

    /** LAC: ICRP (§6.10) → ICCN (§6.11), established. */
    private void onIcrp(ControlMessage msg) {
        Session s = sessions.get(msg.sessionId());
        if (s == null || !s.isLac() || s.state != Session.State.WAIT_REPLY) {
            log.debug("{}ICRP for unknown/unexpected session {} ignored", logPrefix, msg.sessionId());
            return;
        }
        int assigned = msg.assignedSessionId().orElse(0);
        if (assigned == 0) {
            closeSession(s, ResultCode.CDN_GENERAL_ERROR, ResultCode.ERROR_BAD_VALUE, "Assigned Session ID 0 in ICRP",
                    "Assigned Session ID 0 in ICRP");
            return;
        }
        s.peerId = assigned;
        List<Avp> avps = new ArrayList<>();
        avps.add(Avp.txConnectSpeed(s.config.txConnectSpeed()));
        avps.add(Avp.framingType(s.config.framingType()));
        if (s.config.sequencingRequired()) {
            avps.add(Avp.sequencingRequired());
            s.sequencingRequired = true;
        }
        send(ControlMessage.of(MessageType.ICCN, peerId, s.peerId, avps));
        sessionUp(s);
    }

    /** LNS: ICCN (§6.11) → established. */
    private void onIccn(ControlMessage msg) {
        Session s = sessions.get(msg.sessionId());
        if (s == null || s.isLac() || s.state != Session.State.WAIT_CONNECT) {
            log.debug("{}ICCN for unknown/unexpected session {} ignored", logPrefix, msg.sessionId());
            return;
        }
        s.sequencingRequired = msg.has(AvpType.SEQUENCING_REQUIRED);
        FrameReceiver r = endpoint.acceptSession(s);
        if (r == null) {
            closeSession(s, ResultCode.CDN_PERMANENT_NO_FACILITIES, null, "call refused by the LNS application",
                    "refused by application");
            return;
        }
        s.receiver = r;
        sessionUp(s);
    }

    private void sessionUp(Session s) {
        s.state = Session.State.ESTABLISHED;
        s.publish(s.sequencingRequired);
        log.info("{}session={} call {} established with peer session {}", logPrefix, s.localId(), s.localId(), s.peerId);
        events.accept(new L2tpEvent.SessionUp(s));
    }

    /** CDN (§6.12) from the peer. */
    private void onCdn(ControlMessage msg) {
        Session s = sessions.get(msg.sessionId());
        if (s == null) {
            log.debug("{}CDN for unknown session {} ignored", logPrefix, msg.sessionId());
            return;
        }
        AvpValue.ResultCodeValue rc = msg.resultCode();
        String why = ResultCode.describe(false, rc);
        log.info("{}session={} call disconnected by peer: {}", logPrefix, s.localId(), why);
        sessionGone(s, why, rc, true);
    }

    /** Sends CDN and forgets the call (event loop). */
    void closeSession(Session s, int result, Integer error, String message, String reason) {
        if (s.state == Session.State.CLOSED) {
            return;
        }
        if (s.state != Session.State.WAIT_TUNNEL && state == State.ESTABLISHED) {
            send(ControlMessage.of(MessageType.CDN, peerId, s.peerId,
                    List.of(Avp.resultCode(result, error, message), Avp.assignedSessionId(s.localId()))));
        }
        log.info("{}session={} call closed: {}", logPrefix, s.localId(), reason);
        sessionGone(s, reason, new AvpValue.ResultCodeValue(result, error, message), false);
    }

    private void sessionGone(Session s, String reason, AvpValue.ResultCodeValue rc, boolean byPeer) {
        s.state = Session.State.CLOSED;
        s.unpublish();
        sessions.remove(s.localId());
        pendingSessions.remove(s);
        endpoint.releaseSessionId(this, s.localId());
        events.accept(new L2tpEvent.SessionDown(s, reason, rc, byPeer));
    }

    // ---- teardown (§5.7, §6.4) ----

    /** Clean teardown: CDN for each call, then StopCCN result 1, then the linger. Event loop. */
    public void close(String reason) {
        if (state == State.CLOSING || state == State.CLOSED) {
            return;
        }
        for (Session s : List.copyOf(sessions.values())) {
            closeSession(s, ResultCode.CDN_ADMIN, null, reason, reason);
        }
        if (peerId != 0) {
            sendStopCcn(ResultCode.STOPCCN_CLEAR, null, reason);
        }
        down(reason, new AvpValue.ResultCodeValue(ResultCode.STOPCCN_CLEAR, null, reason), false);
    }

    /** Tears the tunnel down with StopCCN after a protocol error or failed authentication. */
    private void fail(int result, Integer error, String why) {
        log.warn("{}{}", logPrefix, why);
        for (Session s : List.copyOf(sessions.values())) {
            sessionGone(s, why, null, false);
        }
        if (peerId != 0) {
            sendStopCcn(result, error, why);
        }
        down(why, new AvpValue.ResultCodeValue(result, error, why), false);
    }

    private void sendStopCcn(int result, Integer error, String message) {
        stopSent = true;
        // §6.4: Assigned Tunnel ID MUST be the one we first sent; Result Code MUST be present.
        send(ControlMessage.of(MessageType.STOPCCN, peerId, 0,
                List.of(Avp.assignedTunnelId(localId), Avp.resultCode(result, error, message))));
    }

    /** StopCCN from the peer (§6.4): acknowledge at once, clear the calls, linger. */
    private void onStopCcn(ControlMessage msg) {
        transport.sendZlbNow();
        AvpValue.ResultCodeValue rc = msg.resultCode();
        String why = ResultCode.describe(true, rc);
        log.info("{}tunnel closed by peer: {}", logPrefix, why);
        for (Session s : List.copyOf(sessions.values())) {
            sessionGone(s, "tunnel closed by peer: " + why, rc, true);
        }
        down("closed by peer: " + why, rc, true);
    }

    private void down(String reason, AvpValue.ResultCodeValue rc, boolean byPeer) {
        boolean wasUp = state != State.CLOSED;
        state = State.CLOSING;
        cancelHello();
        // §5.7: keep the transport for one full retransmission cycle, so that a retransmitted
        // StopCCN is acknowledged and our own StopCCN is retransmitted until acknowledged.
        long linger = config.transport().fullCycle().toMillis();
        lingerTimer = endpoint.loop().schedule(this::finish, linger, TimeUnit.MILLISECONDS);
        if (wasUp) {
            events.accept(new L2tpEvent.TunnelDown(this, reason, rc, byPeer));
        }
    }

    private void onRetriesExhausted(ControlMessage msg, int retries) {
        String why = "peer not responding: " + msg.messageType() + " unacknowledged after " + retries + " retransmissions";
        if (state == State.CLOSING) {
            finish();
            return;
        }
        log.warn("{}{}", logPrefix, why);
        for (Session s : List.copyOf(sessions.values())) {
            sessionGone(s, why, null, false);
        }
        state = State.CLOSING;
        cancelHello();
        events.accept(new L2tpEvent.TunnelDown(this, why, null, false));
        finish();
    }

    private void finish() {
        if (state == State.CLOSED) {
            return;
        }
        state = State.CLOSED;
        cancelHello();
        if (lingerTimer != null) {
            lingerTimer.cancel(false);
        }
        transport.close();
        endpoint.remove(this);
        log.debug("{}state released", logPrefix);
    }

    /** Drops all state at once without a StopCCN (endpoint shut-down or lost tie-break). */
    void abandon(String reason) {
        if (state != State.CLOSING && state != State.CLOSED) {
            for (Session s : List.copyOf(sessions.values())) {
                sessionGone(s, reason, null, false);
            }
            events.accept(new L2tpEvent.TunnelDown(this, reason, null, false));
        }
        state = State.CLOSING;
        finish();
    }

    private void cancelHello() {
        if (helloTimer != null) {
            helloTimer.cancel(false);
            helloTimer = null;
        }
    }

    private void send(ControlMessage msg) {
        if (log.isDebugEnabled()) {
            log.debug("{}send {}", logPrefix, msg);
        }
        transport.send(msg);
    }

    @Override
    public String toString() {
        return "tunnel " + localId + "/" + peerId + " " + state + " peer " + L2tpEndpoint.format(peer);
    }
}
