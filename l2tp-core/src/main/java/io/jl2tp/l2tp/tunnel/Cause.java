package io.jl2tp.l2tp.tunnel;

import io.jl2tp.l2tp.wire.AvpValue;

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
}
