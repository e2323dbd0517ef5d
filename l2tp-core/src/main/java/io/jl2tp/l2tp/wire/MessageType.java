package io.jl2tp.l2tp.wire;

import java.util.Objects;

/**
 * Control message types (RFC 2661 §3.2), an open enum: {@link #valueOf(int)} returns a
 * constant or an "unknown" instance for values we do not know, equal by value.
 */
public final class MessageType {

    public static final MessageType SCCRQ = new MessageType(1, "SCCRQ");
    public static final MessageType SCCRP = new MessageType(2, "SCCRP");
    public static final MessageType SCCCN = new MessageType(3, "SCCCN");
    public static final MessageType STOPCCN = new MessageType(4, "StopCCN");
    public static final MessageType HELLO = new MessageType(6, "HELLO");
    public static final MessageType OCRQ = new MessageType(7, "OCRQ");
    public static final MessageType OCRP = new MessageType(8, "OCRP");
    public static final MessageType OCCN = new MessageType(9, "OCCN");
    public static final MessageType ICRQ = new MessageType(10, "ICRQ");
    public static final MessageType ICRP = new MessageType(11, "ICRP");
    public static final MessageType ICCN = new MessageType(12, "ICCN");
    public static final MessageType CDN = new MessageType(14, "CDN");
    public static final MessageType WEN = new MessageType(15, "WEN");
    public static final MessageType SLI = new MessageType(16, "SLI");

    private static final MessageType[] KNOWN = new MessageType[17];

    static {
        for (MessageType t : new MessageType[] {SCCRQ, SCCRP, SCCCN, STOPCCN, HELLO, OCRQ, OCRP, OCCN, ICRQ, ICRP, ICCN,
                CDN, WEN, SLI}) {
            KNOWN[t.code] = t;
        }
    }

    private final int code;
    private final String name;

    private MessageType(int code, String name) {
        this.code = code;
        this.name = name;
    }

    /** The constant for {@code code}, or an unknown instance. */
    public static MessageType valueOf(int code) {
        if (code >= 0 && code < KNOWN.length && KNOWN[code] != null) {
            return KNOWN[code];
        }
        return new MessageType(code, "Unknown(" + code + ")");
    }

    /** The 16-bit wire value. */
    public int code() {
        return code;
    }

    /** True if this is one of RFC 2661's message types. */
    public boolean isKnown() {
        return code >= 0 && code < KNOWN.length && KNOWN[code] == this;
    }

    /** True for messages of the control connection (as opposed to a call), RFC 2661 §6. */
    public boolean isTunnelMessage() {
        return code == 1 || code == 2 || code == 3 || code == 4 || code == 6;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof MessageType m && m.code == code;
    }

    @Override
    public int hashCode() {
        return Objects.hashCode(code);
    }

    @Override
    public String toString() {
        return name;
    }
}
