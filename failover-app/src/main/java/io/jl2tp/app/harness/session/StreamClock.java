package io.jl2tp.app.harness.session;

import java.time.Instant;

/**
 * The time stamps of stream packets: microseconds since the Unix epoch, read as the wall clock
 * once (at class load) plus {@link System#nanoTime} since, so they are monotonic within a JVM
 * and comparable between two processes on one machine (both anchored to the same wall clock,
 * to within its resolution and any NTP slew since they started). {@code System.nanoTime}
 * alone has a per-JVM origin and cannot be compared across processes. One-way latency between
 * two machines is only as good as their clock synchronisation; negative values (the receiver's
 * clock behind) count as 0. Stateless; any thread.
 */
public final class StreamClock {

    private static final long ORIGIN_NANOS;
    private static final long ORIGIN_MICROS;

    static {
        // The first Instant.now() loads java.time (milliseconds): warm it, then pair the two
        // clocks in the tightest of a few tries, at the midpoint of the nanoTime reads.
        Instant.now();
        long bestGap = Long.MAX_VALUE;
        long nanos = 0;
        long micros = 0;
        for (int i = 0; i < 5; i++) {
            long before = System.nanoTime();
            Instant wall = Instant.now();
            long after = System.nanoTime();
            if (after - before < bestGap) {
                bestGap = after - before;
                nanos = before + (after - before) / 2;
                micros = wall.getEpochSecond() * 1_000_000L + wall.getNano() / 1000;
            }
        }
        ORIGIN_NANOS = nanos;
        ORIGIN_MICROS = micros;
    }

    private StreamClock() {
    }

    /** Now, in microseconds since the epoch. */
    public static long micros() {
        return ORIGIN_MICROS + (System.nanoTime() - ORIGIN_NANOS) / 1000;
    }
}
