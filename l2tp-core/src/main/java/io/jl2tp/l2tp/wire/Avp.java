package io.jl2tp.l2tp.wire;

import java.nio.charset.StandardCharsets;

/**
 * One attribute-value pair (RFC 2661 §4.1).
 *
 * @param vendorId      0 for the IETF AVPs of §4.4
 * @param type          attribute type
 * @param mandatory     the M bit: an unrecognised mandatory AVP ends the session or tunnel
 * @param hidden        the H bit: sent encrypted with the tunnel secret (§4.3); {@link #value}
 *                      is always the plaintext
 * @param reservedFlags the four reserved flag bits as received (non-zero = unrecognised, §4.1)
 * @param value         the typed value; {@link AvpValue.Raw} when not interpreted
 * @param hiddenWire    for a received hidden AVP, its on-the-wire value octets (ciphertext with
 *                      the original padding), so that re-encoding is byte-identical; null for
 *                      AVPs built locally
 */
public record Avp(int vendorId, int type, boolean mandatory, boolean hidden, int reservedFlags, AvpValue value,
                  byte[] hiddenWire) {

    /** An IETF AVP (vendor 0), not hidden. */
    public static Avp of(int type, boolean mandatory, AvpValue value) {
        return new Avp(0, type, mandatory, false, 0, value, null);
    }

    /** True if this AVP is one of RFC 2661's (vendor 0, known type, no reserved flag bits). */
    public boolean isRecognised() {
        return vendorId == 0 && reservedFlags == 0 && AvpType.info(type) != null;
    }

    /** The same AVP marked to be hidden on encode (§4.3). */
    public Avp asHidden() {
        return new Avp(vendorId, type, mandatory, true, reservedFlags, value, null);
    }

    /** The value as a 16-bit integer, or -1 if it is not one. */
    public int u16() {
        return value instanceof AvpValue.U16 u ? u.value() : -1;
    }

    /** The value as a 32-bit unsigned integer, or -1 if it is not one. */
    public long u32() {
        return value instanceof AvpValue.U32 u ? u.value() : -1;
    }

    /** The value as octets (Bytes, Raw or the ISO-8859-1 octets of Text). */
    public byte[] bytes() {
        if (value instanceof AvpValue.Bytes b) {
            return b.value().clone();
        }
        if (value instanceof AvpValue.Raw r) {
            return r.value().clone();
        }
        if (value instanceof AvpValue.Text t) {
            return t.value().getBytes(StandardCharsets.ISO_8859_1);
        }
        return new byte[0];
    }

    /** The value as a string, or null. */
    public String text() {
        return value instanceof AvpValue.Text t ? t.value() : null;
    }

    // ---- factories for the AVPs jl2tp sends (RFC 2661 §4.4; M bits per the RFC) ----

    public static Avp messageType(MessageType t) {
        return of(AvpType.MESSAGE_TYPE, true, new AvpValue.U16(t.code()));
    }

    public static Avp resultCode(int result, Integer error, String message) {
        return of(AvpType.RESULT_CODE, true, new AvpValue.ResultCodeValue(result, error, message));
    }

    public static Avp protocolVersion() {
        return of(AvpType.PROTOCOL_VERSION, true, new AvpValue.ProtocolVersionValue(1, 0));
    }

    public static Avp framingCapabilities(long caps) {
        return of(AvpType.FRAMING_CAPABILITIES, true, new AvpValue.U32(caps));
    }

    public static Avp bearerCapabilities(long caps) {
        return of(AvpType.BEARER_CAPABILITIES, true, new AvpValue.U32(caps));
    }

    public static Avp tieBreaker(byte[] eight) {
        return of(AvpType.TIE_BREAKER, false, new AvpValue.Bytes(eight.clone()));
    }

    public static Avp firmwareRevision(int rev) {
        return of(AvpType.FIRMWARE_REVISION, false, new AvpValue.U16(rev));
    }

    public static Avp hostName(String name) {
        return of(AvpType.HOST_NAME, true, new AvpValue.Text(name));
    }

    public static Avp vendorName(String name) {
        return of(AvpType.VENDOR_NAME, false, new AvpValue.Text(name));
    }

    public static Avp assignedTunnelId(int id) {
        return of(AvpType.ASSIGNED_TUNNEL_ID, true, new AvpValue.U16(id));
    }

    public static Avp receiveWindowSize(int rws) {
        return of(AvpType.RECEIVE_WINDOW_SIZE, true, new AvpValue.U16(rws));
    }

    public static Avp challenge(byte[] challenge) {
        return of(AvpType.CHALLENGE, true, new AvpValue.Bytes(challenge.clone()));
    }

    public static Avp challengeResponse(byte[] response) {
        return of(AvpType.CHALLENGE_RESPONSE, true, new AvpValue.Bytes(response.clone()));
    }

    public static Avp assignedSessionId(int id) {
        return of(AvpType.ASSIGNED_SESSION_ID, true, new AvpValue.U16(id));
    }

    public static Avp callSerialNumber(long serial) {
        return of(AvpType.CALL_SERIAL_NUMBER, true, new AvpValue.U32(serial));
    }

    public static Avp bearerType(long type) {
        return of(AvpType.BEARER_TYPE, true, new AvpValue.U32(type));
    }

    public static Avp framingType(long type) {
        return of(AvpType.FRAMING_TYPE, true, new AvpValue.U32(type));
    }

    public static Avp txConnectSpeed(long bps) {
        return of(AvpType.TX_CONNECT_SPEED, true, new AvpValue.U32(bps));
    }

    public static Avp rxConnectSpeed(long bps) {
        return of(AvpType.RX_CONNECT_SPEED, false, new AvpValue.U32(bps));
    }

    public static Avp randomVector(byte[] rv) {
        return of(AvpType.RANDOM_VECTOR, true, new AvpValue.Bytes(rv.clone()));
    }

    public static Avp sequencingRequired() {
        return of(AvpType.SEQUENCING_REQUIRED, true, new AvpValue.Empty());
    }

    public static Avp callingNumber(String number) {
        return of(AvpType.CALLING_NUMBER, true, new AvpValue.Text(number));
    }

    public static Avp calledNumber(String number) {
        return of(AvpType.CALLED_NUMBER, true, new AvpValue.Text(number));
    }

    public static Avp physicalChannelId(long id) {
        return of(AvpType.PHYSICAL_CHANNEL_ID, false, new AvpValue.U32(id));
    }

    @Override
    public String toString() {
        String name = vendorId == 0 ? AvpType.name(type) : "vendor " + vendorId + " AVP " + type;
        String v = type == AvpType.CHALLENGE || type == AvpType.CHALLENGE_RESPONSE || type == AvpType.RANDOM_VECTOR
                ? "<" + value.length() + " octets>" : String.valueOf(value);
        return (mandatory ? "*" : "") + (hidden ? "(hidden)" : "") + name + "=" + v;
    }
}
