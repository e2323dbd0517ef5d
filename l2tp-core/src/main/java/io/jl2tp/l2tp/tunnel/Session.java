package io.jl2tp.l2tp.tunnel;

import io.jl2tp.l2tp.wire.DataHeader;
import io.netty.buffer.ByteBuf;

import java.net.InetSocketAddress;

/**
 * One call (session) inside a tunnel: the incoming-call state machine of RFC 2661 §7.4.1 (LAC)
 * and §7.4.2 (LNS), and the session's frame pipe.
 *
 * <p>Control state is confined to the endpoint's event loop. The data path ({@link #send}) may
 * run on another thread (one at a time, e.g. the TUN reader); it only reads the immutable
 * {@link DataPath} snapshot that the control plane publishes.
 */
public final class Session {

    /** Call states (§7.4.1 / §7.4.2). */
    public enum State {
        /** LAC: the call waits for its tunnel to be established. */
        WAIT_TUNNEL,
        /** LAC: ICRQ sent, waiting for ICRP. */
        WAIT_REPLY,
        /** LNS: ICRP sent, waiting for ICCN. */
        WAIT_CONNECT,
        /** Data may flow. */
        ESTABLISHED,
        /** CDN sent or received. */
        CLOSED
    }

    /** What the data path needs, published atomically by the control plane. */
    record DataPath(int peerTunnelId, int peerSessionId, InetSocketAddress peer, boolean sequencing) {
    }

    /** Octets a caller should leave in front of a PPP frame so {@link #send} can prepend in place. */
    public static final int HEADROOM = DataHeader.headerLength(true, true);

    private final Tunnel tunnel;
    private final int localId;
    private final boolean lac;
    final SessionConfig config;
    private final long serial;
    int peerId;
    State state;
    FrameReceiver receiver;
    /** §5.4: we sent Sequencing Required (LAC), or the LAC asked us to sequence (LNS). */
    boolean sequencingRequired;

    private volatile DataPath dataPath;
    private final java.util.concurrent.atomic.AtomicInteger dataNs = new java.util.concurrent.atomic.AtomicInteger(); // PPP control (event loop) and IP (TUN reader) both send
    private int expectedDataNs = -1;   // event-loop confined

    // Counters: tx written by the sending thread only, rx by the event loop only.
    private volatile long txPackets;
    private volatile long txBytes;
    private volatile long rxPackets;
    private volatile long rxBytes;
    private volatile long rxDrops;
    private volatile long txDrops;

    Session(Tunnel tunnel, int localId, boolean lac, SessionConfig config, long serial) {
        this.tunnel = tunnel;
        this.localId = localId;
        this.lac = lac;
        this.config = config;
        this.serial = serial;
    }

    /** The tunnel this call belongs to. */
    public Tunnel tunnel() {
        return tunnel;
    }

    /** Our Session ID (what the peer puts in the header). */
    public int localId() {
        return localId;
    }

    /** The peer's Session ID (0 until assigned). */
    public int peerId() {
        return peerId;
    }

    /** Call Serial Number (§4.4.5). */
    public long serial() {
        return serial;
    }

    /** True on the LAC side. */
    public boolean isLac() {
        return lac;
    }

    /** Current state. */
    public State state() {
        return state;
    }

    /** True while data flows. */
    public boolean isEstablished() {
        return state == State.ESTABLISHED;
    }

    /** True if data messages currently carry Ns/Nr (§5.4). */
    public boolean sequencing() {
        DataPath d = dataPath;
        return d != null && d.sequencing();
    }

    /** Sets where received PPP frames go (event loop). */
    public void receiver(FrameReceiver r) {
        this.receiver = r;
    }

    void publish(boolean sequencing) {
        dataPath = new DataPath(tunnel.peerId(), peerId, tunnel.peer(), sequencing);
    }

    void unpublish() {
        dataPath = null;
    }

    /**
     * Sends one PPP frame (the buffer's readable bytes) as an L2TP data message. Ownership of
     * {@code frame} passes to the session. If the buffer has {@link #HEADROOM} octets before its
     * readerIndex, the header is written in place; otherwise the frame is copied once. Frames
     * sent while the call is not established are dropped and counted. Safe to call from the
     * event loop and one data thread at the same time.
     */
    public void send(ByteBuf frame) {
        DataPath d = dataPath;
        if (d == null) {
            txDrops++;
            frame.release();
            return;
        }
        int len = frame.readableBytes();
        ByteBuf buf = frame;
        boolean length = config.lengthBit();
        int hl = DataHeader.headerLength(length, d.sequencing());
        if (frame.readerIndex() < hl) {
            buf = tunnel.endpoint().alloc().directBuffer(HEADROOM + len);
            buf.writerIndex(HEADROOM).readerIndex(HEADROOM);
            buf.writeBytes(frame, frame.readerIndex(), len);
            frame.release();
        }
        int ns = 0;
        if (d.sequencing()) {
            ns = dataNs.getAndIncrement() & 0xFFFF;
        }
        // RFC 2661 §3.1: Nr is reserved in data messages; send 0.
        DataHeader.prepend(buf, d.peerTunnelId(), d.peerSessionId(), length, d.sequencing(), ns, 0);
        txPackets++;
        txBytes += len;
        tunnel.endpoint().sink().send(buf, d.peer());
    }

    /** A data message for this session (event loop); takes ownership of {@code buf}. */
    void receiveData(ByteBuf buf, DataHeader h) {
        if (state != State.ESTABLISHED || receiver == null) {
            rxDrops++;
            buf.release();
            return;
        }
        boolean seq = h.hasSequence();
        if (seq) {
            // §5.4: drop data that arrives out of order when sequencing (simple reorder-drop).
            if (expectedDataNs >= 0 && io.jl2tp.l2tp.transport.Seq.before(h.ns, expectedDataNs)) {
                rxDrops++;
                buf.release();
                return;
            }
            expectedDataNs = (h.ns + 1) & 0xFFFF;
        }
        if (lac) {
            // RFC 2661 §5.4: unless it required sequencing, the LAC mirrors the LNS — send Ns/Nr
            // when the LNS's data carries them, stop when it does not.
            DataPath d = dataPath;
            if (d != null && !sequencingRequired && d.sequencing() != seq) {
                dataPath = new DataPath(d.peerTunnelId(), d.peerSessionId(), d.peer(), seq);
            }
        }
        rxPackets++;
        rxBytes += h.payloadLength;
        buf.setIndex(h.payloadIndex, h.payloadIndex + h.payloadLength);
        receiver.frame(buf);
    }

    /** Hangs up this call with CDN result 3 (administrative), §6.12. Event loop only. */
    public void close(String reason) {
        tunnel.closeSession(this, 3, null, reason, reason);
    }

    public long txPackets() {
        return txPackets;
    }

    public long txBytes() {
        return txBytes;
    }

    public long rxPackets() {
        return rxPackets;
    }

    public long rxBytes() {
        return rxBytes;
    }

    /** Data messages dropped on receive (not established, out of order). */
    public long rxDrops() {
        return rxDrops;
    }

    /** Frames dropped on send because the call was not established. */
    public long txDrops() {
        return txDrops;
    }

    @Override
    public String toString() {
        return "session " + localId + "/" + peerId + " " + state;
    }
}
