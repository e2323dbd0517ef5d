package io.jl2tp.app.harness.lac;

import io.jl2tp.app.harness.session.LatencyHistogram;
import io.jl2tp.app.harness.session.StreamConfig;
import io.jl2tp.app.harness.session.StreamReport;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** One report from the load generator's shards: sums, merged causes, percentiles over every shard's samples. */
class LacShardsTest {

    private static HarnessLac.Result result(int placed, int up, Map<String, Integer> failures, long pings, long elapsed) {
        return result(placed, up, failures, pings, elapsed, null);
    }

    private static HarnessLac.Result result(int placed, int up, Map<String, Integer> failures, long pings, long elapsed,
                                            StreamReport.Summary streams) {
        return new HarnessLac.Result(placed, up, up, failures, Map.of(), Double.NaN, Double.NaN, 0, pings, pings,
                Double.NaN, Double.NaN, elapsed, Map.of("drop", 1L), List.of(), streams);
    }

    /** One shard's streams: one session with these counts and one-way latencies (µs). */
    private static StreamReport.Summary streams(int session, long received, long lost, long... latencies) {
        LatencyHistogram h = new LatencyHistogram();
        for (long l : latencies) {
            h.record(l);
        }
        StreamReport.Row row = new StreamReport.Row(1, session, received + lost, 0, received, lost, 0, 0, 0,
                h.percentile(50), h.percentile(95), h.percentile(99), h.max());
        StreamReport.Row total = new StreamReport.Row(-1, -1, received + lost, 0, received, lost, 0, 0, 0,
                h.percentile(50), h.percentile(95), h.percentile(99), h.max());
        return new StreamReport.Summary(CONFIG, "downstream, LNS->LAC", 1, total, List.of(row), h);
    }

    private static final StreamConfig CONFIG = new StreamConfig(100, 128, Duration.ofSeconds(1));

    @Test
    void mergesCountsCausesAndPercentilesOverAllShards() {
        long ms = 1_000_000;
        HarnessLac.Result a = result(3, 2, Map.of("lcp: Max-Configure", 1), 2, 900);
        HarnessLac.Result b = result(2, 2, Map.of("lcp: Max-Configure", 1, "l2tp: CDN", 1), 2, 1000);
        // Shard a is fast, shard b slow: a shard's own p99 would hide the other's.
        HarnessLac.Samples sa = new HarnessLac.Samples(List.of(1 * ms, 2 * ms), List.of(ms), 0, 500 * ms);
        HarnessLac.Samples sb = new HarnessLac.Samples(List.of(100 * ms, 300 * ms), List.of(3 * ms), 10 * ms, 1000 * ms);
        HarnessLac.Result r = LacShards.merge(List.of(a, b), List.of(sa, sb), 2000 * ms);
        assertEquals(5, r.placed());
        assertEquals(4, r.reachedUp());
        assertEquals(Map.of("lcp: Max-Configure", 2, "l2tp: CDN", 1), r.failures());
        assertEquals(Map.of("drop", 2L), r.misbehaviour());
        assertEquals(2.0, r.setupP50Millis(), 1e-9);
        assertEquals(300.0, r.setupP99Millis(), 1e-9);
        assertEquals(4.0, r.setupRatePerSecond(), 1e-9, "4 calls up from the first start to the last up, 1 s");
        assertEquals(3.0, r.rttP99Millis(), 1e-9);
        assertEquals(4, r.pingsSent());
        assertEquals(1000, r.elapsedMillis());
    }

    @Test
    void mergesTheShardsStreamsExactly() {
        long ms = 1_000_000;
        HarnessLac.Samples none = new HarnessLac.Samples(List.of(ms), List.of(), 0, ms);
        // Shard a: fast, no loss; shard b: slow, 2 lost. The merged p99 must be b's, the p50 a's.
        long[] fast = new long[90];
        java.util.Arrays.fill(fast, 100);
        HarnessLac.Result a = result(1, 1, Map.of(), 0, 10, streams(7, 90, 0, fast));
        HarnessLac.Result b = result(1, 1, Map.of(), 0, 10, streams(8, 10, 2, 50_000, 50_000, 50_000, 50_000, 50_000,
                50_000, 50_000, 50_000, 50_000, 50_000));
        StreamReport.Summary m = LacShards.merge(List.of(a, b), List.of(none, none), ms).streams();
        assertEquals(2, m.sessions());
        assertEquals(2, m.rows().size());
        assertEquals(100, m.total().received());
        assertEquals(2, m.total().lost());
        assertEquals(102, m.total().sent());
        LatencyHistogram expect = new LatencyHistogram();
        for (long l : fast) {
            expect.record(l);
        }
        for (int i = 0; i < 10; i++) {
            expect.record(50_000);
        }
        assertEquals(expect.percentile(50), m.total().p50Micros());
        assertEquals(expect.percentile(99), m.total().p99Micros());
        assertEquals(50_000, m.total().maxMicros());
        assertNull(LacShards.merge(List.of(result(1, 1, Map.of(), 0, 1)), List.of(none), ms).streams(),
                "no streams: none in the merged result either");
    }
}
