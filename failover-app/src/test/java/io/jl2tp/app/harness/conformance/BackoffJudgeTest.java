package io.jl2tp.app.harness.conformance;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The RFC 2661 §5.8 back-off verdict on retransmission intervals, pure (no network). */
class BackoffJudgeTest {

    private static List<Long> times(String gaps) {
        List<Long> at = new ArrayList<>();
        long t = 1_000_000_000L;
        at.add(t);
        for (String g : gaps.split(" ")) {
            t += (long) (Double.parseDouble(g) * 1e9);
            at.add(t);
        }
        return at;
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "1.0 2.0 4.0 8.0 8.0",        // jl2tp: 1 s doubling, capped at 8 s, 5 retries
        "1.7 2.2 4.3 8.7 16.4",       // l2tpns: coarse timer tick, no cap within 5 retries
        "1.0 2.1 4.5 8.8 16.6",
        "2.1 2.1 4.4 8.9 16.5",       // l2tpns, the first retransmission a tick late
        "2.0 4.0 8.0 16.0 16.0 16.0"})
    void exponentialBackOffPasses(String gaps) throws Failed {
        assertTrue(TransportScenarios.judge(times(gaps), "silence").startsWith(gaps.split(" ").length + " retransmissions"));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "1.0 1.0 1.0 1.0 1.0",        // no back-off at all
        "2.0 2.0 2.0 2.0 2.0",
        "1.0 2.0 4.0 8.0 16.0 8.0",   // falls back from 16 s
        "1.0 2.0 4.0 4.0 4.0",        // capped below the RFC's 8 s
        "1.0 2.0 4.0 8.0 3.0",        // shrinks
        "1.0",                        // too few to judge
        "1 2 4 8 8 8 8 8 8 8 8 8 8 8 8 8"}) // never gives up
    void otherScheduleFails(String gaps) {
        assertThrows(Failed.class, () -> TransportScenarios.judge(times(gaps), "silence"));
    }
}
