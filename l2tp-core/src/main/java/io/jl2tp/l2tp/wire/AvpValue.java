package io.jl2tp.l2tp.wire;

import io.netty.buffer.ByteBuf;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * The typed value of an AVP (RFC 2661 §4.4). Strings are kept as ISO-8859-1 so that any octets
 * a peer sends survive a decode → encode round trip unchanged.
 */
public sealed interface AvpValue {

    /** Writes the value octets (no AVP header). */
    void encode(ByteBuf out);

    /** Value length in octets. */
    int length();

    /** A 16-bit unsigned value. */
    record U16(int value) implements AvpValue {
        public void encode(ByteBuf out) {
            out.writeShort(value);
        }

        public int length() {
            return 2;
        }
    }

    /** A 32-bit unsigned value. */
    record U32(long value) implements AvpValue {
        public void encode(ByteBuf out) {
            out.writeInt((int) value);
        }

        public int length() {
            return 4;
        }
    }

    /** Octets (Challenge, Tie Breaker, Random Vector, LCP CONFREQs, …). */
    record Bytes(byte[] value) implements AvpValue {
        public void encode(ByteBuf out) {
            out.writeBytes(value);
        }

        public int length() {
            return value.length;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Bytes b && Arrays.equals(b.value, value);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(value);
        }

        @Override
        public String toString() {
            return "0x" + HexFormat.of().formatHex(value);
        }
    }

    /** A string. */
    record Text(String value) implements AvpValue {
        public void encode(ByteBuf out) {
            out.writeCharSequence(value, StandardCharsets.ISO_8859_1);
        }

        public int length() {
            return value.length();
        }

        @Override
        public String toString() {
            return '"' + value + '"';
        }
    }

    /**
     * Result Code (§4.4.2): the result, then optionally an error code, then optionally a message.
     * A peer may send just the 2-byte result (an 8-byte AVP); that is valid.
     */
    record ResultCodeValue(int result, Integer error, String message) implements AvpValue {
        public void encode(ByteBuf out) {
            out.writeShort(result);
            if (error != null) {
                out.writeShort(error);
                if (message != null) {
                    out.writeCharSequence(message, StandardCharsets.ISO_8859_1);
                }
            }
        }

        public int length() {
            return 2 + (error == null ? 0 : 2 + (message == null ? 0 : message.length()));
        }
    }

    /** Protocol Version (§4.4.3): version 1, revision 0 for RFC 2661. */
    record ProtocolVersionValue(int version, int revision) implements AvpValue {
        public void encode(ByteBuf out) {
            out.writeByte(version);
            out.writeByte(revision);
        }

        public int length() {
            return 2;
        }
    }

    /** Q.931 Cause Code (§4.4.5). */
    record Q931Value(int cause, int message, String advisory) implements AvpValue {
        public void encode(ByteBuf out) {
            out.writeShort(cause);
            out.writeByte(message);
            if (advisory != null) {
                out.writeCharSequence(advisory, StandardCharsets.ISO_8859_1);
            }
        }

        public int length() {
            return 3 + (advisory == null ? 0 : advisory.length());
        }
    }

    /** Call Errors (§4.4.6), sent in WEN. */
    record CallErrorsValue(int reserved, long crcErrors, long framingErrors, long hardwareOverruns,
                           long bufferOverruns, long timeoutErrors, long alignmentErrors) implements AvpValue {
        public void encode(ByteBuf out) {
            out.writeShort(reserved);
            out.writeInt((int) crcErrors);
            out.writeInt((int) framingErrors);
            out.writeInt((int) hardwareOverruns);
            out.writeInt((int) bufferOverruns);
            out.writeInt((int) timeoutErrors);
            out.writeInt((int) alignmentErrors);
        }

        public int length() {
            return 26;
        }
    }

    /** ACCM (§4.4.6), sent in SLI. */
    record AccmValue(int reserved, long sendAccm, long receiveAccm) implements AvpValue {
        public void encode(ByteBuf out) {
            out.writeShort(reserved);
            out.writeInt((int) sendAccm);
            out.writeInt((int) receiveAccm);
        }

        public int length() {
            return 10;
        }
    }

    /** No value (Sequencing Required). */
    record Empty() implements AvpValue {
        public void encode(ByteBuf out) {
        }

        public int length() {
            return 0;
        }
    }

    /** An AVP we do not interpret (vendor-specific, unknown type, reserved flag bits set). */
    record Raw(byte[] value) implements AvpValue {
        public void encode(ByteBuf out) {
            out.writeBytes(value);
        }

        public int length() {
            return value.length;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Raw r && Arrays.equals(r.value, value);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(value);
        }

        @Override
        public String toString() {
            return "raw 0x" + HexFormat.of().formatHex(value);
        }
    }
}
