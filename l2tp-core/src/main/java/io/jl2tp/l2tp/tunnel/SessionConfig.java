package io.jl2tp.l2tp.tunnel;

/**
 * Settings of one incoming call (§7.4.1).
 *
 * @param sequencingRequired send the Sequencing Required AVP: data then always carries Ns/Nr
 *                           (§5.4)
 * @param txConnectSpeed     (Tx) Connect Speed AVP, bits per second
 * @param callingNumber      Calling Number AVP, null for none
 * @param framingType        Framing Type AVP (1 = synchronous, 2 = asynchronous)
 * @param bearerType         Bearer Type AVP (0 = none; 1 digital, 2 analog)
 * @param lengthBit          send data messages with the Length field (L bit, §3.1; xl2tpd's
 *                           {@code length bit}); received ones are accepted either way
 * @param proxy              LAC: send RFC 2661 §4.4.5 Proxy LCP and Authentication AVPs in the
 *                           ICCN (xl2tpd-style {@code proxy auth}); the values come from the PPP
 *                           layer ({@link Session#proxy(ProxyAvps)})
 */
public record SessionConfig(boolean sequencingRequired, long txConnectSpeed, String callingNumber, long framingType,
                            long bearerType, boolean lengthBit, boolean proxy) {

    /** Without proxy AVPs. */
    public SessionConfig(boolean sequencingRequired, long txConnectSpeed, String callingNumber, long framingType,
                         long bearerType, boolean lengthBit) {
        this(sequencingRequired, txConnectSpeed, callingNumber, framingType, bearerType, lengthBit, false);
    }

    /** Sensible defaults for a LAC dialling over IP: sync framing, 100 Mbit/s, no sequencing, no proxy AVPs. */
    public static SessionConfig defaults() {
        return new SessionConfig(false, 100_000_000L, null, 1, 0, false, false);
    }

    public SessionConfig withSequencingRequired(boolean s) {
        return new SessionConfig(s, txConnectSpeed, callingNumber, framingType, bearerType, lengthBit, proxy);
    }

    public SessionConfig withLengthBit(boolean l) {
        return new SessionConfig(sequencingRequired, txConnectSpeed, callingNumber, framingType, bearerType, l, proxy);
    }

    public SessionConfig withProxy(boolean p) {
        return new SessionConfig(sequencingRequired, txConnectSpeed, callingNumber, framingType, bearerType, lengthBit, p);
    }
}
