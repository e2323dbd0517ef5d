package io.jl2tp.l2tp.tunnel;

import io.jl2tp.l2tp.wire.ControlMessage;
import io.jl2tp.l2tp.wire.MessageType;
import io.jl2tp.l2tp.wire.ResultCode;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Calls that are opened and never connected (issue 11 row 2): an ICRQ without ICCN times out
 * after one retransmission cycle with CDN, and one tunnel cannot hold more than the cap of such
 * calls — the oldest goes first. The LAC's own call times out the same way if no ICRP comes.
 */
class HalfOpenCallTest {

    static TableHarness establishedLns() {
        TableHarness h = new TableHarness(false, false);
        h.deliver(TableHarness.sccrq());
        h.ackAll();
        h.deliver(h.scccn());
        h.clear();
        return h;
    }

    static long cycleMillis() {
        return TunnelConfig.defaults("x").transport().fullCycle().toMillis();
    }

    @Test
    void anIcrqWithoutIccnTimesOutWithCdnAfterOneRetransmissionCycle() {
        TableHarness h = establishedLns();
        h.deliver(h.icrq(0, 500));
        h.ackAll(); // the LAC acknowledges our ICRP and then says nothing
        assertEquals(1, h.tunnel.sessions().size());
        assertEquals(1, h.tunnel.calls().halfOpen());
        h.clock.advance(cycleMillis() - 1, TimeUnit.MILLISECONDS);
        assertEquals(1, h.tunnel.sessions().size(), "not before one full cycle");
        h.clock.advance(2, TimeUnit.MILLISECONDS);
        assertTrue(h.tunnel.sessions().isEmpty(), "cleared");
        assertEquals(0, h.tunnel.calls().halfOpen());
        ControlMessage cdn = h.sent.stream().filter(m -> !m.isZlb() && MessageType.CDN.equals(m.messageType()))
                .findFirst().orElseThrow();
        assertEquals(500, cdn.sessionId());
        assertEquals(ResultCode.CDN_TIMEOUT, cdn.resultCode().result(), "§4.4.2 result 10: not established in time");
        assertEquals(0, h.endpoint.counters().halfOpenCallsEvicted());
    }

    @Test
    void halfOpenCallsAreCappedPerTunnelOldestFirst() {
        TableHarness h = establishedLns();
        h.endpoint.limits(new EndpointLimits(16, 1024, 4));
        for (int i = 1; i <= 10; i++) {
            h.deliver(h.icrq(0, 500 + i));
            h.ackAll();
        }
        Set<Integer> kept = h.tunnel.sessions().stream().map(Session::peerId).collect(Collectors.toCollection(TreeSet::new));
        assertEquals(Set.of(507, 508, 509, 510), kept);
        List<ControlMessage> cdns = h.sent.stream().filter(m -> !m.isZlb() && MessageType.CDN.equals(m.messageType()))
                .toList();
        assertEquals(List.of(501, 502, 503, 504, 505, 506), cdns.stream().map(ControlMessage::sessionId).toList());
        assertTrue(cdns.stream().allMatch(c -> c.resultCode().result() == ResultCode.CDN_TEMPORARY_NO_FACILITIES));
        assertEquals(6, h.endpoint.counters().halfOpenCallsEvicted());
        // Connected calls are not half-open: the next one completes.
        Session s = h.tunnel.sessions().iterator().next();
        h.deliver(h.iccn(s.localId()));
        assertTrue(s.isEstablished());
        assertEquals(3, h.tunnel.calls().halfOpen());
    }

    @Test
    void theLacsCallTimesOutIfNoIcrpComes() {
        TableHarness h = new TableHarness(true, false);
        h.run(h.tunnel::start);
        h.deliver(h.sccrp());
        h.ackAll();
        Session[] s = new Session[1];
        h.run(() -> s[0] = h.tunnel.openSession(SessionConfig.defaults(), f -> f.release()));
        h.ackAll(); // the LNS acknowledges our ICRQ and never answers it
        assertEquals(Session.State.WAIT_REPLY, s[0].state());
        h.clock.advance(cycleMillis() + 1, TimeUnit.MILLISECONDS);
        assertEquals(Session.State.CLOSED, s[0].state());
        assertEquals(1, h.count(L2tpEvent.SessionDown.class));
        assertEquals(Tunnel.State.ESTABLISHED, h.tunnel.state(), "the tunnel stays");
    }
}
