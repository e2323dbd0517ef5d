package io.jl2tp.app.dial;

import java.time.Duration;
import java.util.OptionalLong;
import java.util.function.DoubleSupplier;

/**
 * When to dial again after a session was lost: xl2tpd's {@code redial}, {@code redial timeout}
 * and {@code max redials} (pppd's {@code persist}, {@code holdoff}, {@code maxfail}).
 *
 * <p>By default the wait is what xl2tpd and pppd make it: the same {@code redial timeout}
 * before every attempt. With back-off (jl2tp's {@code redial backoff = yes}, {@code jl2tp dial
 * --redial-backoff}), attempt n (1-based, counting failed dials since the last session that came
 * up) waits {@code base × 2^(n-1)}, capped at {@code cap}, scaled by a random factor in
 * [1 − jitter, 1] so that many routers behind one LNS don't redial in lock-step; jitter only
 * ever shortens a wait, so the first attempt after a lost session never waits longer than the
 * user's {@code redial timeout}. Pure and deterministic given the random source.
 *
 * @param enabled    {@code redial = yes}
 * @param base       {@code redial timeout} (xl2tpd default 30 s)
 * @param backoff    double the wait on repeated failures, with jitter (jl2tp; default no)
 * @param cap        the longest wait with back-off (default 8 × base, at most 10 min)
 * @param maxRedials {@code max redials}; 0 means unlimited
 * @param jitter     relative jitter with back-off, 0 ≤ jitter < 1 (default 0.2)
 */
public record RedialPolicy(boolean enabled, Duration base, boolean backoff, Duration cap, int maxRedials, double jitter) {

    /** Validates the parameters. */
    public RedialPolicy {
        if (base.isNegative() || base.isZero()) {
            throw new IllegalArgumentException("redial timeout must be positive");
        }
        if (cap.compareTo(base) < 0) {
            cap = base;
        }
        if (maxRedials < 0) {
            throw new IllegalArgumentException("max redials must be >= 0");
        }
        if (jitter < 0 || jitter >= 1) {
            throw new IllegalArgumentException("jitter must be in [0, 1)");
        }
    }

    /** xl2tpd's meaning: the same {@code redialTimeout} before every attempt. */
    public static RedialPolicy fixed(boolean enabled, Duration redialTimeout, int maxRedials) {
        return new RedialPolicy(enabled, redialTimeout, false, redialTimeout, maxRedials, 0);
    }

    /** Back-off from {@code redialTimeout}, doubling up to 8 × (at most 10 min), 20 % jitter. */
    public static RedialPolicy backoff(boolean enabled, Duration redialTimeout, int maxRedials) {
        Duration cap = redialTimeout.multipliedBy(8);
        if (cap.compareTo(Duration.ofMinutes(10)) > 0) {
            cap = Duration.ofMinutes(10).compareTo(redialTimeout) > 0 ? Duration.ofMinutes(10) : redialTimeout;
        }
        return new RedialPolicy(enabled, redialTimeout, true, cap, maxRedials, 0.2);
    }

    /** {@link #backoff} if {@code backoff}, else {@link #fixed}. */
    public static RedialPolicy of(boolean enabled, Duration redialTimeout, int maxRedials, boolean backoff) {
        return backoff ? backoff(enabled, redialTimeout, maxRedials) : fixed(enabled, redialTimeout, maxRedials);
    }

    /**
     * The delay before redial attempt {@code attempt} (1-based), in milliseconds, or empty when
     * no further attempt may be made (redial off, or max redials reached).
     */
    public OptionalLong delayMillis(int attempt, DoubleSupplier random) {
        if (!enabled || attempt < 1 || (maxRedials > 0 && attempt > maxRedials)) {
            return OptionalLong.empty();
        }
        long baseMs = base.toMillis();
        if (!backoff) {
            return OptionalLong.of(baseMs);
        }
        int shift = Math.min(attempt - 1, 30);
        long raw = baseMs << shift;
        if (raw < 0 || raw > cap.toMillis() || (shift > 0 && (raw >> shift) != baseMs)) {
            raw = cap.toMillis();
        }
        double factor = 1.0 - jitter * random.getAsDouble();
        return OptionalLong.of(Math.max(0, Math.round(raw * factor)));
    }
}
