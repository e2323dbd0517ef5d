package io.jl2tp.app.harness.session;

import java.util.Arrays;

/**
 * What the receiving end of one stream saw, from the sequence numbers (the sender counts from
 * 0, one per packet) and the one-way latencies:
 * <ul>
 * <li>received — every valid packet, duplicates included;</li>
 * <li>duplicated — a sequence number already seen (detectable within the last {@value #WINDOW});</li>
 * <li>reordered — a new sequence number below the highest seen (arrived after a later one;
 *     older than the window it is counted as reordered, never as a duplicate);</li>
 * <li>lost — numbers up to the highest seen that never arrived: highest + 1 − distinct received.
 *     A packet reordered later fills its gap again, so the figure is exact once the stream
 *     has drained, and packets lost after the last one received are not visible here;</li>
 * <li>corrupt — stream packets with a bad checksum, or truncated (not counted as received).</li>
 * </ul>
 * The duplicate window is a fixed bitmap; nothing is allocated per packet. Not thread-safe (event loop).
 */
public final class SequenceStats {

    /** Sequence numbers behind the highest for which duplicates are detected. */
    public static final int WINDOW = 4096;

    private final long[] seen = new long[WINDOW / 64];
    private final LatencyHistogram latency = new LatencyHistogram();
    private long highest = -1;
    private long distinct;
    private long received;
    private long duplicated;
    private long reordered;
    private long corrupt;

    /** One valid packet: its sequence number and one-way latency (µs). */
    public void record(long seq, long latencyMicros) {
        if (seq < 0) {
            corrupt++;
            return;
        }
        received++;
        if (seq > highest) {
            long gap = seq - highest;
            if (gap >= WINDOW) {
                Arrays.fill(seen, 0);
            } else {
                for (long s = highest + 1; s < seq; s++) {
                    clear(s);
                }
            }
            highest = seq;
        } else if (highest - seq >= WINDOW) {
            reordered++;
            distinct++;
            latency.record(latencyMicros);
            return;
        } else if (isSet(seq)) {
            duplicated++;
            return;
        } else {
            reordered++;
        }
        set(seq);
        distinct++;
        latency.record(latencyMicros);
    }

    /** A stream packet that failed its checksums or was cut short. */
    public void countCorrupt() {
        corrupt++;
    }

    private boolean isSet(long s) {
        int b = (int) (s & (WINDOW - 1));
        return (seen[b >>> 6] & (1L << b)) != 0;
    }

    private void set(long s) {
        int b = (int) (s & (WINDOW - 1));
        seen[b >>> 6] |= 1L << b;
    }

    private void clear(long s) {
        int b = (int) (s & (WINDOW - 1));
        seen[b >>> 6] &= ~(1L << b);
    }

    public long received() {
        return received;
    }

    public long duplicated() {
        return duplicated;
    }

    public long reordered() {
        return reordered;
    }

    public long corrupt() {
        return corrupt;
    }

    /** Highest sequence number seen, -1 if none. */
    public long highest() {
        return highest;
    }

    public long lost() {
        return Math.max(0, highest + 1 - distinct);
    }

    /** The one-way latencies of distinct packets. */
    public LatencyHistogram latency() {
        return latency;
    }
}
