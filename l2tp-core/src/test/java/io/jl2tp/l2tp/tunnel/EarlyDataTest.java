package io.jl2tp.l2tp.tunnel;

import io.jl2tp.l2tp.wire.DataHeader;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * PPP frames that overtake the ICCN (RFC 2661 §7.4.1: the LAC is established once it has sent
 * ICCN; §5.8: a lost ICCN is retransmitted later). The LNS holds the first few and hands them
 * to the call's receiver once the ICCN arrives, instead of dropping the LAC's first LCP
 * Configure-Request and waiting out PPP's restart timer; it never holds more than
 * {@link SessionData#HELD_MAX}, and releases what it holds if the call never connects.
 */
class EarlyDataTest {

    private final List<ByteBuf> buffers = new ArrayList<>();

    /** An LNS call waiting for ICCN, and its Session ID. */
    private static Session waitingCall(TableHarness h) {
        h.deliver(h.icrq(0, TableHarness.PEER_SESSION));
        h.ackAll();
        Session s = h.tunnel.sessions().iterator().next();
        assertEquals(Session.State.WAIT_CONNECT, s.state());
        return s;
    }

    /** The LAC's data message carrying one octet {@code mark} for {@code s}. */
    private ByteBuf data(TableHarness h, Session s, int mark) {
        ByteBuf b = Unpooled.buffer(DataHeader.MAX_LENGTH + 1);
        b.writerIndex(DataHeader.MAX_LENGTH).readerIndex(DataHeader.MAX_LENGTH);
        b.writeByte(mark);
        DataHeader.prepend(b, h.tunnel.localId(), s.localId(), false, false, 0, 0);
        buffers.add(b);
        return b;
    }

    /** One decoding holder for all, as the endpoint reuses its own: held frames must not share it. */
    private final DataHeader header = new DataHeader();

    /** What the endpoint does with a data message once it has found the call (its tunnel here is not in its map). */
    private void datagram(TableHarness h, ByteBuf b) {
        h.run(() -> {
            try {
                DataHeader d = header.decode(b);
                h.tunnel.session(d.sessionId).receiveData(b, d);
            } catch (io.jl2tp.l2tp.wire.L2tpProtocolException e) {
                throw new AssertionError(e);
            }
        });
    }

    @Test
    void framesAheadOfTheIccnAreDeliveredOnceItArrivesUpToFour() {
        TableHarness h = HalfOpenCallTest.establishedLns();
        List<Integer> got = new ArrayList<>();
        h.receiver = f -> {
            got.add((int) f.readUnsignedByte());
            f.release();
        };
        Session s = waitingCall(h);
        for (int i = 1; i <= 6; i++) {
            datagram(h, data(h, s, i));
        }
        assertTrue(got.isEmpty(), "nothing before the call is connected");
        h.deliver(h.iccn(s.localId()));
        assertTrue(s.isEstablished());
        assertEquals(List.of(1, 2, 3, 4), got, "the first four, in order");
        assertEquals(2, s.rxDrops());
        assertEquals(2, s.rxEarlyDrops());
        datagram(h, data(h, s, 7));
        assertEquals(List.of(1, 2, 3, 4, 7), got);
        assertEquals(5, s.rxPackets());
        assertTrue(buffers.stream().allMatch(b -> b.refCnt() == 0), "every buffer released");
    }

    @Test
    void heldFramesAreReleasedIfTheCallNeverConnects() {
        TableHarness h = HalfOpenCallTest.establishedLns();
        List<Integer> got = new ArrayList<>();
        h.receiver = f -> {
            got.add((int) f.readUnsignedByte());
            f.release();
        };
        Session s = waitingCall(h);
        datagram(h, data(h, s, 1));
        datagram(h, data(h, s, 2));
        h.clock.advance(HalfOpenCallTest.cycleMillis() + 1, TimeUnit.MILLISECONDS);
        assertEquals(Session.State.CLOSED, s.state());
        assertTrue(got.isEmpty());
        assertEquals(2, s.rxDrops());
        assertTrue(buffers.stream().allMatch(b -> b.refCnt() == 0), "held buffers released");
    }
}
