package io.jl2tp.l2tp.util;

import java.util.function.LongSupplier;

/**
 * A token bucket for things a remote peer can cause at will — log lines above all (issue 11:
 * one host must not be able to fill the disk or drown the log). {@code burst} permits at once,
 * refilled at {@code perSecond}; what is refused is counted so the next permitted line can say
 * how many were suppressed.
 *
 * <p>Threads: not thread-safe; each instance belongs to one thread (an endpoint's event loop).
 * The clock is injected so tests run it in virtual time.
 */
public final class RateLimiter {

    private final LongSupplier nanoClock;
    private final double perNano;
    private final double burst;
    private double tokens;
    private long last;
    private long suppressed;
    private long suppressedTotal;

    /**
     * @param nanoClock monotonic nanoseconds
     * @param perSecond sustained permits per second (&gt; 0)
     * @param burst     permits available at once (&ge; 1)
     */
    public RateLimiter(LongSupplier nanoClock, double perSecond, int burst) {
        if (perSecond <= 0 || burst < 1) {
            throw new IllegalArgumentException("need perSecond > 0 and burst >= 1");
        }
        this.nanoClock = nanoClock;
        this.perNano = perSecond / 1e9;
        this.burst = burst;
        this.tokens = burst;
        this.last = nanoClock.getAsLong();
    }

    /** True if one permit was taken; false (and counted as suppressed) if the bucket is empty. */
    public boolean tryAcquire() {
        long now = nanoClock.getAsLong();
        tokens = Math.min(burst, tokens + (now - last) * perNano);
        last = now;
        if (tokens >= 1) {
            tokens -= 1;
            return true;
        }
        suppressed++;
        suppressedTotal++;
        return false;
    }

    /** Refusals since the last call of this method (then reset to 0). */
    public long takeSuppressed() {
        long n = suppressed;
        suppressed = 0;
        return n;
    }

    /** All refusals so far. */
    public long suppressedTotal() {
        return suppressedTotal;
    }
}
