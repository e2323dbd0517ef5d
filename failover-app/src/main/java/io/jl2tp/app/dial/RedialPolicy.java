package io.jl2tp.app.dial;

import java.time.Duration;
import java.util.OptionalLong;
import java.util.function.DoubleSupplier;

/**
 * When to dial again after a session was lost: xl2tpd's {@code redial}, {@code redial timeout}
 * and {@code max redials}, with what xl2tpd lacks — exponential back-off with jitter.
 *
 * <p>Attempt n (1-based, counting failed dials since the last session that came up) waits
 * {@code base × 2^(n-1)}, capped at {@code cap}, then scaled by a random factor in
 * [1 − jitter, 1] so that many routers behind one LNS don't redial in lock-step. Jitter only
 * ever shortens a wait: the first attempt after a lost session never waits longer than the
 * user's {@code redial timeout}. Pure and deterministic given the random source.
 *
 * @param enabled    {@code redial = yes}
 * @param base       {@code redial timeout} (xl2tpd default 30 s, minimum 1 s)
 * @param cap        the longest wait (default 8 × base, at most 10 min)
 * @param maxRedials {@code max redials}; 0 means unlimited
 * @param jitter     relative jitter, 0 ≤ jitter < 1 (default 0.2)
 */
public record RedialPolicy(boolean enabled, Duration base, Duration cap, int maxRedials, double jitter) {

    /** Validates the parameters. */
    public RedialPolicy {
        if (base.isNegative() || base.isZero()) {
            throw new IllegalArgumentException("redial timeout must be at least 1 s");
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

    /** The policy for xl2tpd's settings, with our default cap and jitter. */
    public static RedialPolicy of(boolean enabled, Duration redialTimeout, int maxRedials) {
        Duration cap = redialTimeout.multipliedBy(8);
        if (cap.compareTo(Duration.ofMinutes(10)) > 0) {
            cap = Duration.ofMinutes(10).compareTo(redialTimeout) > 0 ? Duration.ofMinutes(10) : redialTimeout;
        }
        return new RedialPolicy(enabled, redialTimeout, cap, maxRedials, 0.2);
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
        int shift = Math.min(attempt - 1, 30);
        long raw = baseMs << shift;
        if (raw < 0 || raw > cap.toMillis() || (shift > 0 && (raw >> shift) != baseMs)) {
            raw = cap.toMillis();
        }
        double factor = 1.0 - jitter * random.getAsDouble();
        return OptionalLong.of(Math.max(0, Math.round(raw * factor)));
    }
}
