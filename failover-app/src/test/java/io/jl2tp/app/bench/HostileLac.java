package io.jl2tp.app.bench;

import io.jl2tp.l2tp.wire.Avp;
import io.jl2tp.l2tp.wire.AvpType;
import io.jl2tp.l2tp.wire.ControlMessage;
import io.jl2tp.l2tp.wire.HiddenAvpContext;
import io.jl2tp.l2tp.wire.L2tpCodec;
import io.jl2tp.l2tp.wire.L2tpProtocolException;
import io.jl2tp.l2tp.wire.MessageType;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The issue 11 row 1 and row 2 attacker, built on l2tp-core's codec: from one UDP socket it sends
 * SCCRQs with fresh Assigned Tunnel IDs, ZLB-acknowledges every SCCRP and never sends SCCCN;
 * then it opens one real tunnel (with tunnel authentication when it knows the secret, RFC 2661
 * §5.1.1) and sends ICRQs with fresh Assigned Session IDs on it, acknowledging every reply
 * (ICRP, CDN, HELLO) and never sending ICCN. It can also complete one call (ICCN), as a
 * legitimate LAC does. Used by {@code failover-app/bench/run-hostile.sh} (its {@link #main}) and
 * by {@code HostileLoadTest}.
 */
public final class HostileLac implements AutoCloseable {

    /** What a flood drew from the LNS. */
    public record Replies(int sent, int sccrp, int icrp, int cdn, int stopCcn, int other) {
        @Override
        public String toString() {
            return "sent " + sent + ", SCCRP " + sccrp + ", ICRP " + icrp + ", CDN " + cdn + ", StopCCN " + stopCcn
                    + ", other " + other;
        }
    }

    /** Our tunnel id of the real tunnel; the flood uses 1..65534. */
    public static final int REAL_TUNNEL = 0xFFFF;

    private final DatagramChannel channel;
    private final InetSocketAddress lns;
    private final byte[] secret;
    private final HiddenAvpContext hidden;
    private final ByteBuffer rx = ByteBuffer.allocate(65536);
    private int sccrp;
    private int icrp;
    private int cdn;
    private int stopCcn;
    private int other;

    // The one real tunnel: our Ns, the Nr we send (next Ns expected from the LNS), what the LNS acked.
    private int lnsTunnel;
    private int ns;
    private int nr;
    private int acked;
    private int window = 4;
    private int ourIdOfRealTunnel;
    private final Map<Integer, byte[]> unacked = new HashMap<>();

    /** A socket bound to {@code local} (port 0: any), talking to {@code lns}; {@code secret} may be null. */
    public HostileLac(InetSocketAddress local, InetSocketAddress lns, byte[] secret) throws IOException {
        this.lns = lns;
        this.secret = secret;
        this.hidden = HiddenAvpContext.of(secret);
        this.channel = DatagramChannel.open();
        channel.setOption(java.net.StandardSocketOptions.SO_RCVBUF, 4 << 20);
        channel.bind(local);
        channel.connect(lns);
        channel.configureBlocking(false);
    }

    /** The counts so far. */
    public Replies replies(int sent) {
        return new Replies(sent, sccrp, icrp, cdn, stopCcn, other);
    }

    /** The LNS's tunnel id of the real tunnel (after {@link #openTunnel}). */
    public int lnsTunnel() {
        return lnsTunnel;
    }

    private static List<Avp> scc(int assignedTunnel) {
        return List.of(Avp.protocolVersion(), Avp.framingCapabilities(3), Avp.hostName("hostile"),
                Avp.assignedTunnelId(assignedTunnel));
    }

    private void send(ControlMessage msg) throws IOException {
        channel.write(ByteBuffer.wrap(encode(msg)));
    }

    private static byte[] encode(ControlMessage msg) {
        ByteBuf b = Unpooled.buffer();
        try {
            L2tpCodec.encodeControl(msg, b, HiddenAvpContext.NONE);
            byte[] out = new byte[b.readableBytes()];
            b.readBytes(out);
            return out;
        } finally {
            b.release();
        }
    }

    /** One received control message, or null if none arrives within {@code waitMillis}. */
    private ControlMessage receive(long waitMillis) throws IOException {
        long deadline = System.nanoTime() + waitMillis * 1_000_000L;
        while (true) {
            rx.clear();
            if (channel.receive(rx) != null) {
                rx.flip();
                ByteBuf b = Unpooled.wrappedBuffer(rx);
                if (!L2tpCodec.isControl(b)) {
                    continue;
                }
                try {
                    return L2tpCodec.decodeControl(b, hidden);
                } catch (L2tpProtocolException e) {
                    other++;
                    continue;
                }
            }
            if (System.nanoTime() - deadline >= 0) {
                return null;
            }
            java.util.concurrent.locks.LockSupport.parkNanos(50_000);
        }
    }

    /** Handles one reply: counts it and acknowledges it with a ZLB (RFC 2661 §5.8). */
    private void handle(ControlMessage m) throws IOException {
        if (lnsTunnel != 0 && m.tunnelId() == ourIdOfRealTunnel) {
            if (seqLess(acked, m.nr())) {
                for (int s = acked; s != m.nr(); s = (s + 1) & 0xFFFF) {
                    unacked.remove(s);
                }
                acked = m.nr();
            }
            if (m.isZlb()) {
                return;
            }
            if (m.ns() == nr) {
                nr = (nr + 1) & 0xFFFF;
            }
            count(m);
            send(ControlMessage.zlb(lnsTunnel, ns, nr));
            return;
        }
        if (m.isZlb()) {
            return;
        }
        count(m);
        if (MessageType.SCCRP.equals(m.messageType()) && m.assignedTunnelId().isPresent()) {
            // Acknowledge the SCCRP so the LNS stops retransmitting it, and never send SCCCN.
            send(ControlMessage.zlb(m.assignedTunnelId().getAsInt(), 1, (m.ns() + 1) & 0xFFFF));
        } else if (m.assignedTunnelId().isPresent()) {
            // e.g. a StopCCN to a half-open tunnel: acknowledge it too.
            send(ControlMessage.zlb(m.assignedTunnelId().getAsInt(), 1, (m.ns() + 1) & 0xFFFF));
        }
    }

    private void count(ControlMessage m) {
        MessageType t = m.messageType();
        if (MessageType.SCCRP.equals(t)) {
            sccrp++;
        } else if (MessageType.ICRP.equals(t)) {
            icrp++;
        } else if (MessageType.CDN.equals(t)) {
            cdn++;
        } else if (MessageType.STOPCCN.equals(t)) {
            stopCcn++;
        } else {
            other++;
        }
    }

    private static boolean seqLess(int a, int b) {
        int d = (b - a) & 0xFFFF;
        return d != 0 && d < 0x8000;
    }

    private void drain(long waitMillis) throws IOException {
        ControlMessage m;
        while ((m = receive(waitMillis)) != null) {
            handle(m);
        }
    }

    /**
     * Row 1: {@code n} SCCRQs with fresh Assigned Tunnel IDs (1..65535, wrapping; never the id of
     * the real tunnel), each SCCRP ZLB-acknowledged, no SCCCN. At most {@code inFlight} SCCRQs
     * wait for their SCCRP at a time, so the rate is what the LNS can take; a lost one does not
     * stall the flood for more than 20 ms.
     */
    public Replies floodSccrq(int n, int inFlight) throws IOException {
        int base = sccrp;
        int id = 0;
        for (int i = 0; i < n; i++) {
            id = id % (REAL_TUNNEL - 1) + 1;
            send(ControlMessage.of(MessageType.SCCRQ, 0, 0, scc(id)));
            drain(0);
            long stall = System.nanoTime();
            while (i + 1 - (sccrp - base) >= inFlight && System.nanoTime() - stall < 20_000_000L) {
                ControlMessage m = receive(1);
                if (m != null) {
                    handle(m);
                    stall = System.nanoTime();
                }
            }
        }
        drain(200);
        return replies(n);
    }

    /**
     * Opens the real tunnel: SCCRQ, SCCRP, SCCCN with the Challenge Response if the LNS
     * challenged (RFC 2661 §4.4.3/§5.1.1); retransmits like a LAC would. Returns the LNS's tunnel id.
     */
    public int openTunnel(int ourTunnelId) throws IOException {
        ourIdOfRealTunnel = ourTunnelId;
        byte[] sccrq = encode(ControlMessage.of(MessageType.SCCRQ, 0, 0, scc(ourTunnelId)).withSequence(0, 0));
        ControlMessage reply = null;
        for (int attempt = 0; attempt < 10 && reply == null; attempt++) {
            channel.write(ByteBuffer.wrap(sccrq));
            long until = System.nanoTime() + 1_000_000_000L;
            while (reply == null && System.nanoTime() < until) {
                ControlMessage m = receive(50);
                if (m == null) {
                    continue;
                }
                if (m.tunnelId() == ourTunnelId && MessageType.SCCRP.equals(m.messageType())) {
                    reply = m;
                } else {
                    handle(m);
                }
            }
        }
        if (reply == null) {
            throw new IOException("no SCCRP to the real tunnel's SCCRQ");
        }
        if (MessageType.STOPCCN.equals(reply.messageType())) {
            throw new IOException("StopCCN: " + reply.resultCode());
        }
        lnsTunnel = reply.assignedTunnelId().orElseThrow();
        window = reply.has(AvpType.RECEIVE_WINDOW_SIZE) ? Math.max(1, reply.u16(AvpType.RECEIVE_WINDOW_SIZE).getAsInt()) : 4;
        ns = 1;
        nr = (reply.ns() + 1) & 0xFFFF;
        acked = 0;
        unacked.put(0, sccrq);
        Avp challenge = reply.find(AvpType.CHALLENGE);
        List<Avp> avps = List.of();
        if (challenge != null) {
            if (secret == null) {
                throw new IOException("the LNS challenges and no tunnel secret was given");
            }
            avps = List.of(Avp.challengeResponse(hidden.challengeResponse(MessageType.SCCCN.code(), challenge.bytes())));
        }
        sendReliable(ControlMessage.of(MessageType.SCCCN, lnsTunnel, 0, avps));
        awaitAcked(10_000);
        return lnsTunnel;
    }

    private void sendReliable(ControlMessage msg) throws IOException {
        byte[] wire = encode(msg.withSequence(ns, nr));
        unacked.put(ns, wire);
        ns = (ns + 1) & 0xFFFF;
        channel.write(ByteBuffer.wrap(wire));
    }

    /** Waits until every reliable message we sent is acknowledged, retransmitting each second. */
    private void awaitAcked(long timeoutMillis) throws IOException {
        long end = System.nanoTime() + timeoutMillis * 1_000_000L;
        long lastProgress = System.nanoTime();
        while (acked != ns) {
            int before = acked;
            ControlMessage m = receive(10);
            if (m != null) {
                handle(m);
            }
            if (acked != before) {
                lastProgress = System.nanoTime();
            } else if (System.nanoTime() - lastProgress > 1_000_000_000L) {
                retransmit();
                lastProgress = System.nanoTime();
            }
            if (System.nanoTime() - end > 0) {
                throw new IOException("the LNS did not acknowledge Ns " + acked + ".." + ns);
            }
        }
    }

    private void retransmit() throws IOException {
        for (int s = acked; s != ns; s = (s + 1) & 0xFFFF) {
            byte[] wire = unacked.get(s);
            if (wire != null) {
                channel.write(ByteBuffer.wrap(wire));
            }
        }
    }

    /**
     * Row 2: {@code n} ICRQs with fresh Assigned Session IDs on the real tunnel, never an ICCN,
     * every reply acknowledged. Keeps within the LNS's receive window (RFC 2661 §5.8) and
     * retransmits after 1 s without progress, so none is lost to a full socket buffer.
     */
    public Replies floodIcrq(int n) throws IOException {
        for (int i = 0; i < n; i++) {
            long lastProgress = System.nanoTime();
            while (((ns - acked) & 0xFFFF) >= window) {
                int before = acked;
                ControlMessage m = receive(5);
                if (m != null) {
                    handle(m);
                }
                if (acked != before) {
                    lastProgress = System.nanoTime();
                } else if (System.nanoTime() - lastProgress > 1_000_000_000L) {
                    retransmit();
                    lastProgress = System.nanoTime();
                }
            }
            sendReliable(ControlMessage.of(MessageType.ICRQ, lnsTunnel, 0,
                    List.of(Avp.assignedSessionId(i % 0xFFFF + 1), Avp.callSerialNumber(i))));
            drain(0);
        }
        awaitAcked(30_000);
        drain(200);
        return replies(n);
    }

    /** A legitimate call on the real tunnel: ICRQ, ICRP, ICCN (RFC 2661 §5.4.2). Returns the LNS's session id. */
    public int completeCall(int ourSessionId) throws IOException {
        sendReliable(ControlMessage.of(MessageType.ICRQ, lnsTunnel, 0,
                List.of(Avp.assignedSessionId(ourSessionId), Avp.callSerialNumber(ourSessionId))));
        long end = System.nanoTime() + 10_000_000_000L;
        ControlMessage reply = null;
        while (reply == null && System.nanoTime() < end) {
            ControlMessage m = receive(10);
            if (m == null) {
                continue;
            }
            handle(m);
            if (m.sessionId() == ourSessionId && MessageType.ICRP.equals(m.messageType())) {
                reply = m;
            }
        }
        if (reply == null) {
            throw new IOException("no ICRP");
        }
        int lnsSession = reply.assignedSessionId().orElseThrow();
        sendReliable(ControlMessage.of(MessageType.ICCN, lnsTunnel, lnsSession,
                List.of(Avp.txConnectSpeed(1_000_000), Avp.framingType(1))));
        awaitAcked(10_000);
        return lnsSession;
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }

    /**
     * {@code HostileLac LNS-ADDR[:PORT] N [SECRET-FILE]}: N SCCRQs, then one real tunnel and N
     * ICRQs on it; prints one line per phase and exits. Run from the attacker's namespace.
     */
    public static void main(String[] args) throws Exception {
        if (args.length < 2) {
            System.err.println("usage: HostileLac LNS-ADDR[:PORT] N [SECRET-FILE]");
            System.exit(2);
        }
        String[] hp = args[0].split(":");
        InetSocketAddress lns = new InetSocketAddress(hp[0], hp.length > 1 ? Integer.parseInt(hp[1]) : 1701);
        int n = Integer.parseInt(args[1]);
        byte[] secret = args.length > 2 ? Files.readString(Path.of(args[2])).strip().getBytes(StandardCharsets.UTF_8) : null;
        try (HostileLac lac = new HostileLac(new InetSocketAddress(0), lns, secret)) {
            long t0 = System.nanoTime();
            Replies r = lac.floodSccrq(n, 64);
            long t1 = System.nanoTime();
            System.out.printf("sccrq: %s in %d ms (%d/s)%n", r, (t1 - t0) / 1_000_000, n * 1_000_000_000L / Math.max(1, t1 - t0));
            lac.openTunnel(REAL_TUNNEL);
            long t2 = System.nanoTime();
            Replies c = lac.floodIcrq(n);
            long t3 = System.nanoTime();
            System.out.printf("icrq: %s in %d ms (%d/s) on tunnel %d%n", c, (t3 - t2) / 1_000_000,
                    n * 1_000_000_000L / Math.max(1, t3 - t2), lac.lnsTunnel());
        }
    }
}
