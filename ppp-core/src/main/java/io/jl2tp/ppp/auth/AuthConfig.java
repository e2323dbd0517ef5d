package io.jl2tp.ppp.auth;

import java.time.Duration;
import java.util.Objects;

/**
 * Timers and counters of one auth protocol instance, named after pppd's options.
 *
 * @param restart           time between retransmissions of our Authenticate-Request (PAP
 *                          peer, {@code pap-restart}, default 3 s) or Challenge (CHAP
 *                          authenticator, {@code chap-restart}, default 3 s)
 * @param maxTransmits      how many times the request/challenge is sent before giving up with
 *                          {@code failed("timeout")} ({@code pap-max-authreq} /
 *                          {@code chap-max-challenge}, default 10)
 * @param rechallenge       CHAP authenticator: interval between re-challenges once the peer
 *                          has authenticated ({@code chap-interval}); {@link Duration#ZERO}
 *                          (the default) means never
 * @param requestTimeout    PAP authenticator: how long to wait for the peer's first
 *                          Authenticate-Request ({@code pap-timeout}, default 30 s);
 *                          {@link Duration#ZERO} means wait forever
 * @param logPrefix         put before every log line of this instance, e.g.
 *                          {@code "tunnel=3 session=7 "} (STYLE: lines start with the ids);
 *                          empty by default
 */
public record AuthConfig(Duration restart, int maxTransmits, Duration rechallenge, Duration requestTimeout,
                         String logPrefix) {

    /** pppd's defaults: 3 s restart, 10 transmissions, no re-challenge, 30 s PAP wait. */
    public static final AuthConfig DEFAULTS =
            new AuthConfig(Duration.ofSeconds(3), 10, Duration.ZERO, Duration.ofSeconds(30));

    /** Timers only, no log prefix. */
    public AuthConfig(Duration restart, int maxTransmits, Duration rechallenge, Duration requestTimeout) {
        this(restart, maxTransmits, rechallenge, requestTimeout, "");
    }

    /** Validates: positive restart and transmit count; non-negative intervals. */
    public AuthConfig {
        Objects.requireNonNull(logPrefix, "logPrefix");
        Objects.requireNonNull(restart, "restart");
        Objects.requireNonNull(rechallenge, "rechallenge");
        Objects.requireNonNull(requestTimeout, "requestTimeout");
        if (restart.isNegative() || restart.isZero()) {
            throw new IllegalArgumentException("restart must be positive: " + restart);
        }
        if (maxTransmits < 1) {
            throw new IllegalArgumentException("maxTransmits must be >= 1: " + maxTransmits);
        }
        if (rechallenge.isNegative() || requestTimeout.isNegative()) {
            throw new IllegalArgumentException("intervals must not be negative");
        }
    }

    /** A copy with another restart interval. */
    public AuthConfig withRestart(Duration d) {
        return new AuthConfig(d, maxTransmits, rechallenge, requestTimeout, logPrefix);
    }

    /** A copy with another transmission limit. */
    public AuthConfig withMaxTransmits(int n) {
        return new AuthConfig(restart, n, rechallenge, requestTimeout, logPrefix);
    }

    /** A copy with another re-challenge interval (zero = off). */
    public AuthConfig withRechallenge(Duration d) {
        return new AuthConfig(restart, maxTransmits, d, requestTimeout, logPrefix);
    }

    /** A copy with another PAP request timeout (zero = none). */
    public AuthConfig withRequestTimeout(Duration d) {
        return new AuthConfig(restart, maxTransmits, rechallenge, d, logPrefix);
    }

    /** A copy with another log prefix (e.g. {@code "tunnel=3 session=7 "}). */
    public AuthConfig withLogPrefix(String prefix) {
        return new AuthConfig(restart, maxTransmits, rechallenge, requestTimeout, prefix);
    }
}
