package io.jl2tp.l2tp.tunnel;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The log lines an ICRQ flood causes (issue 11 rows 2 and 7) go through the endpoint's peer-log
 * rate limit: found by failover-app/bench/run-hostile.sh, where 100 000 ICRQs wrote 100 000
 * "incoming call" lines (8.5 MB) to the LNS's log.
 */
class IcrqFloodLogTest {

    @Test
    void everyLineAnIcrqCausesIsRateLimited() {
        TableHarness h = HalfOpenCallTest.establishedLns();
        h.endpoint.limits(new EndpointLimits(16, 1024, 4));
        long before = h.endpoint.counters().suppressedLogLines();
        int icrqs = 500;
        for (int i = 1; i <= icrqs; i++) {
            h.deliver(h.icrq(0, i));
            h.ackAll();
        }
        assertEquals(4, h.tunnel.calls().halfOpen());
        // Per ICRQ one "incoming call" line, and for all but the first 4 one eviction line; within
        // one instant the limiter lets a burst of at most 100 through.
        long peerLines = icrqs + (icrqs - 4);
        long suppressed = h.endpoint.counters().suppressedLogLines() - before;
        assertTrue(suppressed >= peerLines - 100, suppressed + " of " + peerLines + " lines suppressed");
    }
}
