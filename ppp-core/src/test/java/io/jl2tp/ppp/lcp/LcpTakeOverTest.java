package io.jl2tp.ppp.lcp;

import io.jl2tp.ppp.auth.AuthMethod;
import io.jl2tp.ppp.fsm.CpConfig;
import io.jl2tp.ppp.fsm.CpFsm;
import io.jl2tp.ppp.fsm.State;
import io.jl2tp.ppp.wire.CpOption;
import io.jl2tp.ppp.wire.CpPacket;
import io.jl2tp.ppp.wire.PppProtocolException;
import io.jl2tp.testkit.VirtualScheduler;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.RepetitionInfo;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * RFC 2661 §4.4.5 proxy LCP on the LNS: {@link Lcp#takeOver} accepts only what our LCP would
 * have agreed to, and an automaton started Opened by proxy follows the RFC 1661 §4.1 Opened row
 * when the peer sends a Configure-Request after all (tld, scr, sca).
 */
class LcpTakeOverTest {

    private final VirtualScheduler loop = new VirtualScheduler();
    private final List<CpPacket> sent = new ArrayList<>();
    private final List<String> events = new ArrayList<>();

    private static final CpOption CHAP = new CpOption(Lcp.OPT_AUTH, AuthMethod.CHAP_MD5.lcpOptionData());
    private static final CpOption PAP = new CpOption(Lcp.OPT_AUTH, AuthMethod.PAP.lcpOptionData());
    private static final CpOption MAGIC_A = CpOption.u32(Lcp.OPT_MAGIC, 0x11223344L);
    private static final CpOption MAGIC_B = CpOption.u32(Lcp.OPT_MAGIC, 0x55667788L);

    private Lcp lcp;
    private CpFsm fsm;

    /** An LNS's LCP: requires CHAP-MD5, allows PFC/ACFC. */
    private void lns() {
        lcp = new Lcp(new Lcp.Settings(1500, true, true, true, List.of(AuthMethod.CHAP_MD5), Set.of()), new Random(1),
                new Lcp.Listener() {
                    @Override
                    public void lcpUp() {
                        events.add("up");
                    }

                    @Override
                    public void lcpDown() {
                        events.add("down");
                    }

                    @Override
                    public void lcpFinished() {
                    }

                    @Override
                    public void lcpStarting() {
                    }

                    @Override
                    public void protocolRejected(int protocol) {
                    }

                    @Override
                    public void echoReply() {
                    }

                    @Override
                    public void loopbackDetected() {
                    }
                });
        fsm = new CpFsm("LCP", Lcp.PROTOCOL, lcp, CpConfig.PPPD, loop, (proto, p) -> sent.add(p), "");
        lcp.bind(fsm);
    }

    @Test
    void consistentValuesAreTakenOverAndLcpIsOpenedWithoutAPacket() throws Exception {
        lns();
        assertNull(lcp.takeOver(List.of(CHAP, MAGIC_A), List.of(MAGIC_B, new CpOption(Lcp.OPT_PFC, new byte[0]),
                new CpOption(Lcp.OPT_ACFC, new byte[0]))));
        fsm.startOpened();
        assertEquals(State.OPENED, fsm.state());
        assertEquals(List.of("up"), events, "tlu");
        assertTrue(sent.isEmpty(), "nothing sent");
        assertEquals(AuthMethod.CHAP_MD5, lcp.ourAuth(), "the peer authenticates with what the LAC agreed");
        assertEquals(0x11223344L, lcp.ourMagic());
        assertEquals(0x55667788L, lcp.peerMagic());
        assertTrue(lcp.sendPfc() && lcp.sendAcfc(), "the client asked for PFC and ACFC");
    }

    @Test
    void aConfigureRequestAfterAllRenegotiatesAsTheOpenedRowSays() throws Exception {
        lns();
        assertNull(lcp.takeOver(List.of(CHAP, MAGIC_A), List.of(MAGIC_B)));
        fsm.startOpened();
        fsm.input(new CpPacket(CpPacket.CONF_REQ, 7, CpOption.encode(List.of(MAGIC_B))));
        // RFC 1661 §4.1, Opened × RCR+: tld, scr, sca → Ack-Sent
        assertEquals(State.ACK_SENT, fsm.state());
        assertEquals(List.of("up", "down"), events);
        assertEquals(CpPacket.CONF_REQ, sent.get(0).code());
        assertEquals(CpPacket.CONF_ACK, sent.get(1).code());
        assertEquals(7, sent.get(1).id());
    }

    @Test
    void startOpenedOnlyFromInitial() {
        lns();
        fsm.open();
        org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class, fsm::startOpened);
    }

    @Test
    void inconsistentValuesAreRefusedWithAReason() throws Exception {
        List<List<List<CpOption>>> cases = List.of(
                List.of(List.of(MAGIC_A), List.of(MAGIC_B)),                            // no Auth-Protocol: we require CHAP
                List.of(List.of(PAP, MAGIC_A), List.of(MAGIC_B)),                       // PAP: not what we require
                List.of(List.of(CHAP, MAGIC_A, MAGIC_A), List.of(MAGIC_B)),             // repeated option
                List.of(List.of(CHAP, CpOption.u32(Lcp.OPT_MAGIC, 0)), List.of(MAGIC_B)),  // §6.4 zero magic
                List.of(List.of(CHAP, new CpOption(19, new byte[] {0})), List.of(MAGIC_B)), // an option we would not send
                List.of(List.of(CHAP, MAGIC_A), List.of(MAGIC_A)),                       // equal magic: looped back
                List.of(List.of(CHAP, MAGIC_A), List.of(MAGIC_B, CpOption.u32(Lcp.OPT_ACCM, 0))), // we reject ACCM
                List.of(List.of(CHAP, MAGIC_A), List.of(CpOption.u16(Lcp.OPT_MRU, 64))));  // we would Nak MRU 64
        for (List<List<CpOption>> c : cases) {
            lns();
            String why = lcp.takeOver(c.get(0), c.get(1));
            assertNotNull(why, c.toString());
            assertEquals(null, lcp.ourAuth(), "nothing kept: " + c);
        }
    }

    @Test
    void anMruLargerThanOursIsRefused() throws Exception {
        lcp = new Lcp(new Lcp.Settings(1400, true, true, true, List.of(AuthMethod.CHAP_MD5), Set.of()), new Random(1),
                new Lcp.Listener() {
                    public void lcpUp() { }
                    public void lcpDown() { }
                    public void lcpFinished() { }
                    public void lcpStarting() { }
                    public void protocolRejected(int protocol) { }
                    public void echoReply() { }
                    public void loopbackDetected() { }
                });
        assertNotNull(lcp.takeOver(List.of(CHAP, MAGIC_A), List.of(MAGIC_B)), "no MRU: the client may send 1500");
        assertNotNull(lcp.takeOver(List.of(CpOption.u16(Lcp.OPT_MRU, 1450), CHAP, MAGIC_A), List.of(MAGIC_B)));
        assertNull(lcp.takeOver(List.of(CpOption.u16(Lcp.OPT_MRU, 1400), CHAP, MAGIC_A), List.of(MAGIC_B)));
    }

    @RepeatedTest(200)
    void randomOptionsNeverThrowAnythingButAProtocolException(RepetitionInfo info) {
        lns();
        Random r = new Random(info.getCurrentRepetition());
        byte[] a = new byte[r.nextInt(24)];
        byte[] b = new byte[r.nextInt(24)];
        r.nextBytes(a);
        r.nextBytes(b);
        try {
            lcp.takeOver(CpOption.parse(a), CpOption.parse(b));
        } catch (PppProtocolException expected) {
            // malformed options: the caller negotiates instead
        }
    }
}
