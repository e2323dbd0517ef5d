package io.jl2tp.ppp;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.jl2tp.ppp.options.PppSettings;
import io.jl2tp.ppp.options.SecretsFile;
import io.jl2tp.testkit.VirtualScheduler;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.buffer.UnpooledByteBufAllocator;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Jazzer target for whole PPP links (issue #11): a dialling peer and an authenticator joined
 * back to back, with the fuzzer in the middle. It decides for every frame in flight whether it
 * is delivered, dropped, corrupted or followed by a frame of its own, to either side, and when
 * virtual time passes. Real frames keep flowing, so the fuzzer reaches every phase — PPP
 * framing (ACFC/PFC), LCP, PAP/CHAP/MS-CHAPv2 at both roles, IPCP, IPV6CP, echo — with hostile
 * input at each. Asserted: {@link PppLink#input} never throws; every frame is released; the
 * authenticator reports success only for the one user with a secret and never starts IP before
 * that; nothing stays scheduled once both links are down.
 */
class PppLinkFuzzTest {

    private static final int MAX_STEPS = 200;

    @FuzzTest(maxDuration = "24h", maxExecutions = 1_000_000)
    void linkPair(FuzzedDataProvider data) throws Exception {
        new Pair(data).run(data);
    }

    private static final class Pair {
        final VirtualScheduler clock = new VirtualScheduler();
        final UnpooledByteBufAllocator alloc = new UnpooledByteBufAllocator(false, true);
        final Deque<Object[]> inFlight = new ArrayDeque<>();   // {frame, target index}
        final List<ByteBuf> everyFrame = new ArrayList<>();
        final List<PppEvent> peerEvents = new ArrayList<>();
        final List<PppEvent> authEvents = new ArrayList<>();
        final PppLink[] links = new PppLink[2];               // 0 = peer, 1 = authenticator
        int sentThisStep;

        Pair(FuzzedDataProvider data) throws Exception {
            // The same order of draws as before PppOptions was split per protocol, so the kept
            // inputs keep their meaning.
            boolean peerIpv6 = data.consumeBoolean();
            boolean usePeerDns = data.consumeBoolean();
            boolean peerNoPcomp = data.consumeBoolean();
            boolean peerNoAccomp = data.consumeBoolean();
            boolean noMagic = data.consumeBoolean();
            boolean refusePap = data.consumeBoolean();
            boolean refuseChap = data.consumeBoolean();
            int echoInterval = data.consumeInt(0, 3);
            int echoFailure = data.consumeInt(1, 3);
            PppSettings.Builder peer = PppSettings.builder()
                    .lcp(l -> l.pcomp(!peerNoPcomp).accomp(!peerNoAccomp).magic(!noMagic)
                            .echoInterval(echoInterval).echoFailure(echoFailure))
                    .auth(a -> a.name("alice").refusePap(refusePap).refuseChap(refuseChap))
                    .ipcp(i -> i.usePeerDns(usePeerDns))
                    .ipv6cp(v -> v.enabled(peerIpv6));
            boolean authIpv6 = data.consumeBoolean();
            boolean authNoPcomp = data.consumeBoolean();
            boolean authNoAccomp = data.consumeBoolean();
            PppSettings.Builder auth = PppSettings.builder()
                    .lcp(l -> l.pcomp(!authNoPcomp).accomp(!authNoAccomp))
                    .ipv6cp(v -> v.enabled(authIpv6));
            switch (data.consumeInt(0, 3)) {
                case 0 -> auth.auth(a -> a.auth(true).requirePap(true));
                case 1 -> auth.auth(a -> a.auth(true).requireChap(true));
                case 2 -> auth.auth(a -> a.auth(true).requireMschapV2(true));
                default -> auth.auth(a -> a.auth(true).requirePap(true).requireChap(true).requireMschapV2(true));
            }
            if (data.consumeBoolean()) {
                int mru = data.consumeInt(128, 1500);
                auth.lcp(l -> l.mru(mru));
            }
            String peerSecret = data.consumeBoolean() ? "s3cret" : "wrong";
            SecretsFile ps = SecretsFile.parse("alice * " + peerSecret + "\n", "peer-secrets", p -> {
                throw new IllegalStateException("no @files");
            });
            SecretsFile as = SecretsFile.parse("alice * s3cret\n", "auth-secrets", p -> {
                throw new IllegalStateException("no @files");
            });
            long seed = data.consumeLong();
            links[0] = new PppLink(peer.build(), new PppLink.Settings("lac-host", ps, ps, null, "peer "), clock,
                    f -> carry(f, 1), peerEvents::add, alloc, new Random(seed));
            links[1] = new PppLink(auth.build(), new PppLink.Settings("lns-host", as, as, PppPair.PLAN, "auth "), clock,
                    f -> carry(f, 0), authEvents::add, alloc, new Random(~seed));
            for (PppLink l : links) {
                l.ipSink((proto, ip) -> ip.release());
            }
        }

        private void carry(ByteBuf frame, int to) {
            everyFrame.add(frame);
            sentThisStep++;
            inFlight.add(new Object[] {frame, to});
        }

        void run(FuzzedDataProvider data) {
            clock.execute(() -> {
                links[1].start();
                links[0].start();
            });
            clock.runPending();
            for (int step = 0; step < MAX_STEPS && data.remainingBytes() > 0; step++) {
                sentThisStep = 0;
                int action = data.consumeInt(0, 15);
                if (action == 0) {
                    clock.advance(data.consumeInt(1, 4000), TimeUnit.MILLISECONDS);
                } else if (action == 1) {
                    inject(data.consumeInt(0, 1), data.consumeBytes(data.consumeInt(0, 80)));
                } else if (action == 2) {
                    inject(data.consumeInt(0, 1), injectedControl(data));
                } else if (!inFlight.isEmpty()) {
                    Object[] next = inFlight.poll();
                    ByteBuf f = (ByteBuf) next[0];
                    int to = (Integer) next[1];
                    switch (action) {
                        case 3 -> f.release();                                        // lost
                        case 4 -> deliver(to, corrupt(f, data));                      // damaged
                        case 5 -> {                                                   // duplicated
                            deliver(to, f.retainedDuplicate());
                            deliver(to, f);
                        }
                        default -> deliver(to, f);
                    }
                } else {
                    clock.advance(data.consumeInt(1, 4000), TimeUnit.MILLISECONDS);
                }
                assertTrue(sentThisStep <= 16, () -> "one step, at most 16 frames: " + sentThisStep);
                assertTrue(inFlight.size() <= 256, () -> "frames pile up: " + inFlight.size());
                assertTrue(clock.pendingTasks() <= 16, () -> "timers pile up: " + clock.pendingTasks());
                checkAuthenticator();
            }
            // Everything a link holds is released when the lower layer goes away.
            clock.execute(() -> {
                links[0].lowerDown("fuzz done");
                links[1].lowerDown("fuzz done");
            });
            clock.advance(10, TimeUnit.MINUTES);
            while (!inFlight.isEmpty()) {
                ((ByteBuf) inFlight.poll()[0]).release();
            }
            clock.advance(10, TimeUnit.MINUTES);
            assertEquals(0, clock.pendingTasks(), "timers left after lower-down");
            for (ByteBuf f : everyFrame) {
                assertEquals(0, f.refCnt(), "a frame was not released");
            }
        }

        private void deliver(int to, ByteBuf frame) {
            links[to].input(frame); // takes ownership; must never throw
        }

        private void inject(int to, byte[] bytes) {
            ByteBuf b = Unpooled.buffer(bytes.length).writeBytes(bytes); // not wrappedBuffer: empty = EMPTY_BUFFER
            deliver(to, b);
            assertEquals(0, b.refCnt(), "an input frame was not released");
        }

        /** A control frame of a protocol the links speak, with fuzzed contents. */
        private static byte[] injectedControl(FuzzedDataProvider data) {
            int[] protocols = {0xC021, 0xC023, 0xC223, 0x8021, 0x8057, 0x0021, 0x0057, 0x80FD};
            int proto = data.pickValue(protocols);
            byte[] body = data.consumeBytes(data.consumeInt(0, 60));
            int code = data.consumeInt(1, 11);
            int id = data.consumeInt(0, 255);
            int len = data.consumeBoolean() ? 4 + body.length : data.consumeInt(0, 80);
            ByteBuf b = Unpooled.buffer();
            if (data.consumeBoolean()) {
                b.writeByte(0xff).writeByte(0x03);
            }
            b.writeShort(proto).writeByte(code).writeByte(id).writeShort(len).writeBytes(body);
            return ByteBufUtil.getBytes(b);
        }

        /** The frame with a few octets changed, or cut short. */
        private static ByteBuf corrupt(ByteBuf f, FuzzedDataProvider data) {
            int n = f.readableBytes();
            if (n == 0 || data.consumeBoolean()) {
                return f.writerIndex(f.readerIndex() + data.consumeInt(0, n));
            }
            for (int i = data.consumeInt(1, 3); i > 0; i--) {
                f.setByte(f.readerIndex() + data.consumeInt(0, n - 1), data.consumeInt(0, 255));
            }
            return f;
        }

        /** RFC 1661 §3.5: no authenticated party but alice; no IP before authentication. */
        private void checkAuthenticator() {
            boolean authenticated = false;
            for (PppEvent e : authEvents) {
                if (e instanceof PppEvent.Authenticated a && a.weAuthenticatedPeer()) {
                    assertEquals("alice", a.peerName(), "authenticated a name without a secret");
                    authenticated = true;
                }
                if (e instanceof PppEvent.IpUp || e instanceof PppEvent.Ipv6Up) {
                    assertTrue(authenticated, "IP came up on the authenticator before authentication");
                }
            }
        }
    }
}
