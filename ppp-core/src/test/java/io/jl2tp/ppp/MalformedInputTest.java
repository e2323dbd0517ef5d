package io.jl2tp.ppp;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;

import java.util.List;

import java.util.ArrayList;

import io.netty.buffer.ByteBufUtil;

import io.jl2tp.ppp.fsm.State;
import io.jl2tp.ppp.options.PppSettings;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

import java.util.HexFormat;
import java.util.Random;

import static io.jl2tp.ppp.PppPair.of;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Malformed PPP input never throws out of ppp-core and never wedges the automaton: after each
 * bad frame the link still completes a normal negotiation (or stays up, if it was up).
 */
class MalformedInputTest {

    private static final String SECRETS = "alice * s3cret\n";

    private PppPair pair() throws Exception {
        return new PppPair(PppSettings.builder().auth(a -> a.name("alice")).ipcp(i -> i.usePeerDns(true)).build(), SECRETS,
                PppSettings.builder().auth(a -> a.auth(true).requireChap(true)).build(), SECRETS);
    }

    /** Feeds {@code hex} to the peer before negotiation, then checks the link still comes up. */
    private void survivesBeforeNegotiation(String hex) throws Exception {
        PppPair p = pair();
        p.start();
        p.clock.execute(() -> p.peer.input(Unpooled.wrappedBuffer(HexFormat.of().parseHex(hex))));
        p.run(10_000);
        assertEquals(PppEvent.Phase.NETWORK, p.peer.phase(), "still negotiates after " + hex);
        assertEquals(1, of(p.peerEvents, PppEvent.IpUp.class).size());
    }

    /** Feeds {@code hex} to an established peer and checks nothing broke. */
    private void survivesWhenUp(String hex) throws Exception {
        PppPair p = pair();
        p.start();
        p.run(5_000);
        assertEquals(State.OPENED, p.peer.lcp().state());
        p.clock.execute(() -> p.peer.input(Unpooled.wrappedBuffer(HexFormat.of().parseHex(hex))));
        p.run(5_000);
        assertEquals(State.OPENED, p.peer.lcp().state(), "LCP still open after " + hex);
        assertEquals(State.OPENED, p.peer.ipcp().state());
        assertTrue(of(p.peerEvents, PppEvent.Down.class).isEmpty());
    }

    @Test
    void emptyAndTruncatedFrames() throws Exception {
        survivesBeforeNegotiation("");
        survivesBeforeNegotiation("ff");
        survivesBeforeNegotiation("ff03");
        survivesBeforeNegotiation("ff03c0");
        survivesWhenUp("ff03c021");
        survivesWhenUp("ff03c02101");
    }

    @Test
    void truncatedControlHeaderAndLengthBeyondThePacket() throws Exception {
        survivesBeforeNegotiation("ff03c021010100");                  // 3-octet LCP header
        survivesBeforeNegotiation("ff03c0210101 00ff 0104".replace(" ", "")); // Length 255 > packet
        survivesBeforeNegotiation("ff03c02101010002");                // Length below 4
    }

    @Test
    void optionLengthZeroOneAndOverlong() throws Exception {
        survivesBeforeNegotiation("ff03c02101010006" + "0100");        // option length 0
        survivesBeforeNegotiation("ff03c02101010006" + "0101");        // option length 1
        survivesBeforeNegotiation("ff03c02101010008" + "0108aaaa");    // option runs past the end
        survivesWhenUp("ff03802101010006" + "0300");                   // IPCP option length 0
    }

    @Test
    void unknownCodesAreCodeRejectedNotFatal() throws Exception {
        assertCodeRejected("c021", "55010004");                          // LCP code 0x55
        assertCodeRejected("8021", "0c010004");                          // IPCP code 12
    }

    /** RFC 1661 §5.6: the unknown packet comes back whole inside a Code-Reject (code 7) of the same protocol. */
    private void assertCodeRejected(String protocol, String packet) throws Exception {
        List<String> sent = new ArrayList<>();
        PppPair p = pair();
        p.tapToAuthenticator = f -> sent.add(ByteBufUtil.hexDump(f));
        p.start();
        p.run(5_000);
        sent.clear();
        p.clock.execute(() -> p.peer.input(Unpooled.wrappedBuffer(HexFormat.of().parseHex("ff03" + protocol + packet))));
        p.run(5_000);
        assertTrue(sent.stream().anyMatch(s -> s.matches("(ff03)?" + protocol + "07[0-9a-f]{2}[0-9a-f]{4}" + packet)),
                "Code-Reject carrying " + packet + " in " + sent);
        assertEquals(State.OPENED, p.peer.lcp().state());
        assertEquals(State.OPENED, p.peer.ipcp().state());
        assertTrue(of(p.peerEvents, PppEvent.Down.class).isEmpty());
    }

    @Test
    void configureAckThatDoesNotMatchOrHasTheWrongIdentifierIsIgnored() throws Exception {
        PppPair p = pair();
        p.start();
        // before the real exchange completes: a bogus Ack with id 0xee and options we never sent
        p.clock.execute(() -> p.peer.input(Unpooled.wrappedBuffer(HexFormat.of().parseHex("ff03c02102ee000801040100"))));
        p.run(10_000);
        assertEquals(PppEvent.Phase.NETWORK, p.peer.phase());
        survivesWhenUp("ff03c02102" + "01" + "0008" + "01040100");       // mismatching Ack while up
        survivesWhenUp("ff03802103" + "77" + "000a" + "0306c6336480");   // IPCP Nak with a stale id
    }

    @Test
    void unknownProtocolsAreProtocolRejectedInOpened() throws Exception {
        PppPair p = pair();
        java.util.List<String> sent = new java.util.ArrayList<>();
        p.tapToAuthenticator = f -> sent.add(io.netty.buffer.ByteBufUtil.hexDump(f));
        p.start();
        p.run(5_000);
        p.clock.execute(() -> p.peer.input(Unpooled.wrappedBuffer(HexFormat.of().parseHex("ff0380fd0101000401"))));
        p.run(100);
        assertTrue(sent.stream().anyMatch(s -> s.startsWith("ff03c02108") && s.contains("80fd")),
                "CCP (noccp) is Protocol-Rejected: " + sent);
        assertEquals(State.OPENED, p.peer.lcp().state());
    }

    @Test
    void seededRandomGarbageNeverThrows() throws Exception {
        PppPair p = pair();
        p.start();
        p.run(5_000);
        Random r = new Random(42);
        int[] prefixes = {0xc021, 0x8021, 0x8057, 0xc223, 0xc023, 0x0021, 0x0057};
        for (int i = 0; i < 20_000; i++) {
            byte[] body = new byte[r.nextInt(40)];
            r.nextBytes(body);
            ByteBuf b = Unpooled.buffer(4 + body.length);
            b.writeByte(0xff).writeByte(3).writeShort(prefixes[r.nextInt(prefixes.length)]).writeBytes(body);
            assertDoesNotThrow(() -> p.peer.input(b), "frame " + i);
            assertEquals(0, b.refCnt(), "frame " + i + " released by the link");
            if (i % 100 == 0) {
                p.run(10);
            }
        }
        p.run(60_000);
        // Garbage may legitimately end the link (a random Terminate-Request is still one), but
        // the end is orderly: reported once, Dead, terminated() complete — or the link is up.
        List<PppEvent.Down> downs = of(p.peerEvents, PppEvent.Down.class);
        assertTrue(downs.size() <= 1, "Down reported at most once: " + downs);
        if (downs.isEmpty()) {
            assertEquals(PppEvent.Phase.NETWORK, p.peer.phase());
            assertEquals(State.OPENED, p.peer.lcp().state());
        } else {
            assertEquals(PppEvent.Phase.DEAD, p.peer.phase());
            assertEquals(downs.get(0), p.peer.terminated().getNow(null));
        }
        assertTrue(p.peer.malformedPackets() > 0, "undecodable control packets are counted");
    }
}
