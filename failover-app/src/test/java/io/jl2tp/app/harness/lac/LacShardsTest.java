package io.jl2tp.app.harness.lac;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** One report from the load generator's shards: sums, merged causes, percentiles over every shard's samples. */
class LacShardsTest {

    private static HarnessLac.Result result(int placed, int up, Map<String, Integer> failures, long pings, long elapsed) {
        return new HarnessLac.Result(placed, up, up, failures, Map.of(), Double.NaN, Double.NaN, 0, pings, pings,
                Double.NaN, Double.NaN, elapsed, Map.of("drop", 1L), List.of());
    }

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
}
