package io.jl2tp.ppp.auth;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.jl2tp.testkit.VirtualScheduler;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Jazzer targets for PAP, CHAP-MD5 and MS-CHAPv2 at both roles (issue #11). A peer and an
 * authenticator run back to back on a virtual clock with the fuzzer in the middle: every packet
 * in flight is delivered, dropped, corrupted, cut short or duplicated as it decides, and it
 * injects packets of its own into either side. Real exchanges keep happening, so every state of
 * both roles sees hostile input. Asserted: {@link AuthProtocol#input} never throws; the
 * authenticator only ever accepts "alice" (the one name with a secret) and reports success at
 * most once; nothing is sent after {@code failed} or {@code stop}; nothing stays scheduled after
 * {@code stop}.
 */
class AuthFuzzTest {

    private static final int MAX_STEPS = 100;

    @FuzzTest(maxDuration = "30m", maxExecutions = 1_000_000)
    void pap(FuzzedDataProvider data) {
        new Pair(AuthMethod.PAP, data).run(data);
    }

    @FuzzTest(maxDuration = "30m", maxExecutions = 1_000_000)
    void chapMd5(FuzzedDataProvider data) {
        new Pair(AuthMethod.CHAP_MD5, data).run(data);
    }

    @FuzzTest(maxDuration = "30m", maxExecutions = 1_000_000)
    void msChapV2(FuzzedDataProvider data) {
        new Pair(AuthMethod.MSCHAP_V2, data).run(data);
    }

    /** One side's listener: records, checks and forwards through the fuzzer's hands. */
    private static final class Side implements AuthListener {
        final String label;
        final Deque<byte[]> toOther;
        AuthProtocol proto;
        int succeeded;
        boolean failed;
        boolean stopped;
        int sentThisStep;
        String lastSuccessName;

        Side(String label, Deque<byte[]> toOther) {
            this.label = label;
            this.toOther = toOther;
        }

        @Override
        public void send(int protocol, ByteBuf packet) {
            try {
                assertEquals(proto.protocol(), protocol);
                assertTrue(!stopped, () -> label + " sent after stop");
                // After failing, an authenticator may only repeat its verdict to a repeated
                // request (pppd likewise: the peer's copy of the Nak/Failure may have been lost).
                int code = packet.readableBytes() > 0 ? packet.getUnsignedByte(packet.readerIndex()) : -1;
                assertTrue(!failed || (label.equals("authenticator")
                        && code == (proto.protocol() == AuthMethod.PROTOCOL_PAP ? Pap.AUTH_NAK : Chap.FAILURE)),
                        () -> label + " sent code " + code + " after failing");
                int n = packet.readableBytes();
                assertTrue(n >= 4 && packet.getUnsignedShort(packet.readerIndex() + 2) == n,
                        () -> label + " sent a packet whose Length is not its size");
                sentThisStep++;
                toOther.add(ByteBufUtil.getBytes(packet));
            } finally {
                packet.release();
            }
        }

        @Override
        public void succeeded(String peerName, String message) {
            assertTrue(!failed, () -> label + " succeeded after failing");
            succeeded++;
            lastSuccessName = peerName;
        }

        @Override
        public void failed(String reason) {
            assertTrue(reason != null, "a failure without a reason");
            failed = true;
        }
    }

    private static final class Pair {
        final VirtualScheduler clock = new VirtualScheduler();
        final Deque<byte[]> toAuth = new ArrayDeque<>();
        final Deque<byte[]> toPeer = new ArrayDeque<>();
        final Side peer = new Side("peer", toAuth);
        final Side auth = new Side("authenticator", toPeer);
        final AuthConfig config;

        Pair(AuthMethod m, FuzzedDataProvider data) {
            String secret = data.consumeBoolean() ? "s3cret" : data.consumeString(12);
            String peerName = data.consumeBoolean() ? "alice" : data.consumeString(12);
            AuthConfig cfg = config = new AuthConfig(Duration.ofMillis(data.consumeInt(1, 3000)), data.consumeInt(1, 5),
                    Duration.ofMillis(data.consumeBoolean() ? 0 : data.consumeInt(1, 5000)),
                    Duration.ofMillis(data.consumeInt(0, 30_000)));
            SecretProvider peerSecrets = (client, server) -> Optional.of(Secret.of(secret));
            SecretProvider authSecrets = (client, server) ->
                    client.equals("alice") ? Optional.of(Secret.of("s3cret")) : Optional.empty();
            peer.proto = AuthProtocols.peer(m, peerName, peerSecrets, m == AuthMethod.PAP ? "lns" : null, cfg, clock, peer);
            auth.proto = AuthProtocols.authenticator(m, "lns", authSecrets, cfg, clock, auth);
        }

        void run(FuzzedDataProvider data) {
            auth.proto.start();
            peer.proto.start();
            clock.runPending();
            for (int step = 0; step < MAX_STEPS && data.remainingBytes() > 0; step++) {
                peer.sentThisStep = 0;
                auth.sentThisStep = 0;
                boolean toPeerSide = data.consumeBoolean();
                Deque<byte[]> q = toPeerSide ? toPeer : toAuth;
                Side target = toPeerSide ? peer : auth;
                int action = data.consumeInt(0, 9);
                switch (action) {
                    case 0 -> clock.advance(data.consumeInt(1, 10_000), TimeUnit.MILLISECONDS);
                    case 1 -> input(target, data.consumeBytes(data.consumeInt(0, 80)));
                    case 2 -> input(target, packet(data));
                    case 3 -> q.poll();                                                  // lost
                    case 4 -> {                                                          // damaged
                        byte[] p = q.poll();
                        if (p != null && p.length > 0) {
                            for (int i = data.consumeInt(1, 3); i > 0; i--) {
                                p[data.consumeInt(0, p.length - 1)] = data.consumeByte();
                            }
                            input(target, p);
                        }
                    }
                    case 5 -> {                                                          // cut short
                        byte[] p = q.poll();
                        if (p != null) {
                            input(target, java.util.Arrays.copyOf(p, data.consumeInt(0, p.length)));
                        }
                    }
                    case 6 -> {                                                          // duplicated
                        byte[] p = q.peek();
                        if (p != null) {
                            input(target, p.clone());
                        }
                    }
                    case 7 -> {                                                          // stopped
                        if (data.consumeBoolean()) {
                            target.proto.stop();
                            target.stopped = true;
                        }
                    }
                    default -> {
                        byte[] p = q.poll();
                        if (p != null) {
                            input(target, p);
                        }
                    }
                }
                clock.runPending();
                // One packet in makes at most a few out; time passing may fire every retransmission
                // a side has left (a new Challenge per restart, RFC 1994 §4.1), but no more.
                int most = action == 0 ? 2 * config.maxTransmits() : 4;
                assertTrue(peer.sentThisStep + auth.sentThisStep <= most,
                        () -> "one step, at most " + most + " packets: " + peer.sentThisStep + "+" + auth.sentThisStep);
                assertTrue(toPeer.size() + toAuth.size() <= 200, "packets pile up");
                assertTrue(clock.pendingTasks() <= 4, () -> "timers pile up: " + clock.pendingTasks());
                assertTrue(auth.succeeded <= 1 && peer.succeeded <= 1, "success is reported once");
                if (auth.succeeded > 0) {
                    assertEquals("alice", auth.lastSuccessName, "authenticated a name without a secret");
                }
            }
            peer.proto.stop();
            auth.proto.stop();
            peer.proto.stop(); // idempotent
            peer.stopped = true;
            auth.stopped = true;
            clock.advance(1, TimeUnit.HOURS);
            assertEquals(0, clock.pendingTasks(), "timers left after stop");
        }

        private void input(Side target, byte[] bytes) {
            ByteBuf b = Unpooled.wrappedBuffer(bytes);
            try {
                target.proto.input(b);
            } finally {
                assertEquals(1, b.refCnt(), "input must not release or retain the caller's buffer");
                b.release();
            }
        }

        /** A PAP/CHAP packet with a valid-looking header and fuzzed body. */
        private static byte[] packet(FuzzedDataProvider data) {
            int code = data.consumeInt(1, 5);
            int id = data.consumeInt(0, 255);
            byte[] body;
            if (data.consumeBoolean()) {
                // value-size, value, name (CHAP) / peer-id-length, peer-id, pw-length, pw (PAP)
                byte[] a = data.consumeBytes(data.consumeInt(0, 49));
                byte[] name = data.consumeBoolean() ? "alice".getBytes(java.nio.charset.StandardCharsets.US_ASCII) : data.consumeBytes(12);
                ByteBuf b = Unpooled.buffer();
                b.writeByte(a.length).writeBytes(a);
                if (data.consumeBoolean()) {
                    b.writeByte(name.length);
                }
                b.writeBytes(name);
                body = ByteBufUtil.getBytes(b);
            } else {
                body = data.consumeBytes(data.consumeInt(0, 64));
            }
            int len = data.consumeBoolean() ? 4 + body.length : data.consumeInt(0, 90);
            ByteBuf b = Unpooled.buffer();
            b.writeByte(code).writeByte(id).writeShort(len).writeBytes(body);
            return ByteBufUtil.getBytes(b);
        }
    }
}
