package io.jl2tp.ppp.auth;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Truncated, badly sized and unknown-code packets never throw and never change the outcome. */
class MalformedAuthPacketTest {

    private static final List<String> BAD = List.of(
            "",                       // empty
            "01",                     // 1 octet
            "0101",                   // 2 octets
            "010100",                 // 3 octets
            "01010003",               // Length < 4
            "01010010",               // Length > received
            "0101ffff00",             // hostile Length
            "01010004",               // no data at all
            "01010005 00",            // Value-Size 0
            "01010006 05aa",          // Value-Size runs past Length
            "02010004",               // empty Response
            "02010006 ff00",          // Response Value-Size 255, 1 octet
            "03010004", "04010004",   // empty Success / Failure for an unknown id
            "09010004",               // unknown code
            "ff0100080000000000",     // unknown code with data
            "01010006 0501",          // PAP: Peer-ID length 5, 1 octet / CHAP: Value-Size past the end
            "0201000600",             // Length 6, 5 octets received
            "02010006 09ab",          // PAP Ack: Msg-Length past the end / CHAP: Value-Size past the end
            "03010006 09ab",          // PAP Nak: Msg-Length past the end
            "03000006 09ab", "0200000609ab", "0300000509", "0200000509" // same for id 0
    );

    /** Packets malformed only for PAP (for CHAP they are well-formed Challenges). */
    private static final List<String> BAD_PAP = List.of(
            "01010007 010102",        // PAP: Passwd-Length 2 runs past the end
            "01000006 0161"           // PAP: no Passwd-Length octet
    );

    /** Feeds every malformed packet to a started protocol, then checks it still works normally. */
    @ParameterizedTest
    @EnumSource(AuthMethod.class)
    void malformedPacketsAreIgnored(AuthMethod m) {
        AuthPair p = new AuthPair(m, AuthConfig.DEFAULTS);
        p.peerSecrets.put("alice", "lns", "s3cret");
        p.authSecrets.put("alice", "lns", "s3cret");
        p.auth.dropNext = 1; // hold back the first challenge so the peer is still waiting
        p.peer.dropNext = 1; // and the first PAP request
        p.auth.proto.start();
        p.peer.proto.start();
        p.loop.runPending();
        List<String> bad = new ArrayList<>(BAD);
        if (m == AuthMethod.PAP) {
            bad.addAll(BAD_PAP);
        }
        for (int id = 0; id < 256; id++) {
            // Every possible Identifier, so an id check cannot hide a missing length check.
            feed(p.peer.proto, String.format("02%02x0006 09ab", id));
            feed(p.peer.proto, String.format("03%02x0006 09ab", id));
        }
        for (String h : bad) {
            feed(p.peer.proto, h);
            feed(p.auth.proto, h);
        }
        assertEquals(List.of(), p.peer.events, "malformed input must not decide anything");
        assertEquals(List.of(), p.auth.events);
        // Both first packets were dropped: the retransmissions complete the exchange by 6 s.
        p.loop.advance(6, TimeUnit.SECONDS);
        assertTrue(p.peer.events.get(0).startsWith("succeeded"), m + " " + p.peer.events);
        assertTrue(p.auth.events.get(0).startsWith("succeeded"), m + " " + p.auth.events);
        // And after success, garbage still changes nothing.
        for (String h : bad) {
            feed(p.peer.proto, h);
            feed(p.auth.proto, h);
        }
        p.loop.runPending();
        assertEquals(1, p.peer.events.size());
        assertEquals(1, p.auth.events.size());
    }

    /**
     * Seeded random packets (valid header, random body) against every role: no exception
     * escapes, the callee neither releases nor retains the input, garbage never authenticates a
     * peer, and each role reports at most one outcome.
     */
    @ParameterizedTest
    @EnumSource(AuthMethod.class)
    void randomPacketsNeverThrow(AuthMethod m) {
        Random r = new Random(0x1994_1334L + m.ordinal());
        AuthPair p = new AuthPair(m, AuthConfig.DEFAULTS);
        p.peerSecrets.put("alice", "lns", "s3cret");
        p.authSecrets.put("alice", "lns", "s3cret");
        p.peer.dropAll = true;
        p.auth.dropAll = true;
        p.auth.proto.start();
        p.peer.proto.start();
        List<AuthProtocol> targets = new ArrayList<>(List.of(p.peer.proto, p.auth.proto));
        for (int i = 0; i < 2000; i++) {
            byte[] b = new byte[r.nextInt(40)];
            r.nextBytes(b);
            if (b.length >= 4 && r.nextBoolean()) {
                b[0] = (byte) (1 + r.nextInt(4));
                b[2] = 0;
                b[3] = (byte) (r.nextBoolean() ? b.length : r.nextInt(256));
            }
            ByteBuf buf = Unpooled.wrappedBuffer(b);
            AuthProtocol target = targets.get(i & 1);
            assertDoesNotThrow(() -> target.input(buf), "packet " + i);
            assertEquals(1, buf.refCnt(), "packet " + i + ": the callee must neither release nor retain input");
            buf.release();
        }
        p.loop.advance(1, TimeUnit.MINUTES);
        assertTrue(p.auth.events.stream().noneMatch(e -> e.startsWith("succeeded")),
                "random packets never authenticate the peer: " + p.auth.events);
        assertTrue(p.auth.events.size() <= 1, "one outcome at most: " + p.auth.events);
        assertTrue(p.peer.events.size() <= 1, "one outcome at most: " + p.peer.events);
        assertEquals(1, p.auth.events.size(), "the authenticator gave up (timeout or bad response): " + p.auth.events);
    }

    private static void feed(AuthProtocol proto, String hex) {
        ByteBuf b = Unpooled.wrappedBuffer(HexFormat.of().parseHex(hex.replace(" ", "")));
        proto.input(b);
        assertEquals(1, b.refCnt(), "the callee must not release input");
        b.release();
        assertEquals(hex.isEmpty() ? 1 : 0, b.refCnt(), "the callee must not retain input");
    }
}
