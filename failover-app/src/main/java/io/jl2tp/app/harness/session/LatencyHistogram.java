package io.jl2tp.app.harness.session;

/**
 * A fixed-bucket latency histogram in microseconds: exact below 16 µs, then 8 buckets per power
 * of two (a bucket is at most 12.5 % wide) up to 2⁴⁰ µs; larger values land in the last bucket.
 * Percentiles are the upper bound of the bucket holding the nearest-rank value, capped at the
 * exact maximum — never lower than the true value. 312 counters, allocated once; recording
 * allocates nothing. Not thread-safe (event loop).
 */
public final class LatencyHistogram {

    private static final int EXACT = 16;
    private static final int SUB = 8;
    private static final int MAX_EXP = 40;
    static final int BUCKETS = EXACT + (MAX_EXP - 4 + 1) * SUB;

    private final long[] counts = new long[BUCKETS];
    private long count;
    private long max;

    /** Records one value (negative counts as 0). */
    public void record(long micros) {
        long v = Math.max(0, micros);
        counts[index(v)]++;
        count++;
        max = Math.max(max, v);
    }

    static int index(long v) {
        if (v < EXACT) {
            return (int) v;
        }
        int e = 63 - Long.numberOfLeadingZeros(v);
        if (e > MAX_EXP) {
            return BUCKETS - 1;
        }
        return EXACT + (e - 4) * SUB + (int) ((v >>> (e - 3)) & (SUB - 1));
    }

    /** The largest value bucket {@code i} holds. */
    static long upperBound(int i) {
        if (i < EXACT) {
            return i;
        }
        int e = (i - EXACT) / SUB + 4;
        int sub = (i - EXACT) % SUB;
        return ((long) (SUB + sub + 1) << (e - 3)) - 1;
    }

    /** Adds {@code other}'s values to this one. */
    public void add(LatencyHistogram other) {
        for (int i = 0; i < BUCKETS; i++) {
            counts[i] += other.counts[i];
        }
        count += other.count;
        max = Math.max(max, other.max);
    }

    /** The {@code p}-th percentile (0 < p ≤ 100, nearest rank) in µs; -1 if empty. */
    public long percentile(double p) {
        if (count == 0) {
            return -1;
        }
        long rank = Math.max(1, (long) Math.ceil(p / 100.0 * count));
        long seen = 0;
        for (int i = 0; i < BUCKETS; i++) {
            seen += counts[i];
            if (seen >= rank) {
                return i == BUCKETS - 1 ? max : Math.min(upperBound(i), max);
            }
        }
        return max;
    }

    /** Values recorded. */
    public long count() {
        return count;
    }

    /** The largest value recorded (µs), -1 if none. */
    public long max() {
        return count == 0 ? -1 : max;
    }
}
