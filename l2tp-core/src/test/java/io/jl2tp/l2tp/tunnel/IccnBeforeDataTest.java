package io.jl2tp.l2tp.tunnel;

import io.jl2tp.l2tp.wire.ControlMessage;
import io.jl2tp.l2tp.wire.MessageType;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A LAC's PPP does not overtake its ICCN: with the control channel's window full (many calls
 * set up at once), the ICCN waits in the queue, and the call's SessionUp — where PPP starts —
 * waits with it. l2tpns drops a Configure-Request that comes before the ICCN ("ignoring
 * ConfigReq in state Starting"), which cost each such call PPP's 3 s restart timer.
 */
class IccnBeforeDataTest {

    private static boolean iccnSent(TableHarness h, Session s) {
        return h.sent.stream().anyMatch(m -> !m.isZlb() && MessageType.ICCN.equals(m.messageType())
                && m.sessionId() == s.peerId());
    }

    private static boolean up(TableHarness h, Session s) {
        return h.events.stream().anyMatch(e -> e instanceof L2tpEvent.SessionUp u && u.session() == s);
    }

    @Test
    void sessionUpWaitsUntilTheIccnHasLeft() {
        TableHarness h = new TableHarness(true, false);
        h.run(h.tunnel::start);
        h.deliver(h.sccrp());
        h.ackAll();
        List<Session> calls = new ArrayList<>();
        h.run(() -> {
            for (int i = 0; i < 12; i++) {
                calls.add(h.tunnel.openSession(SessionConfig.defaults(), f -> f.release()));
            }
        });
        Session first = calls.get(0);
        assertTrue(h.tunnel.transport().queued() > 0, "the window (4, no RWS AVP) is full");
        // The LNS answers the first call without acknowledging anything new: the ICCN queues.
        ControlMessage icrp = h.icrp(first.localId(), TableHarness.PEER_SESSION)
                .withSequence(h.tunnel.transport().expectedNr(), h.tunnel.transport().nextNs() - h.tunnel.transport().inFlight());
        h.run(() -> h.tunnel.input(icrp));
        assertEquals(Session.State.ESTABLISHED, first.state());
        assertFalse(iccnSent(h, first), "ICCN queued behind the ICRQs");
        assertFalse(up(h, first), "no SessionUp, so no PPP, before the ICCN");
        for (int i = 0; i < 10 && !iccnSent(h, first); i++) {
            h.ackAll();
        }
        assertTrue(iccnSent(h, first));
        assertTrue(up(h, first), "SessionUp once the ICCN has left");
        assertTrue(first.isEstablished());
    }

    @Test
    void aCallThatEndsWhileItsIccnWaitsNeverComesUp() {
        TableHarness h = new TableHarness(true, false);
        h.run(h.tunnel::start);
        h.deliver(h.sccrp());
        h.ackAll();
        List<Session> calls = new ArrayList<>();
        h.run(() -> {
            for (int i = 0; i < 12; i++) {
                calls.add(h.tunnel.openSession(SessionConfig.defaults(), f -> f.release()));
            }
        });
        Session first = calls.get(0);
        ControlMessage icrp = h.icrp(first.localId(), TableHarness.PEER_SESSION)
                .withSequence(h.tunnel.transport().expectedNr(), h.tunnel.transport().nextNs() - h.tunnel.transport().inFlight());
        h.run(() -> h.tunnel.input(icrp));
        h.run(() -> first.close("hung up"));
        for (int i = 0; i < 10; i++) {
            h.ackAll();
        }
        assertEquals(Session.State.CLOSED, first.state());
        assertFalse(up(h, first));
        assertEquals(1, h.events.stream().filter(e -> e instanceof L2tpEvent.SessionDown d && d.session() == first).count());
    }
}
