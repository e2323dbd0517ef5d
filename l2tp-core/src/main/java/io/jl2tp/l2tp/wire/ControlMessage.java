package io.jl2tp.l2tp.wire;

import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;

/**
 * A control message (RFC 2661 §3.1 with T, L, S set): header fields and AVPs in wire order.
 * A message with no AVPs is a ZLB acknowledgement (§5.8).
 *
 * @param tunnelId  the receiver's tunnel id (0 until the peer's Assigned Tunnel ID is known)
 * @param sessionId the receiver's session id (0 for tunnel messages)
 * @param ns        sequence number of this message
 * @param nr        next sequence number expected from the peer
 * @param avps      AVPs, Message Type first (§4.1); empty for a ZLB
 */
public record ControlMessage(int tunnelId, int sessionId, int ns, int nr, List<Avp> avps) {

    /** Copies the AVP list. */
    public ControlMessage {
        avps = List.copyOf(avps);
    }

    /** A message of {@code type} with the Message Type AVP put first; Ns/Nr are set on sending. */
    public static ControlMessage of(MessageType type, int tunnelId, int sessionId, List<Avp> avps) {
        List<Avp> all = new ArrayList<>(avps.size() + 1);
        all.add(Avp.messageType(type));
        all.addAll(avps);
        return new ControlMessage(tunnelId, sessionId, 0, 0, all);
    }

    /** A ZLB acknowledgement. */
    public static ControlMessage zlb(int tunnelId, int ns, int nr) {
        return new ControlMessage(tunnelId, 0, ns, nr, List.of());
    }

    /** True for a Zero-Length Body acknowledgement. */
    public boolean isZlb() {
        return avps.isEmpty();
    }

    /** The message type, or null for a ZLB. */
    public MessageType messageType() {
        if (avps.isEmpty()) {
            return null;
        }
        Avp first = avps.get(0);
        return MessageType.valueOf(first.u16());
    }

    /** This message with other sequence numbers. */
    public ControlMessage withSequence(int ns, int nr) {
        return new ControlMessage(tunnelId, sessionId, ns, nr, avps);
    }

    /** This message addressed to another tunnel/session. */
    public ControlMessage withIds(int tunnelId, int sessionId) {
        return new ControlMessage(tunnelId, sessionId, ns, nr, avps);
    }

    /** The first IETF AVP of {@code type}, or null. */
    public Avp find(int type) {
        for (Avp a : avps) {
            if (a.vendorId() == 0 && a.type() == type && a.reservedFlags() == 0) {
                return a;
            }
        }
        return null;
    }

    /** True if an IETF AVP of {@code type} is present. */
    public boolean has(int type) {
        return find(type) != null;
    }

    /** A 16-bit AVP value, if present. */
    public OptionalInt u16(int type) {
        Avp a = find(type);
        return a != null && a.value() instanceof AvpValue.U16 u ? OptionalInt.of(u.value()) : OptionalInt.empty();
    }

    /** Assigned Tunnel ID, if present. */
    public OptionalInt assignedTunnelId() {
        return u16(AvpType.ASSIGNED_TUNNEL_ID);
    }

    /** Assigned Session ID, if present. */
    public OptionalInt assignedSessionId() {
        return u16(AvpType.ASSIGNED_SESSION_ID);
    }

    /** The Result Code value, or null. */
    public AvpValue.ResultCodeValue resultCode() {
        Avp a = find(AvpType.RESULT_CODE);
        return a != null && a.value() instanceof AvpValue.ResultCodeValue r ? r : null;
    }

    /** The first mandatory AVP we do not recognise (§4.1), or null. */
    public Avp unknownMandatory() {
        for (Avp a : avps) {
            if (a.mandatory() && !a.isRecognised()) {
                return a;
            }
        }
        return null;
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        sb.append(isZlb() ? "ZLB" : String.valueOf(messageType()))
                .append(" tunnel=").append(tunnelId).append(" session=").append(sessionId)
                .append(" ns=").append(ns).append(" nr=").append(nr);
        for (int i = 1; i < avps.size(); i++) {
            sb.append(' ').append(avps.get(i));
        }
        return sb.toString();
    }
}
