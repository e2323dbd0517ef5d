package io.jl2tp.l2tp.tunnel;

import io.jl2tp.l2tp.transport.TransportConfig;
import io.jl2tp.l2tp.wire.Avp;
import io.jl2tp.l2tp.wire.AvpType;
import io.jl2tp.l2tp.wire.ControlMessage;
import io.jl2tp.l2tp.wire.HiddenAvpContext;
import io.jl2tp.l2tp.wire.L2tpCodec;
import io.jl2tp.l2tp.wire.MessageType;
import io.jl2tp.l2tp.wire.ResultCode;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** jl2tp LAC ↔ jl2tp LNS in virtual time: set-up, data, teardown, auth, hidden AVPs, impairment. */
class TunnelPairTest {

    private static final byte[] SECRET = "tunnelsecret".getBytes(StandardCharsets.US_ASCII);

    private final List<String> lnsFrames = new ArrayList<>();
    private final List<String> lacFrames = new ArrayList<>();

    private FrameReceiver collect(List<String> into) {
        return f -> {
            into.add(f.toString(StandardCharsets.ISO_8859_1));
            f.release();
        };
    }

    private static ByteBuf frame(String s) {
        ByteBuf b = Unpooled.buffer(Session.HEADROOM + s.length());
        b.writerIndex(Session.HEADROOM).readerIndex(Session.HEADROOM);
        b.writeCharSequence(s, StandardCharsets.ISO_8859_1);
        return b;
    }

    private Session[] bringUp(VirtualPair p, TunnelConfig lacCfg, TunnelConfig lnsCfg, SessionConfig sc) {
        Session[] lnsSession = new Session[1];
        p.lns.serve(lnsCfg, s -> {
            lnsSession[0] = s;
            return collect(lnsFrames);
        }, p.lnsEvents::add);
        Tunnel[] t = new Tunnel[1];
        Session[] lacSession = new Session[1];
        p.clock.execute(() -> {
            t[0] = p.lac.connect(VirtualPair.LNS_ADDR, lacCfg, p.lacEvents::add);
            lacSession[0] = t[0].openSession(sc, collect(lacFrames));
        });
        p.run(60_000);
        return new Session[] {lacSession[0], lnsSession[0]};
    }

    @Test
    void tunnelAndCallComeUpFramesFlowAndTeardownIsClean() {
        VirtualPair p = new VirtualPair(1);
        Session[] s = bringUp(p, TunnelConfig.defaults("lac"), TunnelConfig.defaults("lns"), SessionConfig.defaults());
        Session lac = s[0];
        Session lns = s[1];
        assertNotNull(lns, "LNS accepted a call");
        assertTrue(lac.isEstablished() && lns.isEstablished());
        assertEquals(lac.localId(), lns.peerId());
        assertEquals(lns.localId(), lac.peerId());
        assertEquals(1, p.events(p.lacEvents, L2tpEvent.TunnelUp.class).size());
        assertEquals(1, p.events(p.lnsEvents, L2tpEvent.SessionUp.class).size());
        Tunnel lacTunnel = lac.tunnel();
        assertNotEquals(0, lacTunnel.localId());
        assertEquals("lns", lacTunnel.peerHostName());

        lac.send(frame("\u00ff\u0003\u00c0\u0021hello-lns"));
        lns.send(frame("\u00ff\u0003\u00c0\u0021hello-lac"));
        p.run(100);
        assertEquals(List.of("\u00ff\u0003\u00c0\u0021hello-lns"), lnsFrames);
        assertEquals(List.of("\u00ff\u0003\u00c0\u0021hello-lac"), lacFrames);
        assertEquals(1, lac.txPackets());
        assertEquals(1, lns.rxPackets());

        p.clock.execute(() -> lacTunnel.close("test done"));
        p.run(1_000);
        // CDN then StopCCN reached the LNS
        var down = p.events(p.lnsEvents, L2tpEvent.SessionDown.class);
        assertEquals(1, down.size());
        assertEquals(ResultCode.CDN_ADMIN, down.get(0).result().result());
        var tdown = p.events(p.lnsEvents, L2tpEvent.TunnelDown.class);
        assertEquals(1, tdown.size());
        assertTrue(tdown.get(0).byPeer());
        assertEquals(ResultCode.STOPCCN_CLEAR, tdown.get(0).result().result());
        // Both sides linger (§5.7) for a full retransmission cycle, then forget the tunnel.
        assertEquals(1, p.lac.tunnels().size());
        assertEquals(Tunnel.State.CLOSING, lacTunnel.state());
        p.run(TransportConfig.DEFAULTS.fullCycle().toMillis() + 1_000);
        assertTrue(p.lac.tunnels().isEmpty());
        assertTrue(p.lns.tunnels().isEmpty());
        assertEquals(0, p.clock.pendingTasks(), "no timers left behind");
    }

    @ParameterizedTest(name = "hidden AVPs = {0}")
    @ValueSource(booleans = {false, true})
    void tunnelAuthenticationInBothDirections(boolean hidden) {
        VirtualPair p = new VirtualPair(2);
        TunnelConfig lacCfg = TunnelConfig.defaults("lac").withSecret(SECRET, true).withHidden(hidden);
        TunnelConfig lnsCfg = TunnelConfig.defaults("lns").withSecret(SECRET, true).withHidden(hidden);
        p.record = true;
        Session[] s = bringUp(p, lacCfg, lnsCfg, SessionConfig.defaults());
        assertTrue(s[0].isEstablished() && s[1].isEstablished());
        // The SCCRQ carried a Challenge and, with hidden AVPs, hidden AVPs after a Random Vector.
        ByteBuf sccrq = p.lacSent.get(0);
        ControlMessage m = assertDoesNotThrowDecode(sccrq, HiddenAvpContext.of(SECRET));
        assertEquals(MessageType.SCCRQ, m.messageType());
        assertTrue(m.has(AvpType.CHALLENGE));
        assertEquals(hidden, m.avps().stream().anyMatch(Avp::hidden));
        assertEquals(hidden, m.has(AvpType.RANDOM_VECTOR));
        p.releaseRecorded();
    }

    private static ControlMessage assertDoesNotThrowDecode(ByteBuf b, HiddenAvpContext ctx) {
        try {
            return L2tpCodec.decodeControl(b.duplicate(), ctx);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void wrongSecretOnTheLnsIsRefusedWithStopCcn4() {
        VirtualPair p = new VirtualPair(3);
        TunnelConfig lacCfg = TunnelConfig.defaults("lac").withSecret(SECRET, true);
        TunnelConfig lnsCfg = TunnelConfig.defaults("lns").withSecret("other".getBytes(StandardCharsets.US_ASCII), false);
        Session[] s = bringUp(p, lacCfg, lnsCfg, SessionConfig.defaults());
        assertFalse(s[0].isEstablished());
        var down = p.events(p.lacEvents, L2tpEvent.TunnelDown.class);
        assertEquals(1, down.size());
        assertEquals(ResultCode.STOPCCN_NOT_AUTHORIZED, down.get(0).result().result());
        // The LAC told the LNS (no half-open tunnel there).
        var lnsDown = p.events(p.lnsEvents, L2tpEvent.TunnelDown.class);
        assertEquals(1, lnsDown.size());
        assertEquals(ResultCode.STOPCCN_NOT_AUTHORIZED, lnsDown.get(0).result().result());
    }

    @Test
    void wrongSecretOnTheLacIsRefusedByTheLns() {
        VirtualPair p = new VirtualPair(4);
        TunnelConfig lacCfg = TunnelConfig.defaults("lac").withSecret("other".getBytes(StandardCharsets.US_ASCII), false);
        TunnelConfig lnsCfg = TunnelConfig.defaults("lns").withSecret(SECRET, true);
        Session[] s = bringUp(p, lacCfg, lnsCfg, SessionConfig.defaults());
        assertFalse(s[0].isEstablished());
        var lnsDown = p.events(p.lnsEvents, L2tpEvent.TunnelDown.class);
        assertEquals(1, lnsDown.size());
        assertEquals(ResultCode.STOPCCN_NOT_AUTHORIZED, lnsDown.get(0).result().result());
        var lacDown = p.events(p.lacEvents, L2tpEvent.TunnelDown.class);
        assertEquals(1, lacDown.size());
        assertTrue(lacDown.get(0).byPeer());
    }

    @Test
    void comesUpThrough30PercentLossDuplicationAndReordering() {
        long retransmissions = 0;
        long duplicates = 0;
        for (long seed = 10; seed < 30; seed++) {
            VirtualPair p = new VirtualPair(seed);
            p.impair(0.3, 0.2, 300);
            lnsFrames.clear();
            TunnelConfig cfg = TunnelConfig.defaults("lac").withTransport(TransportConfig.DEFAULTS.withMaxRetries(10));
            TunnelConfig lcfg = TunnelConfig.defaults("lns").withTransport(TransportConfig.DEFAULTS.withMaxRetries(10));
            Session[] s = bringUp(p, cfg, lcfg, SessionConfig.defaults());
            assertTrue(s[0].isEstablished(), "seed " + seed + ": LAC call up");
            assertNotNull(s[1], "seed " + seed);
            assertTrue(s[1].isEstablished(), "seed " + seed + ": LNS call up");
            assertEquals(1, p.events(p.lacEvents, L2tpEvent.TunnelUp.class).size(), "exactly one TunnelUp");
            assertEquals(1, p.events(p.lnsEvents, L2tpEvent.SessionUp.class).size(), "exactly one SessionUp");
            retransmissions += s[0].tunnel().transport().retransmissions() + s[1].tunnel().transport().retransmissions();
            duplicates += s[0].tunnel().transport().duplicates() + s[1].tunnel().transport().duplicates();
            p.clock.execute(() -> s[0].tunnel().close("done"));
            // Our StopCCN may take up to one full cycle to arrive, then the LNS lingers one more (§5.7).
            p.run(2 * cfg.transport().fullCycle().toMillis() + 10_000);
            assertEquals(1, p.events(p.lnsEvents, L2tpEvent.TunnelDown.class).size(), "seed " + seed);
            assertTrue(p.lac.tunnels().isEmpty() && p.lns.tunnels().isEmpty(), "seed " + seed + ": state released");
        }
        assertTrue(retransmissions > 20, "the impairment really lost messages: " + retransmissions);
        assertTrue(duplicates > 5, "and duplicated them: " + duplicates);
    }

    @Test
    void deadPeerIsDetectedByHelloAndTheRetryLimit() {
        VirtualPair p = new VirtualPair(5);
        TunnelConfig cfg = TunnelConfig.defaults("lac").withHelloInterval(Duration.ofSeconds(60));
        Session[] s = bringUp(p, cfg, TunnelConfig.defaults("lns"), SessionConfig.defaults());
        assertTrue(s[0].isEstablished());
        p.cut = true;
        long cutAt = p.clock.millis();
        // HELLO after 60 s idle, retransmitted at +1, +3, +7, +15, +23; cleared at +31 s.
        p.run(60_000 + 40_000);
        var down = p.events(p.lacEvents, L2tpEvent.TunnelDown.class);
        assertEquals(1, down.size(), "tunnel cleared");
        assertTrue(down.get(0).reason().contains("HELLO"), down.get(0).reason());
        assertEquals(1, p.events(p.lacEvents, L2tpEvent.SessionDown.class).size());
        assertTrue(p.clock.millis() - cutAt >= 60_000 + 31_000);
    }

    @Test
    void lnsRetransmittedSccrqDoesNotCreateASecondTunnel() {
        VirtualPair p = new VirtualPair(6);
        p.impair(0.0, 1.0, 0); // every datagram arrives twice
        Session[] s = bringUp(p, TunnelConfig.defaults("lac"), TunnelConfig.defaults("lns"), SessionConfig.defaults());
        assertTrue(s[0].isEstablished());
        assertEquals(1, p.lns.tunnels().size());
        assertEquals(1, p.events(p.lnsEvents, L2tpEvent.TunnelUp.class).size());
        assertEquals(1, p.events(p.lnsEvents, L2tpEvent.SessionUp.class).size());
    }

    @Test
    void sequencingRequiredMakesBothSidesSendNsNr() {
        VirtualPair p = new VirtualPair(7);
        Session[] s = bringUp(p, TunnelConfig.defaults("lac"), TunnelConfig.defaults("lns"),
                SessionConfig.defaults().withSequencingRequired(true));
        assertTrue(s[0].sequencing(), "LAC that sent Sequencing Required always sequences (§5.4)");
        assertTrue(s[1].sequencing(), "LNS sequences when asked");
    }

    @Test
    void lengthBitPutsTheLengthFieldInDataMessages() {
        VirtualPair p = new VirtualPair(12);
        Session[] s = bringUp(p, TunnelConfig.defaults("lac"), TunnelConfig.defaults("lns"),
                SessionConfig.defaults().withLengthBit(true));
        p.record = true;
        s[0].send(frame("\u00ff\u0003\u00c0\u0021len"));
        p.run(100);
        ByteBuf wire = p.lacSent.get(p.lacSent.size() - 1);
        try {
            assertEquals(L2tpCodec.FLAG_L | 2, wire.getUnsignedShort(0), "T=0, L=1, Ver=2 (RFC 2661 §3.1)");
            assertEquals(wire.readableBytes(), wire.getUnsignedShort(2), "Length is the whole message");
            assertEquals(List.of("\u00ff\u0003\u00c0\u0021len"), lnsFrames, "and the LNS reads it");
        } finally {
            p.lacSent.forEach(ByteBuf::release);
        }
    }

    @Test
    void lacMirrorsTheLnsDataSequencing() {
        VirtualPair p = new VirtualPair(8);
        Session[] s = bringUp(p, TunnelConfig.defaults("lac"), TunnelConfig.defaults("lns"), SessionConfig.defaults());
        assertFalse(s[0].sequencing());
        // Data from the LNS with S set: the LAC starts sending sequence numbers (§5.4).
        ByteBuf d = Unpooled.buffer();
        new io.jl2tp.l2tp.wire.DataMessage(L2tpCodec.FLAG_S | 2, s[0].tunnel().localId(), s[0].localId(), 0, 0, null,
                new byte[] {(byte) 0xff, 3, 0, 0x21, 0x45}).encode(d);
        p.clock.execute(() -> p.lac.datagram(d, VirtualPair.LNS_ADDR));
        p.run(10);
        assertTrue(s[0].sequencing());
        ByteBuf d2 = Unpooled.buffer();
        new io.jl2tp.l2tp.wire.DataMessage(2, s[0].tunnel().localId(), s[0].localId(), -1, -1, null,
                new byte[] {(byte) 0xff, 3, 0, 0x21, 0x45}).encode(d2);
        p.clock.execute(() -> p.lac.datagram(d2, VirtualPair.LNS_ADDR));
        p.run(10);
        assertFalse(s[0].sequencing(), "and stops when the LNS stops");
    }

    @Test
    void datagramsFromForeignSourcesAndUnknownTunnelsAreDroppedAndCounted() {
        VirtualPair p = new VirtualPair(9);
        Session[] s = bringUp(p, TunnelConfig.defaults("lac"), TunnelConfig.defaults("lns"), SessionConfig.defaults());
        int tid = s[0].tunnel().localId();
        ByteBuf foreign = Unpooled.buffer();
        new io.jl2tp.l2tp.wire.DataMessage(2, tid, s[0].localId(), -1, -1, null, new byte[] {1, 2, 3}).encode(foreign);
        ByteBuf unknown = Unpooled.buffer();
        new io.jl2tp.l2tp.wire.DataMessage(2, (tid % 65535) + 1, 1, -1, -1, null, new byte[] {1}).encode(unknown);
        p.clock.execute(() -> {
            p.lac.datagram(foreign, new java.net.InetSocketAddress("203.0.113.9", 1701));
            p.lac.datagram(unknown, VirtualPair.LNS_ADDR);
        });
        p.run(10);
        assertEquals(1, p.lac.droppedForeign());
        assertEquals(1, p.lac.droppedUnknownTunnel());
        assertTrue(lacFrames.isEmpty());
    }

    @Test
    void unknownMandatoryAvpInATunnelMessageClearsTheTunnel() {
        VirtualPair p = new VirtualPair(11);
        Session[] s = bringUp(p, TunnelConfig.defaults("lac"), TunnelConfig.defaults("lns"), SessionConfig.defaults());
        Tunnel lnsTunnel = s[1].tunnel();
        // The LNS sends a HELLO carrying a vendor AVP with the M bit: the LAC must clear the tunnel.
        p.clock.execute(() -> lnsTunnel.transport().send(new ControlMessage(lnsTunnel.peerId(), 0, 0, 0, List.of(
                Avp.messageType(MessageType.HELLO),
                new Avp(9999, 1, true, false, 0, new io.jl2tp.l2tp.wire.AvpValue.Raw(new byte[] {1}), null)))));
        p.run(2_000);
        var down = p.events(p.lacEvents, L2tpEvent.TunnelDown.class);
        assertEquals(1, down.size());
        assertEquals(ResultCode.ERROR_UNKNOWN_MANDATORY_AVP, down.get(0).result().error());
        var lnsDown = p.events(p.lnsEvents, L2tpEvent.TunnelDown.class);
        assertEquals(1, lnsDown.size());
        assertEquals(ResultCode.ERROR_UNKNOWN_MANDATORY_AVP, lnsDown.get(0).result().error());
    }

    @Test
    void unknownOptionalAvpIsIgnored() {
        VirtualPair p = new VirtualPair(12);
        Session[] s = bringUp(p, TunnelConfig.defaults("lac"), TunnelConfig.defaults("lns"), SessionConfig.defaults());
        Tunnel lnsTunnel = s[1].tunnel();
        p.clock.execute(() -> lnsTunnel.transport().send(new ControlMessage(lnsTunnel.peerId(), 0, 0, 0, List.of(
                Avp.messageType(MessageType.HELLO),
                new Avp(9999, 1, false, false, 0, new io.jl2tp.l2tp.wire.AvpValue.Raw(new byte[] {1}), null)))));
        p.run(2_000);
        assertTrue(p.events(p.lacEvents, L2tpEvent.TunnelDown.class).isEmpty());
        assertTrue(s[0].isEstablished());
    }

    @Test
    void missingMandatoryAvpInIcrqIsAnsweredWithCdnNamingIt() {
        VirtualPair p = new VirtualPair(13);
        p.record = true;
        Session[] s = bringUp(p, TunnelConfig.defaults("lac"), TunnelConfig.defaults("lns"), SessionConfig.defaults());
        Tunnel lacTunnel = s[0].tunnel();
        p.releaseRecorded();
        p.clock.execute(() -> lacTunnel.transport().send(ControlMessage.of(MessageType.ICRQ, lacTunnel.peerId(), 0,
                List.of(Avp.assignedSessionId(777)))));
        p.run(2_000);
        ControlMessage cdn = p.lnsSent.stream().map(b -> assertDoesNotThrowDecode(b, HiddenAvpContext.NONE))
                .filter(m -> MessageType.CDN.equals(m.messageType())).findFirst().orElseThrow();
        assertTrue(cdn.resultCode().message().contains("Call Serial Number"), cdn.resultCode().message());
        assertEquals(777, cdn.sessionId());
        p.releaseRecorded();
    }

    @Test
    void stopCcnWithAnEightByteResultCodeIsAccepted() {
        VirtualPair p = new VirtualPair(14);
        Session[] s = bringUp(p, TunnelConfig.defaults("lac"), TunnelConfig.defaults("lns"), SessionConfig.defaults());
        Tunnel lnsTunnel = s[1].tunnel();
        p.clock.execute(() -> lnsTunnel.transport().send(ControlMessage.of(MessageType.STOPCCN, lnsTunnel.peerId(), 0,
                List.of(Avp.assignedTunnelId(lnsTunnel.localId()), Avp.resultCode(ResultCode.STOPCCN_SHUTTING_DOWN, null, null)))));
        p.run(2_000);
        var down = p.events(p.lacEvents, L2tpEvent.TunnelDown.class);
        assertEquals(1, down.size());
        assertEquals(ResultCode.STOPCCN_SHUTTING_DOWN, down.get(0).result().result());
        assertEquals(null, down.get(0).result().error());
    }

    @Test
    void idsAreRandomNonZeroAndNotReusedWhileLingering() {
        VirtualPair p = new VirtualPair(15);
        p.lns.serve(TunnelConfig.defaults("lns"), x -> f -> f.release(), e -> { });
        java.util.Set<Integer> ids = new java.util.HashSet<>();
        p.clock.execute(() -> {
            for (int i = 0; i < 200; i++) {
                Tunnel t = p.lac.connect(VirtualPair.LNS_ADDR, TunnelConfig.defaults("lac"), e -> { });
                assertNotEquals(0, t.localId());
                assertTrue(ids.add(t.localId()), "unique while the old tunnels still exist");
                t.close("x");
            }
        });
        p.run(10);
        assertTrue(ids.size() == 200);
    }

    @Test
    void simultaneousSccrqsAreResolvedByTheTieBreaker() {
        VirtualPair p = new VirtualPair(16);
        List<L2tpEvent> aServer = new ArrayList<>();
        List<L2tpEvent> bServer = new ArrayList<>();
        p.lac.serve(TunnelConfig.defaults("a"), x -> f -> f.release(), aServer::add);
        p.lns.serve(TunnelConfig.defaults("b"), x -> f -> f.release(), bServer::add);
        TunnelConfig a = TunnelConfig.defaults("a").withTieBreaker(true);
        TunnelConfig b = TunnelConfig.defaults("b").withTieBreaker(true);
        p.clock.execute(() -> {
            p.lac.connect(VirtualPair.LNS_ADDR, a, p.lacEvents::add);
            p.lns.connect(VirtualPair.LAC_ADDR, b, p.lnsEvents::add);
        });
        p.run(60_000);
        long ups = p.events(p.lacEvents, L2tpEvent.TunnelUp.class).size() + p.events(p.lnsEvents, L2tpEvent.TunnelUp.class).size()
                + p.events(aServer, L2tpEvent.TunnelUp.class).size() + p.events(bServer, L2tpEvent.TunnelUp.class).size();
        assertEquals(2, ups, "one tunnel, up at both ends (RFC 2661 §4.4.3 Tie Breaker)");
        long established = p.lac.tunnels().stream().filter(t -> t.state() == Tunnel.State.ESTABLISHED).count()
                + p.lns.tunnels().stream().filter(t -> t.state() == Tunnel.State.ESTABLISHED).count();
        assertEquals(2, established);
    }

    @Test
    void sliAndWenAreAccepted() {
        VirtualPair p = new VirtualPair(17);
        Session[] s = bringUp(p, TunnelConfig.defaults("lac"), TunnelConfig.defaults("lns"), SessionConfig.defaults());
        Tunnel lns = s[1].tunnel();
        Tunnel lac = s[0].tunnel();
        p.clock.execute(() -> {
            lns.transport().send(ControlMessage.of(MessageType.SLI, lns.peerId(), s[1].peerId(),
                    List.of(Avp.of(AvpType.ACCM, true, new io.jl2tp.l2tp.wire.AvpValue.AccmValue(0, 0, 0)))));
            lac.transport().send(ControlMessage.of(MessageType.WEN, lac.peerId(), s[0].peerId(),
                    List.of(Avp.of(AvpType.CALL_ERRORS, true, new io.jl2tp.l2tp.wire.AvpValue.CallErrorsValue(0, 0, 0, 0, 0, 0, 0)))));
        });
        p.run(2_000);
        assertTrue(s[0].isEstablished() && s[1].isEstablished());
        assertTrue(lac.transport().idle() && lns.transport().idle(), "both acknowledged");
        assertTrue(p.events(p.lacEvents, L2tpEvent.TunnelDown.class).isEmpty());
    }

    @Test
    void aLacThatGivesUpBeforeTheSccrpStillSendsStopCcnWhenItArrives() {
        VirtualPair p = new VirtualPair(18);
        p.lns.serve(TunnelConfig.defaults("lns"), x -> f -> f.release(), p.lnsEvents::add);
        p.impair(0, 0, 0);
        Tunnel[] t = new Tunnel[1];
        p.clock.execute(() -> {
            t[0] = p.lac.connect(VirtualPair.LNS_ADDR, TunnelConfig.defaults("lac"), p.lacEvents::add);
            t[0].close("user gave up"); // before any SCCRP: no peer tunnel id yet
        });
        p.run(40_000);
        var down = p.events(p.lnsEvents, L2tpEvent.TunnelDown.class);
        assertEquals(1, down.size(), "the LNS got a StopCCN and holds no half-open tunnel");
        p.run(40_000);
        assertTrue(p.lns.tunnels().isEmpty());
    }
}
