package io.jl2tp.l2tp.tunnel;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.jl2tp.l2tp.transport.TransportConfig;
import io.jl2tp.l2tp.wire.Avp;
import io.jl2tp.l2tp.wire.ControlMessage;
import io.jl2tp.l2tp.wire.HiddenAvpContext;
import io.jl2tp.l2tp.wire.L2tpCodec;
import io.jl2tp.l2tp.wire.MessageType;
import io.jl2tp.testkit.VirtualScheduler;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.buffer.UnpooledByteBufAllocator;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The stateful Jazzer target (issue #11): a whole LAC endpoint and a whole LNS endpoint in
 * virtual time, with the fuzzer in the middle. For every datagram in flight it decides whether
 * it is delivered, lost, damaged, cut short, duplicated or replayed later; it injects datagrams
 * of its own (arbitrary octets, or control messages of any type with fuzzed AVPs and sequence
 * numbers) into either endpoint, from the real peer or from a third address; it opens and
 * closes calls and tunnels and lets time pass. Asserted: no exception escapes an endpoint or
 * its timers; state stays bounded by what was sent to it; every buffer is released; after
 * {@code closeAll} both endpoints hold no tunnel and no timer.
 */
class L2tpEndpointFuzzTest {

    private static final InetSocketAddress LAC = new InetSocketAddress("198.51.100.1", 40000);
    private static final InetSocketAddress LNS = new InetSocketAddress("198.51.100.2", 1701);
    private static final InetSocketAddress STRANGER = new InetSocketAddress("203.0.113.9", 1701);
    private static final int MAX_STEPS = 150;
    /**
     * What one tunnel may send in one step when nothing reaches it (a time advance of up to
     * 120 s): its oldest unacknowledged message is retransmitted at most {@code maxRetries}
     * times (1, 2, 4, 8, 8 s, RFC 2661 §5.8) before the tunnel is cleared, so 1 + maxRetries
     * transmissions per chain; one more chain for a message made by a timer (HELLO §6.5,
     * CDN/StopCCN §5.7 linger); two ZLB acknowledgements. Twelve tunnels whose HELLOs all go
     * unanswered in one 27 s advance legitimately send 12 × 6 = 72 datagrams.
     */
    private static final int PER_TUNNEL_PER_STEP = 2 * (1 + TransportConfig.DEFAULTS.maxRetries()) + 2;

    @FuzzTest(maxDuration = "24h", maxExecutions = 1_000_000)
    void lacAndLns(FuzzedDataProvider data) {
        new Rig(data).run(data);
    }

    private static final class Rig {
        final VirtualScheduler clock = new VirtualScheduler();
        final UnpooledByteBufAllocator alloc = new UnpooledByteBufAllocator(false, true);
        final Deque<Object[]> inFlight = new ArrayDeque<>();  // {datagram, from, to endpoint}
        final List<ByteBuf> seen = new ArrayList<>();         // every datagram an endpoint sent
        final List<ByteBuf> frames = new ArrayList<>();       // every PPP frame handed to a receiver
        final L2tpEndpoint lac;
        final L2tpEndpoint lns;
        final TunnelConfig lacConfig;
        final List<Tunnel> lacTunnels = new ArrayList<>();
        int injected;                                          // datagrams the fuzzer made up
        int sentThisStep;

        Rig(FuzzedDataProvider data) {
            long seed = data.consumeLong();
            L2tpEndpoint[] box = new L2tpEndpoint[2];
            lac = new L2tpEndpoint(clock, clock.nanoClock(), alloc, (b, to) -> carry(b, LAC, box[1]), new Random(seed));
            lns = new L2tpEndpoint(clock, clock.nanoClock(), alloc, (b, to) -> carry(b, LNS, box[0]), new Random(~seed));
            box[0] = lac;
            box[1] = lns;
            byte[] secret = data.consumeBoolean() ? "tunnelsecret".getBytes(StandardCharsets.US_ASCII) : null;
            byte[] lnsSecret = data.consumeBoolean() ? secret : "othersecret".getBytes(StandardCharsets.US_ASCII);
            boolean hide = secret != null && data.consumeBoolean();
            lacConfig = TunnelConfig.defaults("lac").withSecret(secret, data.consumeBoolean()).withHidden(hide)
                    .withTieBreaker(data.consumeBoolean());
            TunnelConfig lnsConfig = TunnelConfig.defaults("lns").withSecret(lnsSecret, data.consumeBoolean())
                    .withHidden(lnsSecret != null && data.consumeBoolean());
            boolean refuse = data.consumeInt(0, 7) == 0;
            lns.serve(lnsConfig, s -> refuse ? null : this::frame, e -> { });
        }

        private void frame(ByteBuf f) {
            frames.add(f);
            f.release();
        }

        private void carry(ByteBuf b, InetSocketAddress from, L2tpEndpoint to) {
            seen.add(b);
            sentThisStep++;
            inFlight.add(new Object[] {b, from, to});
        }

        void run(FuzzedDataProvider data) {
            clock.execute(this::dial);
            clock.runPending();
            for (int step = 0; step < MAX_STEPS && data.remainingBytes() > 0; step++) {
                sentThisStep = 0;
                int alive = lac.tunnels().size() + lns.tunnels().size();
                int action = data.consumeInt(0, 19);
                switch (action) {
                    case 0 -> clock.advance(data.consumeInt(1, 120_000), TimeUnit.MILLISECONDS);
                    case 1 -> inject(data, data.consumeBytes(data.consumeInt(0, 120)));
                    case 2, 3 -> inject(data, control(data));
                    case 4 -> clock.execute(this::dial);
                    case 5 -> clock.execute(() -> {
                        for (Tunnel t : lac.tunnels()) {
                            if (t.state() == Tunnel.State.ESTABLISHED) {
                                t.openSession(SessionConfig.defaults().withSequencingRequired(data.consumeBoolean()),
                                        this::frame);
                                break;
                            }
                        }
                    });
                    case 6 -> clock.execute(() -> {
                        List<Tunnel> all = data.consumeBoolean() ? lac.tunnels() : lns.tunnels();
                        if (!all.isEmpty()) {
                            Tunnel t = all.get(data.consumeInt(0, all.size() - 1));
                            if (data.consumeBoolean() || t.sessions().isEmpty()) {
                                t.close("fuzz");
                            } else {
                                t.sessions().iterator().next().close("fuzz");
                            }
                        }
                    });
                    default -> forward(data, action);
                }
                clock.runPending();
                int most = 64 + PER_TUNNEL_PER_STEP * alive;
                assertTrue(sentThisStep <= most, () -> "one step, " + alive + " tunnels, at most " + most
                        + " datagrams: " + sentThisStep);
                assertTrue(inFlight.size() <= 1024, () -> "datagrams pile up: " + inFlight.size());
                int bound = 2 * (step + 2) + injected;
                assertTrue(lac.tunnels().size() + lns.tunnels().size() <= bound,
                        () -> "tunnels grow faster than what was sent: " + lac.tunnels().size() + "+" + lns.tunnels().size());
            }
            // Resources released at close: no tunnel, no timer, no buffer left.
            clock.execute(() -> {
                lac.closeAll("fuzz done");
                lns.closeAll("fuzz done");
            });
            clock.runPending();
            // The link is gone from here on: StopCCNs go unanswered and must still end.
            for (int i = 0; i < 40; i++) {
                while (!inFlight.isEmpty()) {
                    ((ByteBuf) inFlight.poll()[0]).release();
                }
                clock.advance(30, TimeUnit.SECONDS);
            }
            assertEquals(List.of(), lac.tunnels(), "LAC tunnels left after closeAll");
            assertEquals(List.of(), lns.tunnels(), "LNS tunnels left after closeAll");
            assertEquals(0, clock.pendingTasks(), "timers left after closeAll");
            for (ByteBuf b : seen) {
                assertEquals(0, b.refCnt(), "a datagram was not released");
            }
        }

        private void dial() {
            if (lac.tunnels().size() < 4) {
                lacTunnels.add(lac.connect(LNS, lacConfig, e -> { }));
            }
        }

        private void forward(FuzzedDataProvider data, int action) {
            Object[] d = inFlight.poll();
            if (d == null) {
                clock.advance(data.consumeInt(1, 5000), TimeUnit.MILLISECONDS);
                return;
            }
            ByteBuf b = (ByteBuf) d[0];
            InetSocketAddress from = (InetSocketAddress) d[1];
            L2tpEndpoint to = (L2tpEndpoint) d[2];
            switch (action) {
                case 7 -> b.release();                                                         // lost
                case 8 -> {                                                                    // damaged
                    int n = b.readableBytes();
                    for (int i = data.consumeInt(1, 3); i > 0 && n > 0; i--) {
                        b.setByte(b.readerIndex() + data.consumeInt(0, n - 1), data.consumeInt(0, 255));
                    }
                    to.datagram(b, from);
                }
                case 9 -> to.datagram(b.writerIndex(b.readerIndex() + data.consumeInt(0, b.readableBytes())), from);
                case 10 -> {                                                                   // duplicated
                    to.datagram(b.retainedDuplicate(), from);
                    to.datagram(b, from);
                }
                case 11 -> inFlight.add(d);                                                    // reordered
                case 12 -> to.datagram(b, STRANGER);                                           // spoofed source
                default -> to.datagram(b, from);
            }
        }

        private void inject(FuzzedDataProvider data, byte[] bytes) {
            injected++;
            boolean toLns = data.consumeBoolean();
            InetSocketAddress from = data.consumeBoolean() ? STRANGER : (toLns ? LAC : LNS);
            ByteBuf b = Unpooled.buffer(bytes.length).writeBytes(bytes); // not wrappedBuffer: empty = EMPTY_BUFFER
            (toLns ? lns : lac).datagram(b, from);
            assertEquals(0, b.refCnt(), "an injected datagram was not released");
        }

        /** A control message of any type to a known tunnel/session id, with fuzzed AVPs. */
        private byte[] control(FuzzedDataProvider data) {
            List<Tunnel> known = new ArrayList<>(lac.tunnels());
            known.addAll(lns.tunnels());
            int tunnelId = !known.isEmpty() && data.consumeBoolean()
                    ? known.get(data.consumeInt(0, known.size() - 1)).localId() : data.consumeInt(0, 0xffff);
            List<Avp> avps = new ArrayList<>();
            int[] types = {0, 1, 2, 3, 4, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 19, 20, 21, 24, 25, 26, 29, 36, 39};
            for (int i = data.consumeInt(0, 8); i > 0; i--) {
                int type = data.pickValue(types);
                avps.add(new Avp(0, type, data.consumeBoolean(), false, 0,
                        new io.jl2tp.l2tp.wire.AvpValue.Raw(data.consumeBytes(data.consumeInt(0, 20))), null));
            }
            ControlMessage m = data.consumeBoolean()
                    ? new ControlMessage(tunnelId, data.consumeInt(0, 0xffff), data.consumeInt(0, 0xffff),
                            data.consumeInt(0, 0xffff), List.of())
                    : ControlMessage.of(MessageType.valueOf(data.consumeInt(0, 20)), tunnelId,
                            data.consumeInt(0, 0xffff), avps).withSequence(data.consumeInt(0, 8), data.consumeInt(0, 8));
            ByteBuf out = Unpooled.buffer();
            try {
                L2tpCodec.encodeControl(m, out, HiddenAvpContext.NONE);
                byte[] bytes = new byte[out.readableBytes()];
                out.readBytes(bytes);
                return bytes;
            } finally {
                out.release();
            }
        }
    }
}
