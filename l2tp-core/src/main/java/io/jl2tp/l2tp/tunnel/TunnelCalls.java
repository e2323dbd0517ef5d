package io.jl2tp.l2tp.tunnel;

import io.jl2tp.l2tp.wire.Avp;
import io.jl2tp.l2tp.wire.ControlMessage;
import io.jl2tp.l2tp.wire.MessageType;
import io.jl2tp.l2tp.wire.ResultCode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

/**
 * The calls of one tunnel: the registry (by our Session ID, by the peer's for duplicate ICRQs,
 * the half-open ones oldest first) and the forwarding of session-scoped control messages to
 * the {@link Session} they address, which runs its §7.4 table. Threads: the endpoint's event
 * loop.
 */
final class TunnelCalls {

    private static final Logger log = LoggerFactory.getLogger(TunnelCalls.class);

    private final Tunnel tunnel;
    private final Map<Integer, Session> byId = new LinkedHashMap<>();
    private final Map<Integer, Session> byPeerId = new HashMap<>();
    private final LinkedHashSet<Session> halfOpen = new LinkedHashSet<>();

    TunnelCalls(Tunnel tunnel) {
        this.tunnel = tunnel;
    }

    Session get(int localId) {
        return byId.get(localId);
    }

    List<Session> all() {
        return List.copyOf(byId.values());
    }

    int halfOpen() {
        return halfOpen.size();
    }

    /**
     * Issue 11 row 2, the reply backlog: an ICRQ costs the LNS an ICRP (and, at the half-open
     * cap, a CDN for the oldest call), but only the peer's window of them may be in flight; a
     * peer that keeps sending ICRQs and acknowledging the replies would grow our queue by about
     * one message per ICRQ. So while this tunnel has {@link EndpointLimits#queuedPerTunnel}
     * messages or more queued, the next ICRQ is deferred: the transport treats it as not yet
     * received (held, not acknowledged) and offers it again once the peer acknowledges what we
     * sent. The peer's window (RFC 2661 §5.8) then holds it back, and its retransmission repeats
     * the offer. Only an LNS defers and only ICRQs, which only a LAC sends; a LAC accepts all we
     * send and its acknowledgements drain our queue, so two honest peers cannot wait on each other
     * (refusing any in-order message on a long queue did: both sides stop acknowledging).
     */
    boolean readyFor(ControlMessage msg) {
        if (tunnel.isInitiator() || !MessageType.ICRQ.equals(msg.messageType())
                || tunnel.transport().queued() < tunnel.endpoint().limits().queuedPerTunnel()) {
            return true;
        }
        tunnel.endpoint().countIcrqDeferred();
        return false;
    }

    /** A session-scoped message that passed the §4.1/§6 checks (tunnel not closing). */
    void receive(ControlMessage msg) {
        MessageType type = msg.messageType();
        if (MessageType.ICRQ.equals(type) && msg.sessionId() == 0) {
            int peerSession = msg.assignedSessionId().orElse(0);
            if (peerSession != 0 && byPeerId.containsKey(peerSession)) {
                log.debug("{}duplicate ICRQ for peer session {}", tunnel.logPrefix(), peerSession);
                return;
            }
            Session.answering(tunnel, msg).receive(msg); // §7.4.2 idle × Receive ICRQ
        } else if (MessageType.OCRQ.equals(type)) {
            // §7.5.1 idle × Receive OCRQ, not acceptable: jl2tp places incoming calls only.
            tunnel.peerLog("{}outgoing call request refused: jl2tp places incoming calls only", tunnel.logPrefix());
            tunnel.sendControl(ControlMessage.of(MessageType.CDN, tunnel.peerId(), msg.assignedSessionId().orElse(0),
                    List.of(Avp.resultCode(ResultCode.CDN_PERMANENT_NO_FACILITIES, null, null), Avp.assignedSessionId(0))));
        } else {
            Session s = byId.get(msg.sessionId());
            if (s == null) {
                // §7.4.1/§7.4.2 idle × Receive ICRP/ICCN/CDN: "Clean up" — there is nothing to clean.
                tunnel.endpoint().countUnknownSessionMessage();
                log.debug("{}{} for unknown session {} ignored", tunnel.logPrefix(), type, msg.sessionId());
            } else {
                s.receive(msg);
            }
        }
    }

    /** A session-scoped message that broke §4.1/§6: end the call it addresses (CDN). */
    void protocolError(ControlMessage msg, Cause bad) {
        Session s = byId.get(msg.sessionId());
        if (s != null) {
            s.fire(CallTable.Event.BAD_MESSAGE, msg, bad);
        } else if (MessageType.ICRQ.equals(msg.messageType())) {
            Session.answering(tunnel, msg).fire(CallTable.Event.ICRQ_NOT_ACCEPTABLE, msg, bad);
        } else {
            tunnel.peerLog("{}{} for unknown session {}: {}", tunnel.logPrefix(), msg.messageType(), msg.sessionId(),
                    bad.text());
        }
    }

    /** LAC: places a call (§7.4.1 idle × Bearer Ring). */
    Session open(SessionConfig cfg, FrameReceiver receiver) {
        int id = tunnel.endpoint().allocateSessionId();
        if (id == 0) {
            throw new IllegalStateException("no free Session ID");
        }
        Session s = Session.placed(tunnel, id, cfg, tunnel.endpoint().nextCallSerial(), receiver);
        register(s);
        s.fire(CallTable.Event.OPEN_REQUEST, null, null);
        return s;
    }

    /** tunnel-open for every call in wait-tunnel (§7.4.1). */
    void openWaiting() {
        for (Session s : all()) {
            if (s.state() == Session.State.WAIT_TUNNEL) {
                s.fire(CallTable.Event.TUNNEL_OPEN, null, null);
            }
        }
    }

    /** Local close of every call (CDN each). */
    void closeAll(String reason) {
        for (Session s : all()) {
            s.fire(CallTable.Event.LOCAL_CLOSE, null, Cause.local(ResultCode.CDN_ADMIN, null, reason));
        }
    }

    /** The tunnel is gone: every call is cleaned up without CDN. */
    void tunnelDown(Cause why) {
        Cause c = new Cause(why.byPeer() ? "tunnel " + why.text() : why.text(), why.rc(), why.byPeer());
        for (Session s : all()) {
            s.fire(CallTable.Event.TUNNEL_DOWN, null, c);
        }
    }

    void register(Session s) {
        byId.put(s.localId(), s);
        if (!s.isLac()) {
            byPeerId.put(s.peerId(), s);
        }
    }

    void forget(Session s) {
        byId.remove(s.localId(), s);
        byPeerId.remove(s.peerId(), s);
        halfOpen.remove(s);
        tunnel.endpoint().releaseSessionId(s.localId());
    }

    /** A call entered or left wait-reply/wait-connect; the LNS caps them, dropping the oldest. */
    void halfOpen(Session s, boolean open) {
        if (!open) {
            halfOpen.remove(s);
            return;
        }
        halfOpen.add(s);
        if (!s.isLac() && halfOpen.size() > tunnel.endpoint().limits().halfOpenCallsPerTunnel()) {
            Session oldest = halfOpen.iterator().next();
            tunnel.endpoint().countHalfOpenCallEvicted();
            oldest.fire(CallTable.Event.HALF_OPEN_EVICTED, null, Cause.local(ResultCode.CDN_TEMPORARY_NO_FACILITIES,
                    ResultCode.ERROR_NO_RESOURCES, "too many calls waiting for ICCN"));
        }
    }
}
