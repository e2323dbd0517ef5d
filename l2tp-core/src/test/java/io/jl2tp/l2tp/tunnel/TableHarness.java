package io.jl2tp.l2tp.tunnel;

import io.jl2tp.l2tp.wire.Avp;
import io.jl2tp.l2tp.wire.AvpType;
import io.jl2tp.l2tp.wire.AvpValue;
import io.jl2tp.l2tp.wire.ControlMessage;
import io.jl2tp.l2tp.wire.HiddenAvpContext;
import io.jl2tp.l2tp.wire.L2tpCodec;
import io.jl2tp.l2tp.wire.MessageType;
import io.jl2tp.l2tp.wire.ResultCode;
import io.jl2tp.testkit.VirtualScheduler;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.UnpooledByteBufAllocator;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * One endpoint and one tunnel in virtual time, fed by hand as its peer would feed it: messages
 * go through the tunnel's reliable transport with the next Ns and an Nr acknowledging all we
 * sent; what the tunnel sends is decoded into {@link #sent}, its events into {@link #events}.
 * Used to put a tunnel or call into a state of the §7 tables and apply one event.
 */
final class TableHarness {

    static final InetSocketAddress PEER = new InetSocketAddress("198.51.100.1", 40000);
    static final int PEER_TUNNEL = 777;
    static final int PEER_SESSION = 55;
    static final byte[] SECRET = "tunnelsecret".getBytes(StandardCharsets.US_ASCII);

    final VirtualScheduler clock = new VirtualScheduler();
    final List<ControlMessage> sent = new ArrayList<>();
    final List<L2tpEvent> events = new ArrayList<>();
    final L2tpEndpoint endpoint;
    final Tunnel tunnel;
    boolean acceptCalls = true;
    /** Where accepted calls' frames go (read when the ICCN is accepted). */
    FrameReceiver receiver = f -> f.release();
    private final HiddenAvpContext hidden;

    /** A LAC tunnel (initiator) or an LNS tunnel, idle, with or without a secret the peer does not know. */
    TableHarness(boolean lac, boolean secret) {
        UnpooledByteBufAllocator alloc = new UnpooledByteBufAllocator(false);
        TunnelConfig cfg = TunnelConfig.defaults(lac ? "lac" : "lns");
        if (secret) {
            cfg = cfg.withSecret(SECRET, true);
        }
        hidden = HiddenAvpContext.of(cfg.secret());
        endpoint = new L2tpEndpoint(clock, clock.nanoClock(), alloc, this::capture, new Random(1));
        endpoint.serve(cfg, s -> acceptCalls ? receiver : null, events::add);
        tunnel = new Tunnel(endpoint, lac, 4242, PEER, cfg, events::add);
    }

    private void capture(ByteBuf buf, InetSocketAddress to) {
        try {
            if (L2tpCodec.isControl(buf)) {
                sent.add(L2tpCodec.decodeControl(buf.duplicate(), hidden));
            }
        } catch (Exception e) {
            throw new AssertionError("the tunnel sent an undecodable message", e);
        } finally {
            buf.release();
        }
    }

    /** Delivers {@code msg} as the peer's next message, acknowledging everything we sent. */
    void deliver(ControlMessage msg) {
        clock.execute(() -> tunnel.input(msg.withSequence(tunnel.transport().expectedNr(), tunnel.transport().nextNs())));
        clock.runPending();
    }

    /** A ZLB acknowledging everything we sent. */
    void ackAll() {
        clock.execute(() -> tunnel.input(ControlMessage.zlb(tunnel.localId(), tunnel.transport().expectedNr(),
                tunnel.transport().nextNs())));
        clock.runPending();
    }

    void run(Runnable r) {
        clock.execute(r);
        clock.runPending();
    }

    List<MessageType> sentTypes() {
        return sent.stream().map(m -> m.isZlb() ? null : m.messageType()).filter(t -> t != null).toList();
    }

    <T extends L2tpEvent> long count(Class<T> type) {
        return events.stream().filter(type::isInstance).count();
    }

    void clear() {
        sent.clear();
        events.clear();
    }

    // ---- messages as the peer sends them ----

    static List<Avp> scc(int assignedTunnel) {
        return new ArrayList<>(List.of(Avp.protocolVersion(), Avp.framingCapabilities(3), Avp.hostName("peer"),
                Avp.assignedTunnelId(assignedTunnel)));
    }

    static ControlMessage sccrq() {
        return ControlMessage.of(MessageType.SCCRQ, 0, 0, scc(PEER_TUNNEL));
    }

    /** An SCCRQ for Protocol Version 2.0: not acceptable (§4.4.3). */
    static ControlMessage sccrqBadVersion() {
        List<Avp> avps = scc(PEER_TUNNEL);
        avps.set(0, Avp.of(AvpType.PROTOCOL_VERSION, true, new AvpValue.ProtocolVersionValue(2, 0)));
        return ControlMessage.of(MessageType.SCCRQ, 0, 0, avps);
    }

    ControlMessage sccrp() {
        return ControlMessage.of(MessageType.SCCRP, tunnel.localId(), 0, scc(PEER_TUNNEL));
    }

    ControlMessage sccrpBadVersion() {
        List<Avp> avps = scc(PEER_TUNNEL);
        avps.set(0, Avp.of(AvpType.PROTOCOL_VERSION, true, new AvpValue.ProtocolVersionValue(2, 0)));
        return ControlMessage.of(MessageType.SCCRP, tunnel.localId(), 0, avps);
    }

    ControlMessage scccn() {
        return ControlMessage.of(MessageType.SCCCN, tunnel.localId(), 0, List.of());
    }

    ControlMessage stopCcn() {
        return ControlMessage.of(MessageType.STOPCCN, tunnel.localId(), 0,
                List.of(Avp.assignedTunnelId(PEER_TUNNEL), Avp.resultCode(ResultCode.STOPCCN_CLEAR, null, null)));
    }

    ControlMessage hello() {
        return ControlMessage.of(MessageType.HELLO, tunnel.localId(), 0, List.of());
    }

    /** A HELLO with a vendor AVP that has the M bit: §4.1 ends the tunnel. */
    ControlMessage helloWithUnknownMandatoryAvp() {
        return ControlMessage.of(MessageType.HELLO, tunnel.localId(), 0, List.of(unknownMandatory()));
    }

    static Avp unknownMandatory() {
        return new Avp(9999, 1, true, false, 0, new AvpValue.Raw(new byte[] {1}), null);
    }

    ControlMessage icrq(int headerSession, int assigned) {
        return ControlMessage.of(MessageType.ICRQ, tunnel.localId(), headerSession,
                List.of(Avp.assignedSessionId(assigned), Avp.callSerialNumber(1)));
    }

    ControlMessage icrp(int session, int assigned) {
        return ControlMessage.of(MessageType.ICRP, tunnel.localId(), session, List.of(Avp.assignedSessionId(assigned)));
    }

    ControlMessage iccn(int session) {
        return ControlMessage.of(MessageType.ICCN, tunnel.localId(), session,
                List.of(Avp.txConnectSpeed(1_000_000), Avp.framingType(1)));
    }

    ControlMessage cdn(int session) {
        return ControlMessage.of(MessageType.CDN, tunnel.localId(), session,
                List.of(Avp.resultCode(ResultCode.CDN_ADMIN, null, null), Avp.assignedSessionId(PEER_SESSION)));
    }

    ControlMessage sli(int session) {
        return ControlMessage.of(MessageType.SLI, tunnel.localId(), session,
                List.of(Avp.of(AvpType.ACCM, true, new AvpValue.AccmValue(0, 0, 0))));
    }

    ControlMessage wen(int session) {
        return ControlMessage.of(MessageType.WEN, tunnel.localId(), session,
                List.of(Avp.of(AvpType.CALL_ERRORS, true, new AvpValue.CallErrorsValue(0, 0, 0, 0, 0, 0, 0))));
    }

    /** {@code m} with an unknown M-bit AVP appended: §4.1 ends its session or tunnel. */
    static ControlMessage withUnknownMandatoryAvp(ControlMessage m) {
        List<Avp> avps = new ArrayList<>(m.avps());
        avps.add(unknownMandatory());
        return new ControlMessage(m.tunnelId(), m.sessionId(), m.ns(), m.nr(), avps);
    }
}
