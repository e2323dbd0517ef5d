package io.jl2tp.ppp;

import io.jl2tp.ppp.fsm.State;
import io.jl2tp.ppp.lcp.Lcp;
import io.jl2tp.ppp.options.PppSettings;
import io.netty.buffer.ByteBuf;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

import static io.jl2tp.ppp.PppPair.ip;
import static io.jl2tp.ppp.PppPair.of;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * RFC 2661 §4.4.5 proxy LCP and authentication between a client LAC's PPP ({@link PppPair#peer})
 * and an LNS's ({@link PppPair#authenticator}): the offer the LAC builds, what the LNS takes over,
 * and each fallback of RFC 1661 — counted in frames on the wire, on a virtual clock.
 */
class PppProxyTest {

    private static final String SECRETS = "alice * s3cret\n";

    private static PppSettings peerOptions() {
        return PppSettings.builder().auth(a -> a.name("alice")).ipcp(i -> i.usePeerDns(true)).build();
    }

    private static PppSettings lnsOptions(boolean pap) {
        return PppSettings.builder().auth(a -> {
            a.auth(true);
            if (pap) {
                a.requirePap(true);
            } else {
                a.requireChap(true);
            }
        }).build();
    }

    /** Protocol numbers of the frames one way, in order. */
    private static Consumer<ByteBuf> record(List<Integer> into) {
        return f -> {
            Framing.Header h = Framing.decode(f.duplicate());
            into.add(h == null ? -1 : h.protocol());
        };
    }

    private static long count(List<Integer> protocols, int protocol) {
        return protocols.stream().filter(p -> p == protocol).count();
    }

    private record Run(PppPair pair, List<Integer> toLns, List<Integer> toLac, PppLink.ProxyOffer offer) {
    }

    /** Starts the pair with the LAC's offer handed to the LNS as {@code lns} decides. */
    private static Run run(String lacSecrets, boolean lnsPap, boolean lnsTakesProxy, boolean trust, long ms) throws Exception {
        PppPair p = new PppPair(peerOptions(), lacSecrets, lnsOptions(lnsPap), SECRETS);
        List<Integer> toLns = new ArrayList<>();
        List<Integer> toLac = new ArrayList<>();
        p.tapToAuthenticator = record(toLns);
        p.tapToPeer = record(toLac);
        PppLink.ProxyOffer[] offer = new PppLink.ProxyOffer[1];
        p.clock.execute(() -> {
            try {
                offer[0] = p.peer.offerProxy(true);
            } catch (Exception e) {
                throw new AssertionError(e);
            }
            if (lnsTakesProxy) {
                p.authenticator.acceptProxy(offer[0].lcp(), offer[0].auth(), trust);
            }
        });
        p.start();
        p.run(ms);
        return new Run(p, toLns, toLac, offer[0]);
    }

    @Test
    void theOfferIsOurRequestAndAChapResponseTheLnsCanVerify() throws Exception {
        Run r = run(SECRETS, false, true, true, 10);
        PppLink.ProxyOffer o = r.offer();
        assertNotNull(o.auth());
        assertEquals(ProxyAuth.CHAP, o.auth().type());
        assertEquals("alice", o.auth().name());
        assertEquals(16, o.auth().challenge().length, "a 16-octet challenge, as pppd's chap-md5 sends at least");
        assertArrayEquals(io.jl2tp.ppp.auth.ChapMd5.response(o.auth().id(), "s3cret".getBytes(), o.auth().challenge()),
                o.auth().response(), "RFC 1994 §4.1: MD5(ID ‖ secret ‖ challenge)");
        assertArrayEquals(o.lcp().initialReceived(), o.lcp().lastReceived());
        // "Last Sent" is the LAC-side authenticator's request: CHAP-MD5 (C2 23 05) and a magic number.
        List<io.jl2tp.ppp.wire.CpOption> sent = io.jl2tp.ppp.wire.CpOption.parse(o.lcp().lastSent());
        assertEquals(Lcp.OPT_AUTH, sent.get(0).type());
        assertArrayEquals(new byte[] {(byte) 0xC2, 0x23, 0x05}, sent.get(0).data());
        assertEquals(Lcp.OPT_MAGIC, sent.get(1).type());
        assertTrue(!o.auth().toString().contains(java.util.HexFormat.of().formatHex(o.auth().response())),
                "the response never appears in toString()");
    }

    @Test
    void anLnsThatTakesBothGoesStraightToIpcp() throws Exception {
        Run r = run(SECRETS, false, true, true, 5_000);
        PppPair p = r.pair();
        assertEquals(0, count(r.toLns(), Lcp.PROTOCOL) + count(r.toLac(), Lcp.PROTOCOL), "no LCP packet either way");
        assertEquals(0, count(r.toLns(), 0xC223) + count(r.toLac(), 0xC223), "no CHAP packet either way");
        PppEvent.Authenticated a = of(p.authEvents, PppEvent.Authenticated.class).get(0);
        assertEquals("alice", a.peerName());
        PppEvent.IpUp up = of(p.peerEvents, PppEvent.IpUp.class).get(0);
        assertEquals(ip("198.51.100.128"), up.local());
        // IPCP: LAC Req(0.0.0.0) with LNS Req → LNS Nak + Ack → LAC Req(addr) → LNS Ack: 3 frames each way
        assertEquals(3, count(r.toLns(), 0x8021));
        assertEquals(3, count(r.toLac(), 0x8021));
        assertEquals(State.OPENED, p.peer.lcp().state());
        assertEquals(State.OPENED, p.authenticator.lcp().state());
        assertEquals(PppEvent.Phase.NETWORK, p.authenticator.phase());
    }

    @Test
    void anLnsThatIgnoresTheProxyRenegotiatesLcpAndTheCallComesUp() throws Exception {
        Run r = run(SECRETS, false, false, false, 10_000);
        PppPair p = r.pair();
        // RFC 1661 §4.1 Opened × RCR+: tld, scr, sca — the LAC's proxied LCP renegotiates.
        assertTrue(count(r.toLns(), Lcp.PROTOCOL) >= 2, "our Configure-Request and Ack: " + r.toLns());
        assertEquals(1, of(p.authEvents, PppEvent.Authenticated.class).size());
        assertEquals(1, of(p.peerEvents, PppEvent.IpUp.class).size());
        assertEquals(PppEvent.Phase.NETWORK, p.peer.phase());
        // RFC 1661 §3.3: back to Link Establishment for the renegotiation, never Terminate
        List<PppEvent.Phase> phases = of(p.peerEvents, PppEvent.PhaseChanged.class).stream().map(PppEvent.PhaseChanged::phase).toList();
        assertEquals(List.of(PppEvent.Phase.ESTABLISH, PppEvent.Phase.AUTHENTICATE, PppEvent.Phase.NETWORK,
                PppEvent.Phase.ESTABLISH, PppEvent.Phase.AUTHENTICATE, PppEvent.Phase.NETWORK), phases);
    }

    @Test
    void untrustedProxyAuthIsChallengedAndTheNcpRequestsGoAgainOnSuccess() throws Exception {
        Run r = run(SECRETS, false, true, false, 5_000);
        PppPair p = r.pair();
        assertEquals(0, count(r.toLns(), Lcp.PROTOCOL), "LCP was taken over");
        assertEquals(2, count(r.toLac(), 0xC223), "Challenge and Success");
        assertEquals(1, count(r.toLns(), 0xC223), "our Response");
        assertEquals(1, of(p.peerEvents, PppEvent.IpUp.class).size());
        // Our first IPCP request went while the LNS authenticated (discarded, RFC 1661 §3.5); the
        // second left on its Success rather than at the 3 s restart timer, so IPCP was up within
        // a few 5 ms hops.
        assertTrue(p.peer.ipcp().state() == State.OPENED);
        assertEquals(4, count(r.toLns(), 0x8021), "Req (discarded), Req again on Success, Ack, Req with the address");
    }

    @Test
    void untrustedProxyAuthIsUpBeforeAnyRestartTimer() throws Exception {
        Run r = run(SECRETS, false, true, false, 1_000);
        assertEquals(1, of(r.pair().peerEvents, PppEvent.IpUp.class).size(),
                "IPCP up within 1 s (the restart timer is 3 s): the requests were sent again on Success");
    }

    @Test
    void aWrongProxiedResponseFailsTheCallAsAWrongPasswordWould() throws Exception {
        Run r = run("alice * wrong\n", false, true, true, 10_000);
        PppPair p = r.pair();
        assertEquals(PppEvent.Reason.AUTH_FAILED, of(p.authEvents, PppEvent.Down.class).get(0).reason());
        assertEquals(0, of(p.peerEvents, PppEvent.IpUp.class).size());
        assertEquals(0, of(p.authEvents, PppEvent.Authenticated.class).size());
        assertEquals(1, of(p.peerEvents, PppEvent.Down.class).size(), "the LAC's link ends too");
    }

    @Test
    void proxyLcpWithTheWrongAuthProtocolIsNotTakenOver() throws Exception {
        // The LNS requires PAP; the LAC's Last Sent asks for CHAP: inconsistent, so LCP is negotiated.
        Run r = run(SECRETS, true, true, true, 10_000);
        PppPair p = r.pair();
        assertTrue(count(r.toLac(), Lcp.PROTOCOL) >= 2, "the LNS negotiated LCP itself");
        assertTrue(count(r.toLns(), 0xC023) >= 1, "PAP Authenticate-Request");
        assertEquals(1, of(p.peerEvents, PppEvent.IpUp.class).size());
        assertEquals("alice", of(p.authEvents, PppEvent.Authenticated.class).get(0).peerName());
    }

    @Test
    void papIsProxiedAsLcpOnlyAndTheAuthenticateRequestFollows() throws Exception {
        PppSettings lac = PppSettings.builder().auth(a -> a.name("alice").refuseChap(true).refuseMschap(true)
                .refuseMschapV2(true)).build();
        PppPair p = new PppPair(lac, SECRETS, lnsOptions(true), SECRETS);
        List<Integer> toLns = new ArrayList<>();
        List<Integer> toLac = new ArrayList<>();
        p.tapToAuthenticator = record(toLns);
        p.tapToPeer = record(toLac);
        PppLink.ProxyOffer[] offer = new PppLink.ProxyOffer[1];
        p.clock.execute(() -> {
            try {
                offer[0] = p.peer.offerProxy(true);
            } catch (Exception e) {
                throw new AssertionError(e);
            }
            p.authenticator.acceptProxy(offer[0].lcp(), offer[0].auth(), true);
        });
        p.start();
        p.run(5_000);
        assertNull(offer[0].auth(), "no PAP credentials in the ICCN");
        assertEquals(0, count(toLns, Lcp.PROTOCOL) + count(toLac, Lcp.PROTOCOL), "LCP taken over");
        assertEquals(1, count(toLns, 0xC023), "our Authenticate-Request");
        assertEquals(1, count(toLac, 0xC023), "the LNS's Authenticate-Ack");
        assertEquals("alice", of(p.authEvents, PppEvent.Authenticated.class).get(0).peerName());
        assertEquals(1, of(p.peerEvents, PppEvent.IpUp.class).size());
    }

    @Test
    void noProxyWhenWeRequireTheLnsToAuthenticate() throws Exception {
        PppSettings o = PppSettings.builder().auth(a -> a.name("alice").auth(true).requireChap(true)).build();
        PppPair p = new PppPair(o, SECRETS, lnsOptions(false), SECRETS);
        PppLink.ProxyOffer[] offer = {new PppLink.ProxyOffer(null, null)};
        p.clock.execute(() -> {
            try {
                offer[0] = p.peer.offerProxy(true);
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        });
        p.run(1);
        assertNull(offer[0], "the AVPs cannot carry the LNS authenticating itself to us");
    }

    @Test
    void proxyAuthWithoutProxyLcpIsIgnored() throws Exception {
        PppPair p = new PppPair(peerOptions(), SECRETS, lnsOptions(false), SECRETS);
        p.clock.execute(() -> p.authenticator.acceptProxy(null,
                new ProxyAuth(ProxyAuth.CHAP, "alice", new byte[16], 1, new byte[16]), true));
        p.start();
        p.run(10_000);
        assertEquals(1, of(p.peerEvents, PppEvent.IpUp.class).size());
    }

    @Test
    void malformedProxyLcpIsIgnoredAndLcpNegotiated() throws Exception {
        PppPair p = new PppPair(peerOptions(), SECRETS, lnsOptions(false), SECRETS);
        List<Integer> toLac = new ArrayList<>();
        p.tapToPeer = record(toLac);
        // an option whose length runs past the end, and a Last Sent without the Auth-Protocol
        p.clock.execute(() -> p.authenticator.acceptProxy(new ProxyLcp(null, new byte[] {5, 6, 1, 2, 3, 4},
                new byte[] {5, 9, 1}), null, true));
        p.start();
        p.run(10_000);
        assertTrue(count(toLac, Lcp.PROTOCOL) >= 2);
        assertEquals(1, of(p.peerEvents, PppEvent.IpUp.class).size());
    }
}
