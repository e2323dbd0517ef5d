package io.jl2tp.l2tp.tunnel;

import io.jl2tp.l2tp.transport.Seq;
import io.jl2tp.l2tp.wire.DataHeader;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

import java.net.InetSocketAddress;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * The data path of one call (RFC 2661 §3.1 data messages, §5.4 sequencing).
 *
 * <p>Threads: the control plane (event loop) publishes an immutable {@link Snapshot} — where to
 * send, through which sink, with which allocator — and receives ({@link #receive}). Sending
 * ({@link #send}) runs on any thread, typically the event loop (PPP control) and the TUN reader
 * (IP) at once: it reads only the snapshot, takes Ns from an atomic counter, and counts with
 * {@link LongAdder}s, so no update is lost. Receive-side state and counters are written by the
 * event loop only (volatile for readers elsewhere).
 */
final class SessionData {

    /** What the data path needs, published atomically by the control plane. */
    record Snapshot(int peerTunnelId, int peerSessionId, InetSocketAddress peer, boolean sequencing, boolean lengthBit,
                    DatagramSink sink, ByteBufAllocator alloc) {

        Snapshot withSequencing(boolean s) {
            return new Snapshot(peerTunnelId, peerSessionId, peer, s, lengthBit, sink, alloc);
        }
    }

    private volatile Snapshot snapshot;
    private final AtomicInteger ns = new AtomicInteger();
    private final LongAdder txPackets = new LongAdder();
    private final LongAdder txBytes = new LongAdder();
    private final LongAdder txDrops = new LongAdder();
    private int expectedNs = -1;          // event loop
    private volatile long rxPackets;      // event loop writes
    private volatile long rxBytes;        // event loop writes
    private volatile long rxDrops;        // event loop writes
    private volatile long rxEarlyDrops;   // event loop writes
    private ByteBuf[] held;               // event loop; frames that came before the call was connected
    private DataHeader[] heldHeaders;     // event loop
    private int heldCount;                // event loop

    void publish(Snapshot s) {
        snapshot = s;
    }

    void unpublish() {
        snapshot = null;
    }

    Snapshot snapshot() {
        return snapshot;
    }

    /** See {@link Session#send}. Any thread. */
    void send(ByteBuf frame) {
        Snapshot d = snapshot;
        if (d == null) {
            txDrops.increment();
            frame.release();
            return;
        }
        int len = frame.readableBytes();
        ByteBuf buf = frame;
        int hl = DataHeader.headerLength(d.lengthBit(), d.sequencing());
        if (frame.readerIndex() < hl) {
            buf = d.alloc().directBuffer(DataHeader.MAX_LENGTH + len);
            buf.writerIndex(DataHeader.MAX_LENGTH).readerIndex(DataHeader.MAX_LENGTH);
            buf.writeBytes(frame, frame.readerIndex(), len);
            frame.release();
        }
        int n = d.sequencing() ? ns.getAndIncrement() & 0xFFFF : 0;
        // RFC 2661 §3.1: Nr is reserved in data messages; send 0.
        DataHeader.prepend(buf, d.peerTunnelId(), d.peerSessionId(), d.lengthBit(), d.sequencing(), n, 0);
        txPackets.increment();
        txBytes.add(len);
        d.sink().send(buf, d.peer());
    }

    /**
     * A data message for this call (event loop); takes ownership of {@code buf}. Returns true if
     * it was handed to {@code receiver}.
     *
     * @param mirror §5.4: the LAC did not require sequencing, so it mirrors the LNS's S bit
     */
    boolean receive(ByteBuf buf, DataHeader h, FrameReceiver receiver, boolean mirror) {
        Snapshot d = snapshot;
        if (d == null || receiver == null) {
            rxDrops++;
            buf.release();
            return false;
        }
        boolean seq = h.hasSequence();
        if (seq) {
            // §5.4: drop data that arrives out of order when sequencing (simple reorder-drop).
            if (expectedNs >= 0 && Seq.before(h.ns, expectedNs)) {
                rxDrops++;
                buf.release();
                return false;
            }
            expectedNs = (h.ns + 1) & 0xFFFF;
        }
        if (mirror && d.sequencing() != seq) {
            // RFC 2661 §5.4: unless it required sequencing, the LAC mirrors the LNS — send Ns/Nr
            // when the LNS's data carries them, stop when it does not.
            snapshot = d.withSequencing(seq);
        }
        rxPackets++;
        rxBytes += h.payloadLength;
        buf.setIndex(h.payloadIndex, h.payloadIndex + h.payloadLength);
        receiver.frame(buf);
        return true;
    }

    /**
     * A data message that arrived while the LNS still waits for the call's ICCN (event loop;
     * takes ownership of {@code buf}). RFC 2661 §7.4.1: the LAC is established once it has sent
     * ICCN and may send PPP at once, so its first Configure-Request can overtake an ICCN that is
     * lost and retransmitted (§5.8) or reordered. Up to {@link #HELD_MAX} such frames are kept
     * for {@link #deliverHeld}; more are dropped and counted — a peer cannot make us hold more.
     */
    void hold(ByteBuf buf, DataHeader h) {
        if (heldCount == HELD_MAX) {
            rxDrops++;
            rxEarlyDrops++;
            buf.release();
            return;
        }
        if (held == null) {
            held = new ByteBuf[HELD_MAX];
            heldHeaders = new DataHeader[HELD_MAX];
        }
        held[heldCount] = buf;
        heldHeaders[heldCount++] = h.copy();
    }

    /** Hands the held frames to {@code receiver} in arrival order, as {@link #receive} would (event loop). */
    void deliverHeld(FrameReceiver receiver, boolean mirror) {
        ByteBuf[] b = held;
        DataHeader[] h = heldHeaders;
        int n = heldCount;
        held = null;
        heldHeaders = null;
        heldCount = 0;
        for (int i = 0; i < n; i++) {
            receive(b[i], h[i], receiver, mirror);
        }
    }

    /** Releases the held frames, counted as dropped: the call ended before it was connected (event loop). */
    void dropHeld() {
        for (int i = 0; i < heldCount; i++) {
            held[i].release();
            rxDrops++;
        }
        held = null;
        heldHeaders = null;
        heldCount = 0;
    }

    /** Frames held before the call was connected: the most kept at once. */
    static final int HELD_MAX = 4;

    long txPackets() {
        return txPackets.sum();
    }

    long txBytes() {
        return txBytes.sum();
    }

    long txDrops() {
        return txDrops.sum();
    }

    long rxPackets() {
        return rxPackets;
    }

    long rxBytes() {
        return rxBytes;
    }

    long rxDrops() {
        return rxDrops;
    }

    long rxEarlyDrops() {
        return rxEarlyDrops;
    }
}
