package io.jl2tp.app.harness.lac;

import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.IntConsumer;
import java.util.function.LongSupplier;

/**
 * Paces call placement for the load generator: a token bucket refilled at {@code rate} calls a
 * second (holding at most 20 ms worth), and a cap on calls in set-up at once —
 * placed, neither up nor failed yet. Once the cap is reached, calls are placed only as fast as
 * earlier ones complete, so offered load cannot outrun the machine and turn into PPP restart
 * and call set-up timer failures (issue 13) instead of a lower rate.
 *
 * <p>Threads: the event loop only; {@link #start} and {@link #settled} must be called there.
 * {@link #settled} never places a call itself (the caller may be inside another call's event);
 * the next tick, at most {@link #TICK_NANOS} later, does.
 */
final class CallPacer {

    /** How often the bucket is looked at. */
    static final long TICK_NANOS = 1_000_000;

    /**
     * The bucket holds this much time's worth of calls: a tick that comes late on a busy loop
     * catches up instead of losing the calls it was owed.
     */
    static final long BURST_NANOS = 20_000_000;

    private final ScheduledExecutorService loop;
    private final LongSupplier clock;
    private final double perNano;
    private final double burst;
    private final int maxPending;
    private final int total;
    private final IntConsumer place;
    private double tokens = 1;
    private long lastNanos;
    private int placed;
    private int pending;
    private ScheduledFuture<?> tick;

    /**
     * @param rate       calls a second (positive)
     * @param maxPending calls in set-up at once (positive)
     * @param total      calls to place, numbered 0..total-1
     * @param place      places call k (event loop); {@link #settled} must follow once it is up or has failed
     */
    CallPacer(ScheduledExecutorService loop, LongSupplier clock, double rate, int maxPending, int total, IntConsumer place) {
        if (!(rate > 0) || maxPending < 1 || total < 0) {
            throw new IllegalArgumentException("rate " + rate + ", max pending " + maxPending + ", total " + total);
        }
        this.loop = loop;
        this.clock = clock;
        this.perNano = rate / 1e9;
        this.burst = Math.max(2, rate * BURST_NANOS / 1e9);
        this.maxPending = maxPending;
        this.total = total;
        this.place = place;
    }

    /** Places the first call now and the rest on ticks. */
    void start() {
        lastNanos = clock.getAsLong();
        run();
    }

    /** A placed call came up or failed: its slot is free. */
    void settled() {
        if (pending > 0) {
            pending--;
        }
    }

    /** Calls placed so far. */
    int placed() {
        return placed;
    }

    /** Calls placed and not yet settled. */
    int pending() {
        return pending;
    }

    /** Stops placing calls. */
    void stop() {
        placed = total;
        if (tick != null) {
            tick.cancel(false);
            tick = null;
        }
    }

    private void run() {
        tick = null;
        long now = clock.getAsLong();
        tokens = Math.min(burst, tokens + (now - lastNanos) * perNano);
        lastNanos = now;
        while (placed < total && tokens >= 1 && pending < maxPending) {
            tokens -= 1;
            pending++;
            place.accept(placed++);
        }
        if (placed < total) {
            tick = loop.schedule(this::run, TICK_NANOS, TimeUnit.NANOSECONDS);
        }
    }
}
