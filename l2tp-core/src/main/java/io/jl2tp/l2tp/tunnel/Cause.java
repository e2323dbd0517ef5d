package io.jl2tp.l2tp.tunnel;

import io.jl2tp.l2tp.wire.Avp;
import io.jl2tp.l2tp.wire.AvpValue;
import io.jl2tp.l2tp.wire.ControlMessage;
import io.jl2tp.l2tp.wire.MessageSpec;
import io.jl2tp.l2tp.wire.MessageType;
import io.jl2tp.l2tp.wire.ResultCode;

import java.util.List;

/**
 * Why a tunnel or call ends: the text for logs and events, the result code sent in StopCCN/CDN
 * or received in one (null when none was exchanged: timers, retry limit), and whether the
 * peer ended it.
 */
record Cause(String text, AvpValue.ResultCodeValue rc, boolean byPeer) {

    /** Ended here, with a result code for the StopCCN/CDN. */
    static Cause local(int result, Integer error, String text) {
        return new Cause(text, new AvpValue.ResultCodeValue(result, error, text), false);
    }

    /** Ended here without a result code (timer, retry limit, lost tie-break). */
    static Cause silent(String text) {
        return new Cause(text, null, false);
    }

    /** Ended by the peer's StopCCN/CDN. */
    static Cause peer(String text, AvpValue.ResultCodeValue rc) {
        return new Cause(text, rc, true);
    }

    /** The result to send: this cause's, or {@code fallback} (with the text) if it has none. */
    AvpValue.ResultCodeValue resultOr(int fallback) {
        return rc != null ? rc : new AvpValue.ResultCodeValue(fallback, null, text);
    }

    /**
     * The checks every delivered control message passes before the tables see it, as the
     * StopCCN/CDN cause with {@code result} (null if it passes): RFC 2661 §4.1 — an unrecognised
     * AVP with the M bit MUST end the session (session message) or the tunnel (tunnel message);
     * the Message Type AVP always has M=1 (§4.4.1), so an unknown type is the same; and every
     * mandatory AVP of §6 must be present.
     */
    static Cause protocolError(ControlMessage msg, int result) {
        MessageType type = msg.messageType();
        Avp unknown = msg.unknownMandatory();
        if (unknown != null) {
            return local(result, ResultCode.ERROR_UNKNOWN_MANDATORY_AVP,
                    "unknown mandatory AVP vendor=" + unknown.vendorId() + " type=" + unknown.type() + " in " + type);
        }
        if (!type.isKnown()) {
            return local(result, ResultCode.ERROR_BAD_VALUE, "unknown message type " + type.code());
        }
        List<String> missing = MessageSpec.missingMandatory(msg);
        if (!missing.isEmpty()) {
            return local(result, ResultCode.ERROR_BAD_LENGTH,
                    "missing mandatory AVP " + String.join(", ", missing) + " in " + type);
        }
        return null;
    }
}
