package io.jl2tp.app.harness.session;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Sequence accounting (loss, reordering, duplicates), the latency histogram, and the stream settings. */
class StreamStatsTest {

    private static SequenceStats feed(long... seqs) {
        SequenceStats s = new SequenceStats();
        for (long q : seqs) {
            s.record(q, 100);
        }
        return s;
    }

    @Test
    void aCraftedSequenceIsAccountedExactly() {
        // 6 and 9 never arrive; 3 and 5 arrive late; 3 and 8 twice.
        SequenceStats s = feed(0, 1, 2, 4, 3, 3, 7, 5, 8, 8, 10);
        assertEquals(11, s.received());
        assertEquals(2, s.duplicated());
        assertEquals(2, s.reordered());
        assertEquals(10, s.highest());
        assertEquals(2, s.lost());
        assertEquals(9, s.latency().count(), "one latency per distinct packet");
        assertEquals(0, s.corrupt());
    }

    @Test
    void aLateArrivalFillsItsGap() {
        SequenceStats s = feed(0, 2);
        assertEquals(1, s.lost());
        s.record(1, 100);
        assertEquals(0, s.lost());
        assertEquals(1, s.reordered());
    }

    @Test
    void lossAtTheStartCountsAndAJumpBeyondTheWindowForgetsOldNumbers() {
        SequenceStats s = feed(5, 6);
        assertEquals(5, s.lost(), "numbers count from 0");
        long far = 6 + SequenceStats.WINDOW + 10;
        s.record(far, 100);
        assertEquals(far + 1 - 3, s.lost());
        s.record(6, 100); // older than the window: counted as reordered, not as a duplicate
        assertEquals(1, s.reordered());
        assertEquals(0, s.duplicated());
        s.record(far - 1, 100);
        s.record(far - 1, 100); // inside the window again: a duplicate
        assertEquals(1, s.duplicated());
        assertEquals(2, s.reordered());
    }

    @Test
    void aDuplicateIsRecognisedAfterTheWindowWrapsItsBitmap() {
        SequenceStats s = new SequenceStats();
        for (long q = 0; q < 3 * SequenceStats.WINDOW; q++) {
            s.record(q, 10);
        }
        s.record(3L * SequenceStats.WINDOW - 5, 10);
        assertEquals(1, s.duplicated());
        assertEquals(0, s.lost());
        assertEquals(0, s.reordered());
        s.record(-1, 10);
        assertEquals(1, s.corrupt());
        s.countCorrupt();
        assertEquals(2, s.corrupt());
        assertEquals(3L * SequenceStats.WINDOW + 1, s.received());
    }

    @Test
    void histogramPercentilesAreNeverBelowTheTruthAndWithinABucket() {
        LatencyHistogram h = new LatencyHistogram();
        assertEquals(-1, h.percentile(50));
        assertEquals(-1, h.max());
        for (int v = 1; v <= 1000; v++) {
            h.record(v);
        }
        assertEquals(1000, h.count());
        assertEquals(1000, h.max());
        long p50 = h.percentile(50);
        long p95 = h.percentile(95);
        long p99 = h.percentile(99);
        assertTrue(p50 >= 500 && p50 <= 500 * 1.125, "p50 " + p50);
        assertTrue(p95 >= 950 && p95 <= 1000, "p95 " + p95);
        assertTrue(p99 >= 990 && p99 <= 1000, "p99 " + p99);
        assertEquals(1000, h.percentile(100));
        LatencyHistogram small = new LatencyHistogram();
        for (int v : new int[] {3, 3, 7, 15, -4}) {
            small.record(v);
        }
        assertEquals(3, small.percentile(50), "exact below 16 µs");
        assertEquals(0, small.percentile(20), "negative (clocks apart) counts as 0");
        assertEquals(15, small.percentile(100));
        h.add(small);
        assertEquals(1005, h.count());
        assertEquals(1000, h.max());
        LatencyHistogram huge = new LatencyHistogram();
        huge.record(Long.MAX_VALUE);
        assertEquals(Long.MAX_VALUE, huge.percentile(50), "capped at the max");
    }

    @Test
    void everyBucketBoundIsConsistentWithItsIndex() {
        for (int i = 0; i < LatencyHistogram.BUCKETS - 1; i++) {
            long hi = LatencyHistogram.upperBound(i);
            assertEquals(i, LatencyHistogram.index(hi), "bucket " + i);
            assertEquals(i + 1, LatencyHistogram.index(hi + 1), "bucket " + (i + 1));
        }
    }

    @Test
    void streamSettingsAreValidated() {
        Duration d = Duration.ofSeconds(2);
        assertEquals(new StreamConfig(1000, 128, d), StreamConfig.parse("1000", d));
        assertEquals(new StreamConfig(5, 1472, d), StreamConfig.parse("5:1472", d));
        assertEquals("rate 0: out of range 1-100000 packets/s",
                assertThrows(IllegalArgumentException.class, () -> StreamConfig.parse("0", d)).getMessage());
        assertEquals("rate 100001: out of range 1-100000 packets/s",
                assertThrows(IllegalArgumentException.class, () -> StreamConfig.parse("100001", d)).getMessage());
        assertEquals("size 23: out of range 24-1472 octets",
                assertThrows(IllegalArgumentException.class, () -> StreamConfig.parse("10:23", d)).getMessage());
        assertEquals("rate 'fast' is not an integer",
                assertThrows(IllegalArgumentException.class, () -> StreamConfig.parse("fast", d)).getMessage());
        assertEquals("expected RATE[:SIZE]",
                assertThrows(IllegalArgumentException.class, () -> StreamConfig.parse("1:2:3", d)).getMessage());
        assertThrows(IllegalArgumentException.class, () -> new StreamConfig(1, 128, Duration.ZERO));
    }
}
