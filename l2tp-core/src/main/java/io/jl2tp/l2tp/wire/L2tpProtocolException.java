package io.jl2tp.l2tp.wire;

/**
 * A datagram that is not valid L2TPv2 (RFC 2661). Thrown only by the codec, always checked:
 * the caller drops the datagram, counts it and carries on (a single bad datagram never closes
 * the socket or the tunnel, STYLE §3.3).
 */
public final class L2tpProtocolException extends Exception {

    private static final long serialVersionUID = 1L;

    /** What was wrong. */
    public enum Kind {
        /** Fewer bytes than the header needs. */
        SHORT_HEADER,
        /** The Length field disagrees with the datagram. */
        LENGTH_MISMATCH,
        /** Ver is not 2 (RFC 2661 §3.1: drop unknown versions). */
        BAD_VERSION,
        /** Reserved header bits set, or control-message flag rules broken (§3.1). */
        RESERVED_BITS,
        /** An AVP length below 6 or past the end of the message (§4.1). */
        BAD_AVP_LENGTH,
        /** A hidden AVP and no shared secret (§4.3). */
        HIDDEN_NO_SECRET,
        /** A hidden AVP with no Random Vector before it (§4.3). */
        HIDDEN_NO_RANDOM_VECTOR,
        /** The decrypted original length of a hidden AVP is impossible (§4.3). */
        BAD_HIDDEN_LENGTH,
        /** An AVP value of the wrong size or form for its type (§4.4). */
        BAD_AVP_VALUE,
        /** A control message whose first AVP is not Message Type (§4.1). */
        NO_MESSAGE_TYPE,
        /** A data message where a control message was expected, or the reverse. */
        WRONG_KIND
    }

    private final Kind kind;

    /** A protocol error of {@code kind} with a human-readable detail. */
    public L2tpProtocolException(Kind kind, String message) {
        super(message, null, false, false);
        this.kind = kind;
    }

    /** What was wrong. */
    public Kind kind() {
        return kind;
    }

    @Override
    public String getMessage() {
        return kind + ": " + super.getMessage();
    }
}
