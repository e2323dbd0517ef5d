package io.jl2tp.ppp.fsm;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.jl2tp.ppp.auth.AuthMethod;
import io.jl2tp.ppp.ipcp.Ipcp;
import io.jl2tp.ppp.ipv6cp.Ipv6cp;
import io.jl2tp.ppp.lcp.Lcp;
import io.jl2tp.ppp.wire.CpOption;
import io.jl2tp.ppp.wire.CpPacket;
import io.jl2tp.ppp.wire.PppProtocolException;
import io.jl2tp.testkit.VirtualScheduler;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Jazzer targets for each control protocol's option handling (issue #11): LCP, IPCP and IPV6CP
 * handlers in the one RFC 1661 automaton, with settings, state and packets chosen by the fuzzer.
 *
 * <p>The automaton is first driven into some state with the §4.3 events (every row of the
 * table is reachable that way), then fed packets: arbitrary ones, and "answers" built from what
 * it last sent — a Configure-Ack/Nak/Reject carrying the Identifier of our outstanding request
 * and options derived from it — so that ackci/nakci/rejci are reached with plausible input.
 * Virtual time runs in between. Only well-formed packets may come out, none may be thrown, and
 * every reply follows §5: Ack echoes the request, Nak/Reject carry the request's Identifier.
 */
class ControlProtocolFuzzTest {

    private static final int MAX_STEPS = 64;

    @FuzzTest(maxDuration = "30m", maxExecutions = 1_000_000)
    void lcp(FuzzedDataProvider data) {
        Set<AuthMethod> allow = EnumSet.noneOf(AuthMethod.class);
        List<AuthMethod> require = new ArrayList<>();
        for (AuthMethod m : AuthMethod.values()) {
            if (data.consumeBoolean()) {
                allow.add(m);
            }
            if (data.consumeBoolean()) {
                require.add(m);
            }
        }
        Lcp.Settings s = new Lcp.Settings(data.consumeInt(64, 1600), data.consumeBoolean(), data.consumeBoolean(),
                data.consumeBoolean(), require, allow);
        Lcp lcp = new Lcp(s, new Random(data.consumeLong()), new Lcp.Listener() {
            @Override
            public void lcpUp() {
            }

            @Override
            public void lcpDown() {
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
        Rig rig = new Rig(Lcp.PROTOCOL, lcp, data);
        lcp.bind(rig.fsm);
        rig.run(data);
        assertTrue(lcp.peerMru() > 0);
        lcp.ourAuth();
        lcp.peerAuth();
        lcp.authRefused();
    }

    @FuzzTest(maxDuration = "30m", maxExecutions = 1_000_000)
    void ipcp(FuzzedDataProvider data) {
        Inet4Address local = data.consumeBoolean() ? v4(data.consumeInt()) : null;
        Inet4Address remote = data.consumeBoolean() ? v4(data.consumeInt()) : null;
        List<Inet4Address> dns = new ArrayList<>();
        for (int i = data.consumeInt(0, 2); i > 0; i--) {
            dns.add(v4(data.consumeInt()));
        }
        Ipcp.Settings s = new Ipcp.Settings(local, remote, data.consumeBoolean(), data.consumeBoolean(),
                data.consumeBoolean(), dns);
        Ipcp ipcp = new Ipcp(s, new Ipcp.Listener() {
            @Override
            public void ipcpUp(Inet4Address l, Inet4Address r, List<Inet4Address> d) {
                assertNotNull(l);
                assertNotNull(d); // r may be null: a peer that names no address and none configured

            }

            @Override
            public void ipcpDown() {
            }

            @Override
            public void ipcpFinished() {
            }
        });
        new Rig(Ipcp.PROTOCOL, ipcp, data).run(data);
    }

    @FuzzTest(maxDuration = "30m", maxExecutions = 1_000_000)
    void ipv6cp(FuzzedDataProvider data) {
        long v4 = data.consumeInt() & 0xffffffffL;
        Ipv6cp.Settings s = new Ipv6cp.Settings(data.consumeBoolean() ? data.consumeLong() : 0, data.consumeBoolean(),
                () -> v4, data.consumeBoolean());
        Ipv6cp ipv6cp = new Ipv6cp(s, new Random(data.consumeLong()), new Ipv6cp.Listener() {
            @Override
            public void ipv6cpUp(Inet6Address l, Inet6Address r) {
                assertTrue(l.isLinkLocalAddress() && r.isLinkLocalAddress());
            }

            @Override
            public void ipv6cpDown() {
            }

            @Override
            public void ipv6cpFinished() {
            }
        });
        new Rig(Ipv6cp.PROTOCOL, ipv6cp, data).run(data);
    }

    private static Inet4Address v4(int a) {
        try {
            return (Inet4Address) InetAddress.getByAddress(new byte[] {(byte) (a >>> 24), (byte) (a >>> 16),
                (byte) (a >>> 8), (byte) a});
        } catch (java.net.UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    /** One automaton on a virtual clock, with everything it sends recorded and checked. */
    private static final class Rig {
        final VirtualScheduler clock = new VirtualScheduler();
        final List<CpPacket> sent = new ArrayList<>();
        final int protocol;
        final CpFsm fsm;
        final CpConfig config;
        CpPacket lastRequest;   // our latest Configure-Request
        CpPacket received;      // the packet being processed, to check replies against

        Rig(int protocol, CpHandler handler, FuzzedDataProvider data) {
            this.protocol = protocol;
            config = new CpConfig(Duration.ofMillis(data.consumeInt(1, 5000)), data.consumeInt(1, 12),
                    data.consumeInt(1, 4), data.consumeInt(1, 12));
            fsm = new CpFsm("fuzz", protocol, handler, config, clock, this::sent, "fuzz ");
        }

        private void sent(int proto, CpPacket p) {
            assertEquals(protocol, proto);
            assertTrue(p.code() >= 1 && p.code() <= 255 && p.id() >= 0 && p.id() <= 255, p.toString());
            assertTrue(p.length() <= 1500, () -> "a control packet never exceeds the default MRU: " + p.length());
            switch (p.code()) {
                case CpPacket.CONF_REQ -> {
                    options(p);
                    lastRequest = p;
                }
                case CpPacket.CONF_ACK -> {
                    // RFC 1661 §5.2: an Ack repeats the request it answers exactly.
                    assertNotNull(received, "Configure-Ack sent unprompted");
                    assertEquals(CpPacket.CONF_REQ, received.code());
                    assertEquals(received.id(), p.id());
                    assertArrayEquals(received.data(), p.data());
                }
                case CpPacket.CONF_NAK, CpPacket.CONF_REJ -> {
                    // §5.3/§5.4: same Identifier as the request, well-formed options.
                    assertNotNull(received, "Configure-Nak/Reject sent unprompted");
                    assertEquals(CpPacket.CONF_REQ, received.code());
                    assertEquals(received.id(), p.id());
                    assertTrue(!options(p).isEmpty(), "an empty Nak/Reject");
                }
                default -> {
                }
            }
            sent.add(p);
        }

        private static List<CpOption> options(CpPacket p) {
            try {
                return CpOption.parse(p.data());
            } catch (PppProtocolException e) {
                throw new AssertionError("sent malformed options in " + p, e);
            }
        }

        void run(FuzzedDataProvider data) {
            Event[] events = Event.values();
            for (int i = data.consumeInt(0, 6); i > 0; i--) {
                fsm.event(data.pickValue(events));
            }
            for (int step = 0; step < MAX_STEPS && data.remainingBytes() > 0; step++) {
                int before = sent.size();
                int action = data.consumeInt(0, 9);
                switch (action) {
                    case 0 -> clock.advance(data.consumeInt(0, 10_000), TimeUnit.MILLISECONDS);
                    case 1 -> fsm.event(data.pickValue(events));
                    case 2 -> fsm.close(data.consumeString(16));
                    case 3 -> input(new CpPacket(data.consumeInt(0, 255), data.consumeInt(0, 255),
                            data.consumeBytes(data.consumeInt(0, 64))));
                    case 4 -> input(answer(data, CpPacket.CONF_ACK));
                    case 5 -> input(answer(data, CpPacket.CONF_NAK));
                    case 6 -> input(answer(data, CpPacket.CONF_REJ));
                    default -> input(new CpPacket(CpPacket.CONF_REQ, data.consumeInt(0, 255), optionBytes(data)));
                }
                // One event answers with at most three packets; time may fire every restart.
                int limit = action == 0 ? config.maxConfigure() + config.maxTerminate() + 3 : 3;
                assertTrue(sent.size() - before <= limit, () -> "too many packets for one step: " + (sent.size() - before));
                assertTrue(clock.pendingTasks() <= 2, () -> "one restart timer at most: " + clock.pendingTasks());
            }
            assertNotNull(fsm.state());
            // Down, Close: nothing may stay scheduled (resources released at close).
            fsm.down();
            fsm.close("fuzz done");
            clock.advance(10, TimeUnit.MINUTES);
            assertEquals(0, clock.pendingTasks(), "timers left after Down + Close");
        }

        private void input(CpPacket p) {
            received = p;
            fsm.input(p);
            received = null;
        }

        /** An answer to our latest request: its Identifier (mostly) and options derived from it. */
        private CpPacket answer(FuzzedDataProvider data, int code) {
            CpPacket req = lastRequest;
            int id = req != null && data.consumeBoolean() ? req.id() : data.consumeInt(0, 255);
            byte[] body;
            if (req == null || data.consumeBoolean()) {
                body = optionBytes(data);
            } else if (code == CpPacket.CONF_ACK && data.consumeBoolean()) {
                body = req.data();
            } else {
                // a subset of our options, some with new values (a plausible Nak or Reject)
                List<CpOption> ours = options(req);
                List<CpOption> pick = new ArrayList<>();
                for (CpOption o : ours) {
                    if (data.consumeBoolean()) {
                        pick.add(data.consumeBoolean() ? o
                                : new CpOption(o.type(), data.consumeBytes(Math.max(o.data().length, data.consumeInt(0, 8)))));
                    }
                }
                body = CpOption.encode(pick);
            }
            return new CpPacket(code, id, Arrays.copyOf(body, Math.min(body.length, 1400)));
        }

        /** An option list: well-formed options of types the handlers know, or raw bytes. */
        private static byte[] optionBytes(FuzzedDataProvider data) {
            if (data.consumeBoolean()) {
                return data.consumeBytes(data.consumeInt(0, 64));
            }
            List<CpOption> opts = new ArrayList<>();
            int[] known = {1, 2, 3, 4, 5, 7, 8, 17, 19, 129, 130, 131, 132};
            for (int i = data.consumeInt(0, 6); i > 0; i--) {
                int type = data.consumeBoolean() ? data.pickValue(known) : data.consumeInt(0, 255);
                opts.add(new CpOption(type, data.consumeBytes(data.consumeInt(0, 10))));
            }
            return CpOption.encode(opts);
        }
    }
}
