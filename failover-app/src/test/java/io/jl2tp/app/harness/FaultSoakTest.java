package io.jl2tp.app.harness;

import io.jl2tp.app.dial.Dialer;
import io.jl2tp.app.lns.LnsServer;
import io.jl2tp.l2tp.netty.L2tpSocket;
import io.jl2tp.testkit.NetNs;
import io.jl2tp.testkit.RequiresRoot;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.lang.reflect.Field;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.DatagramChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 11 §3, faults in namespaces (short forms; failover-app/bench/soak-faults.sh runs the
 * long ones): the path black-holed, the LNS killed and restarted, the LNS's StopCCN mid-call, the
 * session's interface deleted from outside, 30 % loss during set-up, and a spray of random and
 * replayed datagrams at both roles while a session carries traffic.
 * Each must end in a clean recovery or a clean, explained stop, and afterwards this JVM (the
 * LAC) has the threads and descriptors it had after the first dial, no interface is left in
 * either namespace, and the LNS holds no tunnel.
 */
@RequiresRoot(commands = {"ip", "ping"})
class FaultSoakTest {

    private static final long MS = 1_000_000L;

    /** Dials, waits for IPCP, pings once, hangs up: the warm-up whose resource counts are the baseline. */
    private static Dialer upAndPing(RelayRig rig, int seconds) throws Exception {
        Dialer d = rig.dial();
        try {
            d.ipUp().get(seconds, TimeUnit.SECONDS);
            NetNs.Result ping = rig.lac.run(60, TimeUnit.SECONDS, "ping", "-c", "10", "-i", "0.3", "-W", "2", "198.51.100.1");
            assertEquals(0, ping.status(), ping.output());
        } catch (Exception | AssertionError e) {
            d.hangUp("test failed", 2000);
            throw e;
        }
        return d;
    }

    /**
     * What this JVM holds: its Java threads (JDK housekeeping such as the process reaper left
     * out; the JIT's compiler threads, which come and go, are not Java threads) and its open
     * descriptors by target (jar files left out: the class loader opens each once, on first use).
     */
    private record Counts(List<String> threads, Map<Integer, String> fds, int relayMappings) {
        private static final Set<String> JDK = Set.of("process reaper", "Attach Listener", "Common-Cleaner", "Finalizer",
                "Reference Handler", "Signal Dispatcher", "Notification Thread", "JNA Cleaner");

        /** Descriptors other than the in-JVM relay's upstream sockets (one per LAC address it has seen lately). */
        int ownFds() {
            return fds.size() - relayMappings;
        }

        static Counts now(RelayRig rig) throws Exception {
            List<String> threads = Thread.getAllStackTraces().keySet().stream().map(Thread::getName)
                    .filter(n -> !JDK.contains(n) && !n.startsWith("surefire-")).sorted().toList();
            Map<Integer, String> fds = new TreeMap<>();
            try (var dir = Files.list(Path.of("/proc/self/fd"))) {
                for (Path p : dir.toList()) {
                    try {
                        String target = Files.readSymbolicLink(p).toString();
                        if (!target.endsWith(".jar") && !target.startsWith("/proc/")) {
                            fds.put(Integer.parseInt(p.getFileName().toString()), target);
                        }
                    } catch (java.io.IOException e) {
                        // closed while listing (the listing's own descriptor)
                    }
                }
            }
            return new Counts(threads, fds, rig.relay == null ? 0 : rig.relay.clients());
        }
    }

    /** Waits (threads wind down asynchronously) until the counts are back at the baseline; fails naming what grew. */
    private static void assertBackTo(Counts baseline, RelayRig rig) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        Counts c = Counts.now(rig);
        while ((c.threads().size() > baseline.threads().size() || c.ownFds() > baseline.ownFds())
                && System.nanoTime() < deadline) {
            Thread.sleep(200);
            c = Counts.now(rig);
        }
        List<String> newThreads = new ArrayList<>(c.threads());
        baseline.threads().forEach(newThreads::remove);
        assertTrue(c.threads().size() <= baseline.threads().size(), "threads " + baseline.threads().size() + " -> "
                + c.threads().size() + ", leaked: " + newThreads);
        Map<Integer, String> newFds = new TreeMap<>(c.fds());
        newFds.entrySet().removeIf(e -> e.getValue().equals(baseline.fds().get(e.getKey())));
        assertTrue(c.ownFds() <= baseline.ownFds(), "descriptors " + baseline.ownFds() + " -> " + c.ownFds()
                + " (besides the relay's " + baseline.relayMappings() + " -> " + c.relayMappings() + " mappings), new: " + newFds);
    }

    /**
     * What {@code jl2tp dial} (DialCommand) and the xl2tpd daemon's LacManager do with a dialer
     * whose attempt is over: hang up only if the session has not ended by itself. A session that
     * ended by itself (echo timeout, tunnel timeout, the peer's StopCCN) must have released its
     * socket, event loop and interface on its own (issue 11, row 4) — so this does not.
     */
    private static void releaseLikeDialCommand(Dialer d, String why) {
        if (!d.down().isDone()) {
            d.hangUp(why, 1500);
        }
    }

    /** The tunnels the in-JVM LNS holds (its endpoint, read on its event loop). */
    static int lnsTunnels(LnsServer lns) throws Exception {
        L2tpSocket s = lnsSocket(lns);
        return s.call(() -> s.endpoint().tunnels().size()).get(10, TimeUnit.SECONDS);
    }

    /** The in-JVM LNS's socket. */
    static L2tpSocket lnsSocket(LnsServer lns) throws Exception {
        for (Field f : LnsServer.class.getDeclaredFields()) {
            if (f.getType() == L2tpSocket.class) {
                f.setAccessible(true);
                return (L2tpSocket) f.get(lns);
            }
        }
        throw new IllegalStateException("LnsServer has no L2tpSocket field");
    }

    private static void assertLnsClean(RelayRig rig) throws Exception {
        RelayRig.await(90, "the LNS to drop every tunnel and call interface", () -> {
            try {
                return (rig.lns == null || lnsTunnels(rig.lns) == 0) && RelayRig.interfaces(rig.lnsNs, "lns").isEmpty();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        assertTrue(RelayRig.interfaces(rig.lac, "l2tp-rig").isEmpty(), "the LAC's interface is gone");
    }

    @Test
    void blackHoleLongerThanTheEchoTimeoutEndsTheSessionCleanlyAndTheNextDialComesUp() throws Exception {
        try (RelayRig rig = new RelayRig("fbh", 2, 3)) {
            rig.startLns();
            ImpairRelay relay = rig.startRelay(Impairment.Profile.NONE, Impairment.Profile.NONE, 1, null);
            upAndPing(rig, 60).hangUp("warm-up", 3000);
            assertLnsClean(rig);
            Counts baseline = Counts.now(rig);

            Dialer d = upAndPing(rig, 60);
            // 3 missed LCP echoes at 2 s are the timeout; 12 s of darkness exceeds it on both sides.
            relay.blackhole(Duration.ofSeconds(12));
            String why = d.down().get(60, TimeUnit.SECONDS);
            assertTrue(why.toLowerCase().contains("echo") || why.toLowerCase().contains("timeout")
                    || why.toLowerCase().contains("closed"), "an explained stop: " + why);
            releaseLikeDialCommand(d, "after the black hole");
            RelayRig.await(60, "the black hole to end", () -> !relay.blackholeOn());
            assertTrue(relay.stats(ImpairRelay.Direction.UP).blackholed() > 0);

            Dialer again = upAndPing(rig, 90);
            again.hangUp("test finished", 3000);
            assertLnsClean(rig);
            assertBackTo(baseline, rig);
        }
    }

    @Test
    void lnsKilledAndRestartedGivesACleanStopThenARecovery(@TempDir Path tmp) throws Exception {
        try (RelayRig rig = new RelayRig("fkl", 2, 3)) {
            rig.startLnsProcess(tmp);
            rig.startRelay(Impairment.Profile.NONE, Impairment.Profile.NONE, 1, null);
            upAndPing(rig, 60).hangUp("warm-up", 3000);
            Counts baseline = Counts.now(rig);

            Dialer d = upAndPing(rig, 60);
            rig.killLnsProcess();
            String why = d.down().get(60, TimeUnit.SECONDS);
            assertFalse(why.isBlank(), "an explained stop");
            releaseLikeDialCommand(d, "LNS gone");
            assertTrue(RelayRig.interfaces(rig.lnsNs, "lns").isEmpty(), "the killed LNS's interfaces went with it");

            // A dial while the LNS is dead fails cleanly (no answer to SCCRQ), and releases what it took.
            Dialer refused = rig.dial();
            String refusal = refused.down().get(150, TimeUnit.SECONDS);
            assertFalse(refusal.isBlank(), "an explained stop");
            assertFalse(refused.ipUp().isDone() && !refused.ipUp().isCompletedExceptionally(), "never up");
            releaseLikeDialCommand(refused, "LNS still gone");

            rig.startLnsProcess(tmp);
            Dialer again = upAndPing(rig, 90);
            again.hangUp("test finished", 3000);
            RelayRig.await(60, "the restarted LNS to drop the call", () -> RelayRig.interfaces(rig.lnsNs, "lns").isEmpty());
            assertBackTo(baseline, rig);
        }
    }

    /** What a fault does to a session that is up; returns what the dialer said on the way down. */
    @FunctionalInterface
    private interface Fault {
        String inflict(RelayRig rig, Dialer up) throws Exception;
    }

    /**
     * A warm-up dial (the baseline), a session hit by {@code fault}, the dialer's own release,
     * the LNS left clean, then a new dial that comes up — and the counts back at the baseline.
     */
    private static String faultThenRecovery(String tag, Fault fault) throws Exception {
        try (RelayRig rig = new RelayRig(tag, 2, 3)) {
            rig.startLns();
            rig.startRelay(Impairment.Profile.NONE, Impairment.Profile.NONE, 1, null);
            upAndPing(rig, 60).hangUp("warm-up", 3000);
            assertLnsClean(rig);
            Counts baseline = Counts.now(rig);

            Dialer d = upAndPing(rig, 60);
            String why = fault.inflict(rig, d);
            releaseLikeDialCommand(d, "after the fault");
            assertLnsClean(rig);

            Dialer again = upAndPing(rig, 60);
            again.hangUp("test finished", 3000);
            assertLnsClean(rig);
            assertBackTo(baseline, rig);
            return why;
        }
    }

    @Test
    void stopCcnFromTheLnsMidCallEndsTheSessionWithTheReasonAndTheNextDialComesUp() throws Exception {
        String why = faultThenRecovery("fsc", (rig, d) -> {
            // The LNS tears its tunnels down administratively: StopCCN with the session up (RFC 2661 §5.7).
            L2tpSocket lns = lnsSocket(rig.lns);
            lns.call(() -> {
                lns.endpoint().closeAll("fault test: StopCCN mid-call");
                return null;
            }).get(10, TimeUnit.SECONDS);
            return d.down().get(30, TimeUnit.SECONDS);
        });
        assertTrue(why.contains("StopCCN") || why.toLowerCase().contains("tunnel"), "an explained stop: " + why);
    }

    @Test
    void interfaceDeletedFromOutsideEndsTheCallWithTheReasonAndTheNextDialComesUp() throws Exception {
        List<String> deleted = new ArrayList<>();
        String why = faultThenRecovery("fif", (rig, d) -> {
            List<String> ifs = RelayRig.interfaces(rig.lac, "l2tp-rig");
            assertEquals(1, ifs.size(), "the session's interface: " + ifs);
            deleted.add(ifs.get(0));
            NetNs.Result del = rig.lac.run(10, TimeUnit.SECONDS, "ip", "link", "del", ifs.get(0));
            assertEquals(0, del.status(), del.output());
            // The dialer ends the call (LCP Terminate, CDN) instead of keeping a session with nowhere to deliver to.
            return d.down().get(30, TimeUnit.SECONDS);
        });
        assertTrue(why.contains("interface " + deleted.get(0) + " was deleted"), "an explained stop: " + why);
    }

    @Test
    void thirtyPercentLossDuringSetUpStillComesUp() throws Exception {
        try (RelayRig rig = new RelayRig("fls", 5, 10)) {
            rig.startLns();
            Impairment.Profile lossy = Impairment.Profile.NONE.withLoss(30).withDelay(20 * MS, 10 * MS);
            ImpairRelay relay = rig.startRelay(lossy, lossy, 30, null);
            Counts baseline = null;
            boolean up = false;
            // As DialCommand does: a failed attempt is a clean stop, then a new dial.
            for (int attempt = 0; attempt < 4 && !up; attempt++) {
                Dialer d = rig.dial();
                try {
                    d.ipUp().get(120, TimeUnit.SECONDS);
                    up = true;
                } catch (TimeoutException | java.util.concurrent.ExecutionException e) {
                    // fall through to the next attempt
                }
                if (up) {
                    d.hangUp("test finished", 5000);
                } else {
                    releaseLikeDialCommand(d, "attempt failed");
                }
                if (baseline == null) {
                    assertLnsClean(rig);
                    baseline = Counts.now(rig);
                }
            }
            assertTrue(up, "came up within four attempts through 30 % loss");
            assertTrue(relay.stats(ImpairRelay.Direction.UP).impairment().lost() > 0);
            assertLnsClean(rig);
            assertBackTo(baseline, rig);
        }
    }

    @Test
    void randomAndReplayedDatagramsAtBothRolesDoNotDisturbASessionCarryingTraffic(@TempDir Path tmp) throws Exception {
        try (RelayRig rig = new RelayRig("fsp", 2, 5)) {
            rig.startLns();
            Path pcap = tmp.resolve("spray.pcap");
            ImpairRelay relay = rig.startRelay(Impairment.Profile.NONE, Impairment.Profile.NONE, 1, pcap);
            upAndPing(rig, 60).hangUp("warm-up", 3000);
            assertLnsClean(rig);
            Counts baseline = Counts.now(rig);

            Dialer d = upAndPing(rig, 60);
            InetSocketAddress lac = relay.clientAddresses().get(0);
            Dialer.Status st = d.status();
            Process ping = rig.lac.start("ping", "-c", "60", "-i", "0.25", "-W", "2", "198.51.100.1");
            SplittableRandom random = new SplittableRandom(11);
            // 1. From a stranger in the relay's namespace: random bytes and L2TP-shaped junk with
            //    the live tunnel and session ids, at the LNS and at the LAC.
            rig.relayNs.run(() -> {
                try (DatagramChannel stranger = DatagramChannel.open().bind(new InetSocketAddress("203.0.113.5", 0));
                     DatagramChannel stranger2 = DatagramChannel.open().bind(new InetSocketAddress("203.0.113.2", 0))) {
                    // About 500 a second at each role for 4 s, while the ping runs.
                    for (int i = 0; i < 2000; i++) {
                        byte[] junk = junk(random, st);
                        stranger.send(ByteBuffer.wrap(junk), RelayRig.LNS);
                        stranger2.send(ByteBuffer.wrap(junk), lac);
                        if (i % 10 == 9) {
                            Thread.sleep(20);
                        }
                    }
                }
            });
            // 2. Replays with the real addresses and ports: everything captured so far, each way,
            //    injected by the relay as if the peer had sent it again (old Ns, old LCP, old IP).
            List<byte[][]> records = records(pcap, relay);
            int replayed = 0;
            for (byte[][] r : records) {
                relay.inject(r[0][0] == 0 ? ImpairRelay.Direction.UP : ImpairRelay.Direction.DOWN, lac, r[1]);
                if (++replayed % 10 == 0) {
                    Thread.sleep(20);
                }
            }
            // 3. Random payloads injected on the real 5-tuple too.
            for (int i = 0; i < 2000; i++) {
                relay.inject(i % 2 == 0 ? ImpairRelay.Direction.UP : ImpairRelay.Direction.DOWN, lac, junk(random, st));
                if (i % 10 == 9) {
                    Thread.sleep(20);
                }
            }
            assertTrue(ping.waitFor(60, TimeUnit.SECONDS), "ping finished");
            String out;
            try (var stdout = ping.getInputStream(); var stdin = ping.getOutputStream()) {
                out = new String(stdout.readAllBytes());
            }
            int received = Integer.parseInt(out.replaceAll("(?s).* (\\d+) received.*", "$1"));
            // Pings during the spray may be lost: the 2 cores are shared by the spray, both roles and
            // the relay, and replayed LCP Configure-Requests make PPP renegotiate, as RFC 1661 §4.3
            // (RCR in Opened) requires. The session must carry traffic through it, stay up, and carry it after.
            assertTrue(received > 0, "the session carried traffic during the spray: " + out);
            assertTrue(replayed > 20, "replayed " + replayed);
            assertFalse(d.down().isDone(), "the session stayed up: " + (d.down().isDone() ? d.down().getNow("") : ""));
            NetNs.Result after = rig.lac.run(30, TimeUnit.SECONDS, "ping", "-c", "3", "-W", "2", "198.51.100.1");
            assertEquals(0, after.status(), after.output());
            d.hangUp("test finished", 3000);
            assertLnsClean(rig);
            assertBackTo(baseline, rig);
        }
    }

    /** Random bytes, or an L2TP header (control or data) with the live ids and a random body. */
    private static byte[] junk(SplittableRandom r, Dialer.Status st) {
        int len = 1 + r.nextInt(200);
        byte[] b = new byte[Math.max(len, 12)];
        r.nextBytes(b);
        switch (r.nextInt(3)) {
            case 0 -> {
                return b; // noise
            }
            case 1 -> { // control message to the live tunnel: T, L, S, version 2
                ByteBuffer.wrap(b).putShort((short) 0xc802).putShort((short) b.length)
                        .putShort((short) (r.nextBoolean() ? st.tunnelId() : st.peerTunnelId())).putShort((short) 0);
                return b;
            }
            default -> { // data message to the live session
                ByteBuffer.wrap(b).putShort((short) 0x0002)
                        .putShort((short) (r.nextBoolean() ? st.tunnelId() : st.peerTunnelId()))
                        .putShort((short) (r.nextBoolean() ? st.sessionId() : st.peerSessionId()));
                return b;
            }
        }
    }

    /**
     * The datagrams the relay sent in the capture, as {direction (0 up, 1 down)}, payload: up =
     * to the LNS, down = from the relay's listening port to the LAC.
     */
    private static List<byte[][]> records(Path pcap, ImpairRelay relay) throws Exception {
        RelayRig.await(10, "the capture to be flushed", () -> {
            try {
                return Files.size(pcap) > 24;
            } catch (java.io.IOException e) {
                return false;
            }
        });
        Thread.sleep(1100); // the relay flushes its capture once a second
        ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(pcap)).order(ByteOrder.LITTLE_ENDIAN);
        b.position(24);
        List<byte[][]> out = new ArrayList<>();
        while (b.remaining() >= 16) {
            b.getInt();
            b.getInt();
            int incl = b.getInt();
            b.getInt();
            if (b.remaining() < incl) {
                break;
            }
            byte[] pkt = new byte[incl];
            b.get(pkt);
            ByteBuffer p = ByteBuffer.wrap(pkt);
            int ihl = (pkt[0] & 0x0f) * 4;
            int srcPort = p.getShort(ihl) & 0xffff;
            int dstPort = p.getShort(ihl + 2) & 0xffff;
            byte[] src = new byte[] {pkt[12], pkt[13], pkt[14], pkt[15]};
            byte[] dst = new byte[] {pkt[16], pkt[17], pkt[18], pkt[19]};
            byte[] payload = java.util.Arrays.copyOfRange(pkt, ihl + 8, pkt.length);
            boolean up = java.util.Arrays.equals(dst, RelayRig.LNS.getAddress().getAddress()) && dstPort == 1701;
            boolean down = java.util.Arrays.equals(src, RelayRig.RELAY.getAddress().getAddress()) && srcPort == 1701;
            if (up || down) {
                out.add(new byte[][] {{(byte) (up ? 0 : 1)}, payload});
            }
        }
        return out;
    }
}
