package io.jl2tp.app.harness.conformance;

import io.jl2tp.l2tp.wire.ControlMessage;
import io.jl2tp.l2tp.wire.DataMessage;
import io.jl2tp.l2tp.wire.HiddenAvpContext;
import io.jl2tp.l2tp.wire.L2tpCodec;
import io.jl2tp.l2tp.wire.L2tpProtocolException;
import io.jl2tp.l2tp.wire.MessageType;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.function.Predicate;

/**
 * The harness's LAC end of one control connection, on a plain UDP socket, with l2tp-core's codec
 * and none of its reliable transport: the scenarios decide what is sent, with which Ns/Nr, and
 * whether anything is acknowledged — so they can misbehave exactly. By default a received
 * in-order control message advances Nr and is acknowledged at once with a ZLB, and a duplicate
 * is acknowledged again (RFC 2661 §5.8); {@link #autoAck(boolean)} turns that off.
 *
 * <p>Threads: one, the scenario's; not thread-safe.
 */
final class LacWire implements AutoCloseable {

    /** A received control message and when it arrived ({@link System#nanoTime()}). */
    record Rx(ControlMessage msg, long atNanos) {
    }

    private final DatagramSocket socket;
    private InetSocketAddress peer;
    private final HiddenAvpContext hidden;
    private final Deque<Rx> controls = new ArrayDeque<>();
    private final Deque<DataMessage> data = new ArrayDeque<>();
    private final byte[] buf = new byte[65536];
    private boolean autoAck = true;
    int localTunnel;        // our Assigned Tunnel ID
    int peerTunnel;         // the LNS's Assigned Tunnel ID (0 until SCCRP)
    int ns;                 // Ns of our next non-ZLB message
    int nr;                 // next Ns we expect from the LNS
    int undecodable;        // datagrams l2tp-core's codec refused

    private final boolean ownsSocket;

    LacWire(InetSocketAddress lns, HiddenAvpContext hidden, int localTunnel) throws IOException {
        this(new DatagramSocket(0), true, lns, hidden, localTunnel);
    }

    /**
     * The LNS end of a control connection on a socket the harness listens on (the {@code --lac}
     * suite): the peer is whoever sends the SCCRQ; the socket outlives this connection.
     */
    static LacWire listening(DatagramSocket socket, HiddenAvpContext hidden, int localTunnel) {
        return new LacWire(socket, false, null, hidden, localTunnel);
    }

    private LacWire(DatagramSocket socket, boolean ownsSocket, InetSocketAddress peer, HiddenAvpContext hidden,
                    int localTunnel) {
        this.socket = socket;
        this.ownsSocket = ownsSocket;
        this.peer = peer;
        this.hidden = hidden;
        this.localTunnel = localTunnel;
    }

    /** Turns automatic acknowledgement of received control messages on or off. */
    void autoAck(boolean on) {
        autoAck = on;
    }

    /** Sends {@code m} with the current Ns/Nr; a non-ZLB message takes one Ns slot. */
    ControlMessage send(ControlMessage m) throws IOException {
        ControlMessage s = m.withSequence(ns, nr);
        sendRaw(s);
        if (!m.isZlb()) {
            ns = (ns + 1) & 0xffff;
        }
        return s;
    }

    /** Sends {@code m} exactly as given (its own Ns/Nr); nothing is counted. */
    void sendRaw(ControlMessage m) throws IOException {
        ByteBuf out = Unpooled.buffer(256);
        L2tpCodec.encodeControl(m, out, hidden);
        byte[] b = new byte[out.readableBytes()];
        out.readBytes(b);
        socket.send(new DatagramPacket(b, b.length, peer));
    }

    /** Acknowledges everything received so far with a ZLB. */
    void ack() throws IOException {
        sendRaw(ControlMessage.zlb(peerTunnel, ns, nr));
    }

    /** Sends a data message (RFC 2661 §3.1, no sequence numbers) carrying {@code payload}. */
    void sendData(int peerSession, byte[] payload) throws IOException {
        ByteBuf out = Unpooled.buffer(payload.length + 16);
        new DataMessage(2, peerTunnel, peerSession, -1, -1, null, payload).encode(out);
        byte[] b = new byte[out.readableBytes()];
        out.readBytes(b);
        socket.send(new DatagramPacket(b, b.length, peer));
    }

    /** The next control message matching {@code want} within {@code timeout}, or null; data is kept. */
    Rx awaitControl(Predicate<ControlMessage> want, Duration timeout) throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            for (var it = controls.iterator(); it.hasNext(); ) {
                Rx r = it.next();
                if (want.test(r.msg())) {
                    it.remove();
                    return r;
                }
            }
            long left = deadline - System.nanoTime();
            if (left <= 0 || !receiveOne(left)) {
                if (System.nanoTime() >= deadline) {
                    return null;
                }
            }
        }
    }

    /** The next data message within {@code timeout}, or null; control messages are kept. */
    DataMessage awaitData(Duration timeout) throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (data.isEmpty()) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return null;
            }
            receiveOne(left);
        }
        return data.poll();
    }

    /** Control messages received and not yet consumed (for a look without waiting). */
    Deque<Rx> pendingControls() {
        return controls;
    }

    /** Reads one datagram (waiting up to {@code nanos}); false on timeout. */
    private boolean receiveOne(long nanos) throws IOException {
        socket.setSoTimeout((int) Math.max(1, nanos / 1_000_000));
        DatagramPacket p = new DatagramPacket(buf, buf.length);
        try {
            socket.receive(p);
        } catch (SocketTimeoutException e) {
            return false;
        }
        long at = System.nanoTime();
        // RFC 2661 §8.1: the LNS may answer from another port; later messages go there.
        peer = (InetSocketAddress) p.getSocketAddress();
        ByteBuf in = Unpooled.wrappedBuffer(buf, 0, p.getLength());
        try {
            if (!L2tpCodec.isControl(in)) {
                data.add(DataMessage.decode(in));
                return true;
            }
            ControlMessage m = L2tpCodec.decodeControl(in, hidden);
            onControl(m, at);
        } catch (L2tpProtocolException e) {
            undecodable++;
        }
        return true;
    }

    private void onControl(ControlMessage m, long at) throws IOException {
        if (m.tunnelId() != localTunnel && !(m.tunnelId() == 0 && MessageType.SCCRQ.equals(m.messageType()))) {
            return; // another (earlier) connection's message
        }
        controls.add(new Rx(m, at));
        if (peerTunnel == 0 && m.assignedTunnelId().isPresent()) {
            peerTunnel = m.assignedTunnelId().getAsInt();
        }
        if (m.isZlb()) {
            return;
        }
        int d = (m.ns() - nr) & 0xffff;
        if (d == 0) {
            nr = (nr + 1) & 0xffff;
        }
        // RFC 2661 §5.8: in-order messages and duplicates are acknowledged.
        if (autoAck && (d == 0 || d >= 0x8000)) {
            ack();
        }
    }

    /** Time in seconds from {@code fromNanos} to {@code toNanos}. */
    static double seconds(long fromNanos, long toNanos) {
        return (toNanos - fromNanos) / 1e9;
    }

    @Override
    public void close() {
        if (ownsSocket) {
            socket.close();
        }
    }
}
