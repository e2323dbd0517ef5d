package io.jl2tp.ppp.fsm;

import java.time.Duration;

/**
 * Timer and counter settings of one control protocol (RFC 1661 §4.6).
 *
 * @param restart      restart timer (pppd {@code lcp-restart}, default 3 s)
 * @param maxConfigure Configure-Requests without an answer before giving up (default 10)
 * @param maxTerminate Terminate-Requests without an Ack (RFC default 2; pppd 3)
 * @param maxFailure   Configure-Naks sent before Rejecting instead (RFC 5; pppd 10)
 */
public record CpConfig(Duration restart, int maxConfigure, int maxTerminate, int maxFailure) {

    /** pppd's defaults: 3 s, 10, 3, 10. */
    public static final CpConfig PPPD = new CpConfig(Duration.ofSeconds(3), 10, 3, 10);

    /** Validates ranges. */
    public CpConfig {
        java.util.Objects.requireNonNull(restart, "restart");
        if (restart.isNegative() || restart.isZero() || maxConfigure < 1 || maxTerminate < 1 || maxFailure < 1) {
            throw new IllegalArgumentException("restart must be > 0 and counters >= 1: restart " + restart
                    + ", max-configure " + maxConfigure + ", max-terminate " + maxTerminate + ", max-failure " + maxFailure);
        }
    }

    /** A copy with another restart timer ({@code *-restart}). */
    public CpConfig withRestart(Duration d) {
        return new CpConfig(d, maxConfigure, maxTerminate, maxFailure);
    }

    /** A copy with another Max-Configure ({@code *-max-configure}). */
    public CpConfig withMaxConfigure(int n) {
        return new CpConfig(restart, n, maxTerminate, maxFailure);
    }

    /** A copy with another Max-Terminate ({@code *-max-terminate}). */
    public CpConfig withMaxTerminate(int n) {
        return new CpConfig(restart, maxConfigure, n, maxFailure);
    }

    /** A copy with another Max-Failure ({@code *-max-failure}). */
    public CpConfig withMaxFailure(int n) {
        return new CpConfig(restart, maxConfigure, maxTerminate, n);
    }
}
