package io.jl2tp.ppp;

import io.jl2tp.ppp.fsm.State;
import io.jl2tp.ppp.options.PppSettings;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.List;

import static io.jl2tp.ppp.PppPair.ip;
import static io.jl2tp.ppp.PppPair.of;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Peer ↔ authenticator over an in-memory pipe: auth methods, IPCP + DNS, IPV6CP, data, teardown. */
class PppLinkPairTest {

    private static final String PEER_SECRETS = "alice * s3cret\n";
    private static final String AUTH_SECRETS = "alice * s3cret\n";

    /** What the seed's options file gives the dialling side (plus usepeerdns). */
    private static PppSettings.Builder peerOptions() {
        return PppSettings.builder().auth(a -> a.name("alice")).ipv6cp(v -> v.enabled(true).useIpaddr(true))
                .ipcp(i -> i.usePeerDns(true));
    }

    private static PppSettings.Builder authOptions(String method) {
        return PppSettings.builder().ipv6cp(v -> v.enabled(true)).auth(a -> {
            a.auth(true);
            switch (method) {
                case "pap" -> a.requirePap(true);
                case "chap" -> a.requireChap(true);
                default -> a.requireMschapV2(true);
            }
        });
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"pap", "chap", "mschapv2", "chap-seed-2", "chap-seed-3", "chap-seed-4"})
    void authenticationIpcpAndIpv6cpComeUp(String method) throws Exception {
        PppPair p = new PppPair(peerOptions().build(), PEER_SECRETS, authOptions(method.replaceAll("-seed-\\d", "")).build(),
                AUTH_SECRETS, method.hashCode());
        p.start();
        p.run(5_000);
        assertEquals(PppEvent.Phase.NETWORK, p.peer.phase());
        assertEquals(1, of(p.peerEvents, PppEvent.Authenticated.class).size());
        assertEquals(1, of(p.authEvents, PppEvent.Authenticated.class).size());
        assertEquals("alice", of(p.authEvents, PppEvent.Authenticated.class).get(0).peerName());
        PppEvent.IpUp up = of(p.peerEvents, PppEvent.IpUp.class).get(0);
        assertEquals(ip("198.51.100.128"), up.local(), "asked 0.0.0.0, took the Nak (RFC 1332)");
        assertEquals(ip("198.51.100.1"), up.remote());
        assertEquals(List.of(ip("198.51.100.53"), ip("198.51.100.54")), up.dns(), "RFC 1877 DNS");
        PppEvent.IpUp aup = of(p.authEvents, PppEvent.IpUp.class).get(0);
        assertEquals(ip("198.51.100.128"), aup.remote());
        PppEvent.Ipv6Up v6 = of(p.peerEvents, PppEvent.Ipv6Up.class).get(0);
        PppEvent.Ipv6Up av6 = of(p.authEvents, PppEvent.Ipv6Up.class).get(0);
        assertEquals(v6.localLinkLocal(), av6.remoteLinkLocal());
        assertEquals(v6.remoteLinkLocal(), av6.localLinkLocal());
        assertTrue(v6.localLinkLocal().isLinkLocalAddress());
        assertNotEquals(v6.localLinkLocal(), v6.remoteLinkLocal());
        assertNotEquals("fe80::", PppLink.compact(v6.remoteLinkLocal()), "identifiers are never zero");
        assertNotEquals("fe80::", PppLink.compact(av6.remoteLinkLocal()));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"pap", "chap", "mschapv2"})
    void aWrongSecretFailsCleanlyOnBothSides(String method) throws Exception {
        PppPair p = new PppPair(peerOptions().build(), "alice * wrong\n", authOptions(method).build(), AUTH_SECRETS);
        p.start();
        p.run(30_000);
        PppEvent.Down down = of(p.authEvents, PppEvent.Down.class).get(0);
        assertEquals(PppEvent.Reason.AUTH_FAILED, down.reason());
        List<PppEvent.Down> peerDown = of(p.peerEvents, PppEvent.Down.class);
        assertEquals(1, peerDown.size());
        assertTrue(peerDown.get(0).reason() == PppEvent.Reason.AUTH_FAILED
                || peerDown.get(0).reason() == PppEvent.Reason.PEER_TERMINATED, peerDown.toString());
        assertTrue(of(p.peerEvents, PppEvent.IpUp.class).isEmpty(), "no NCP before authentication");
        assertEquals(PppEvent.Phase.DEAD, p.peer.phase());
        assertEquals(0, p.clock.pendingTasks(), "no timers left");
    }

    @Test
    void ipv6cpWhenBothProposeTheSameIdentifierTheAuthenticatorNaks() throws Exception {
        long same = 0x0011223344556677L;
        PppPair p = new PppPair(peerOptions().ipv6cp(v -> v.useIpaddr(false).localId(same).acceptLocal(true)).build(),
                PEER_SECRETS, authOptions("chap").ipv6cp(v -> v.localId(same)).build(), AUTH_SECRETS);
        p.start();
        p.run(5_000);
        PppEvent.Ipv6Up v6 = of(p.peerEvents, PppEvent.Ipv6Up.class).get(0);
        PppEvent.Ipv6Up av6 = of(p.authEvents, PppEvent.Ipv6Up.class).get(0);
        assertNotEquals(v6.localLinkLocal(), v6.remoteLinkLocal(), "RFC 5072 §4.1: equal → Nak with a new one");
        assertEquals(v6.localLinkLocal(), av6.remoteLinkLocal());
        assertEquals(v6.remoteLinkLocal(), av6.localLinkLocal());
        byte[] ll = v6.localLinkLocal().getAddress();
        assertEquals(0, ll[8] & 0x02, "suggested identifiers have the u-bit cleared");
    }

    @Test
    void ipv6cpUseIpaddrTakesTheIpv4AddressAsIdentifier() throws Exception {
        PppPair p = new PppPair(peerOptions().ipcp(i -> i.localIp(ip("198.51.100.128"))).build(), PEER_SECRETS,
                authOptions("chap").build(), AUTH_SECRETS);
        p.start();
        p.run(5_000);
        PppEvent.Ipv6Up v6 = of(p.peerEvents, PppEvent.Ipv6Up.class).get(0);
        assertEquals("fe80::c633:6480", PppLink.compact(v6.localLinkLocal()));
    }

    @Test
    void ipPacketsFlowBothWaysWithZeroCopyEncapsulation() throws Exception {
        PppPair p = new PppPair(peerOptions().build(), PEER_SECRETS, authOptions("chap").build(), AUTH_SECRETS);
        List<String> atAuth = new ArrayList<>();
        p.authenticator.ipSink((proto, ip) -> {
            atAuth.add(Integer.toHexString(proto) + ":" + ByteBufUtil.hexDump(ip));
            ip.release();
        });
        p.start();
        p.run(5_000);
        ByteBuf pkt = Unpooled.buffer(64);
        pkt.writerIndex(PppLink.HEADROOM).readerIndex(PppLink.HEADROOM);
        pkt.writeBytes(new byte[] {0x45, 0, 0, 20});
        p.clock.execute(() -> p.peer.sendIp(PppLink.PROTO_IPV4, pkt));
        p.run(100);
        assertEquals(List.of("21:45000014"), atAuth);
    }

    @Test
    void acfcAndPfcAreHonouredOnTheWire() {
        ByteBuf b = Unpooled.buffer(16);
        b.writerIndex(4).readerIndex(4).writeByte(0x45);
        PppLink.encapsulate(b, PppLink.PROTO_IPV4, true, true);
        assertEquals("2145", ByteBufUtil.hexDump(b), "compressed: no FF 03, 1-octet protocol");
        ByteBuf c = Unpooled.buffer(16);
        c.writerIndex(4).readerIndex(4).writeByte(0x45);
        PppLink.encapsulate(c, PppLink.PROTO_IPV4, false, false);
        assertEquals("ff03002145", ByteBufUtil.hexDump(c));
        b.release();
        c.release();
    }

    @Test
    void closeTerminatesBothSides() throws Exception {
        PppPair p = new PppPair(peerOptions().build(), PEER_SECRETS, authOptions("chap").build(), AUTH_SECRETS);
        p.start();
        p.run(5_000);
        p.clock.execute(() -> p.peer.close("User request"));
        p.run(10_000);
        assertEquals(PppEvent.Reason.ADMIN_CLOSE, of(p.peerEvents, PppEvent.Down.class).get(0).reason());
        PppEvent.Down d = of(p.authEvents, PppEvent.Down.class).get(0);
        assertEquals(PppEvent.Reason.PEER_TERMINATED, d.reason());
        assertTrue(d.message().contains("User request"), d.message());
        assertEquals(State.CLOSED, p.peer.lcp().state());
        assertEquals(1, of(p.authEvents, PppEvent.IpDown.class).size());
    }

    @Test
    void echoFailureBringsTheLinkDown() throws Exception {
        PppPair p = new PppPair(peerOptions().lcp(l -> l.echoInterval(1).echoFailure(3)).build(), PEER_SECRETS,
                authOptions("chap").build(), AUTH_SECRETS);
        p.start();
        p.run(5_000);
        assertTrue(of(p.peerEvents, PppEvent.Down.class).isEmpty(), "echoes answered while the peer is there");
        p.cut = true;
        p.run(15_000);
        PppEvent.Down d = of(p.peerEvents, PppEvent.Down.class).get(0);
        assertEquals(PppEvent.Reason.ECHO_FAILURE, d.reason());
    }

    @Test
    void adaptiveEchoSendsNoEchoWhileTrafficFlows() throws Exception {
        PppPair p = new PppPair(peerOptions().lcp(l -> l.echoInterval(1).echoFailure(3).echoAdaptive(true)).build(),
                PEER_SECRETS, authOptions("chap").build(), AUTH_SECRETS);
        int[] echoes = {0};
        p.tapToAuthenticator = f -> {
            if (f.readableBytes() > 4 && f.getUnsignedShort(f.readerIndex() + 2) == 0xC021
                    && f.getUnsignedByte(f.readerIndex() + 4) == 9) {
                echoes[0]++;
            }
        };
        p.start();
        p.run(5_000);
        int before = echoes[0];
        for (int i = 0; i < 100; i++) {   // authenticator → peer traffic every 100 ms for 10 s
            p.clock.schedule(() -> {
                ByteBuf pkt = Unpooled.buffer(16);
                pkt.writerIndex(4).readerIndex(4).writeBytes(new byte[] {0x45, 0, 0, 20});
                p.authenticator.sendIp(PppLink.PROTO_IPV4, pkt);
            }, i * 100L, java.util.concurrent.TimeUnit.MILLISECONDS);
        }
        p.run(10_000);
        assertEquals(before, echoes[0], "lcp-echo-adaptive: no Echo-Request while traffic flows");
        p.run(5_000);
        assertTrue(echoes[0] > before, "and echoes resume when it stops");
    }

    @Test
    void nothingButLcpBeforeLcpIsOpenAndNoNcpBeforeAuthentication() throws Exception {
        PppPair p = new PppPair(peerOptions().build(), PEER_SECRETS, authOptions("chap").build(), AUTH_SECRETS);
        // An IPCP Configure-Request before anything: silently discarded (RFC 1661 §3.4)
        ByteBuf early = Unpooled.wrappedBuffer(new byte[] {(byte) 0xff, 3, (byte) 0x80, 0x21, 1, 1, 0, 10, 3, 6, 0, 0, 0, 0});
        p.clock.execute(() -> p.peer.input(early));
        p.run(10);
        assertEquals(PppEvent.Phase.DEAD, p.peer.phase());
        assertEquals(null, p.peer.ipcp());
    }

    @Test
    void aConfigureRequestInOpenedRenegotiatesWithoutLosingThePeersOptions() throws Exception {
        PppPair p = new PppPair(peerOptions().build(), PEER_SECRETS, authOptions("chap").build(), AUTH_SECRETS);
        p.start();
        p.run(5_000);
        PppEvent.Ipv6Up first = of(p.peerEvents, PppEvent.Ipv6Up.class).get(0);
        // The authenticator restarts IPV6CP (as a crossed retransmission would): RFC 1661 row
        // Opened × RCR+ → Ack-Sent (tld, scr, sca). The peer's identifier must survive the scr.
        p.clock.execute(() -> p.authenticator.ipv6cp().event(io.jl2tp.ppp.fsm.Event.DOWN));
        p.clock.execute(() -> p.authenticator.ipv6cp().event(io.jl2tp.ppp.fsm.Event.UP));
        p.run(5_000);
        List<PppEvent.Ipv6Up> ups = of(p.peerEvents, PppEvent.Ipv6Up.class);
        assertEquals(2, ups.size(), "IPV6CP came up again");
        List<PppEvent.Ipv6Up> authUps = of(p.authEvents, PppEvent.Ipv6Up.class);
        assertEquals(authUps.get(authUps.size() - 1).localLinkLocal(), ups.get(1).remoteLinkLocal(),
                "the peer's identifier as acknowledged, not zeroed by the scr");
        assertNotEquals("fe80::", PppLink.compact(ups.get(1).remoteLinkLocal()));
    }

    /** pppd will not run a link whose peer must authenticate with nothing it can check: neither does jl2tp. */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"mschap", "eap"})
    void requiringOnlyAMethodJl2tpLacksRefusesTheLink(String method) throws Exception {
        PppSettings lns = PppSettings.builder().auth(a -> {
            a.auth(true);
            if (method.equals("mschap")) {
                a.requireMschap(true);
            } else {
                a.requireEap(true);
            }
        }).build();
        PppPair p = new PppPair(peerOptions().build(), PEER_SECRETS, lns, AUTH_SECRETS);
        p.start();
        p.run(10_000);
        PppEvent.Down d = of(p.authEvents, PppEvent.Down.class).get(0);
        assertEquals(PppEvent.Reason.AUTH_FAILED, d.reason());
        assertTrue(d.message().contains("require-mschap, require-eap"), d.message());
        assertTrue(of(p.authEvents, PppEvent.IpUp.class).isEmpty(), "never up unauthenticated");
        assertTrue(of(p.peerEvents, PppEvent.IpUp.class).isEmpty());
    }

    /** pppd's np_finished: the last NCP finished (here Protocol-Rejected) → LCP is closed (RFC 1661 §3.7). */
    @Test
    void whenNoNetworkProtocolIsLeftTheLinkIsClosed() throws Exception {
        PppPair p = new PppPair(peerOptions().ipcp(i -> i.enabled(false)).ipv6cp(v -> v.enabled(false)).build(),
                PEER_SECRETS, authOptions("chap").ipv6cp(v -> v.enabled(false)).build(), AUTH_SECRETS);
        p.start();
        p.run(10_000);
        assertEquals(1, of(p.authEvents, PppEvent.Authenticated.class).size());
        assertTrue(of(p.authEvents, PppEvent.IpUp.class).isEmpty());
        List<PppEvent.Down> down = of(p.authEvents, PppEvent.Down.class);
        assertEquals(1, down.size(), "the authenticator closed the link: " + p.authEvents);
        assertEquals(PppEvent.Reason.ADMIN_CLOSE, down.get(0).reason());
        assertEquals(PppEvent.Reason.PEER_TERMINATED, of(p.peerEvents, PppEvent.Down.class).get(0).reason());
    }

    @Test
    void oneNetworkProtocolRejectedTheOtherKeepsTheLinkUp() throws Exception {
        PppPair p = new PppPair(peerOptions().ipv6cp(v -> v.enabled(false)).build(), PEER_SECRETS,
                authOptions("chap").build(), AUTH_SECRETS);
        p.start();
        p.run(10_000);
        assertEquals(1, of(p.authEvents, PppEvent.IpUp.class).size());
        assertTrue(of(p.authEvents, PppEvent.Ipv6Up.class).isEmpty(), "IPV6CP was rejected by the peer");
        assertTrue(of(p.authEvents, PppEvent.Down.class).isEmpty(), "IPCP is up: the link stays: " + p.authEvents);
    }
}
