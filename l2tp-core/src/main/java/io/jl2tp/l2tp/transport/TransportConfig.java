package io.jl2tp.l2tp.transport;

import java.time.Duration;

/**
 * Reliable-delivery parameters of one control connection (RFC 2661 §5.8, Appendix A).
 *
 * @param receiveWindow   our receive window, advertised in the RWS AVP (default 8, 1..65535)
 * @param initialTimeout  first retransmission timeout (default 1 s, §5.8 "about 1 second")
 * @param maxTimeout      cap of the exponential back-off (default 8 s; the RFC requires ≥ 8 s
 *                        if capped at all, and unlike xl2tpd this cap is really applied)
 * @param maxRetries      retransmissions of one message before the tunnel is cleared
 *                        (xl2tpd's {@code max retries}, default 5)
 * @param ackDelay        how long a ZLB acknowledgement waits for an outgoing message to
 *                        piggyback on (default 200 ms, well under the peer's 1 s timeout)
 */
public record TransportConfig(int receiveWindow, Duration initialTimeout, Duration maxTimeout, int maxRetries,
                              Duration ackDelay) {

    /** The defaults listed above. */
    public static final TransportConfig DEFAULTS =
            new TransportConfig(8, Duration.ofSeconds(1), Duration.ofSeconds(8), 5, Duration.ofMillis(200));

    /** Validates ranges. */
    public TransportConfig {
        if (receiveWindow < 1 || receiveWindow > 65535) {
            throw new IllegalArgumentException("receive window must be 1..65535 (RWS 0 is invalid): " + receiveWindow);
        }
        if (initialTimeout.isNegative() || initialTimeout.isZero() || maxTimeout.compareTo(initialTimeout) < 0) {
            throw new IllegalArgumentException("need 0 < initial timeout <= max timeout");
        }
        if (maxRetries < 0) {
            throw new IllegalArgumentException("max retries must be >= 0");
        }
    }

    public TransportConfig withReceiveWindow(int rws) {
        return new TransportConfig(rws, initialTimeout, maxTimeout, maxRetries, ackDelay);
    }

    public TransportConfig withMaxRetries(int n) {
        return new TransportConfig(receiveWindow, initialTimeout, maxTimeout, n, ackDelay);
    }

    public TransportConfig withMaxTimeout(Duration cap) {
        return new TransportConfig(receiveWindow, initialTimeout, cap, maxRetries, ackDelay);
    }

    /** Time from the first transmission until the retry limit clears the tunnel. */
    public Duration fullCycle() {
        long t = 0;
        long to = initialTimeout.toMillis();
        for (int i = 0; i <= maxRetries; i++) {
            t += to;
            to = Math.min(to * 2, maxTimeout.toMillis());
        }
        return Duration.ofMillis(t);
    }
}
