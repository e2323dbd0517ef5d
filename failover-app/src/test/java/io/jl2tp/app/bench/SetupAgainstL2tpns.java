package io.jl2tp.app.bench;

import io.jl2tp.app.config.PppdAppOptions;
import io.jl2tp.app.config.PppdOptions;
import io.jl2tp.app.demo.DemoCommand;
import io.jl2tp.app.dial.Dialer;
import io.jl2tp.app.dial.StandbyTunnel;
import io.jl2tp.app.link.Rehearsal;
import io.jl2tp.l2tp.tunnel.SessionConfig;
import io.jl2tp.l2tp.tunnel.TunnelConfig;
import io.jl2tp.ppp.options.PppSettings;
import io.jl2tp.ppp.options.SecretsFile;
import io.jl2tp.testkit.L2tpnsFixture;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Set-up latency against the real l2tpns (issue 14), for {@code bench/run-setup-latency.sh
 * --l2tpns}: jl2tp's dialer in the fixture's LAC namespace dials l2tpns (CHAP, tunnel secret;
 * l2tpns asks its FreeRADIUS) N times cold — SCCRQ → IPCP up — and N times into a warm standby
 * tunnel — ICRQ → IPCP up — printing each and the medians. Not a test. Run as root:
 * {@code java -cp jl2tp.jar:test-classes:testkit-classes io.jl2tp.app.bench.SetupAgainstL2tpns [N [DELAY_MS [proxy]]]}:
 * with DELAY_MS, through jl2tp's UDP relay in the LNS namespace (203.0.113.2:1801 → l2tpns; 1702 is l2tpns's own), each
 * datagram delayed DELAY_MS each way, and the set-ups also in round trips; with {@code proxy}, the
 * dialer sends RFC 2661 §4.4.5 proxy LCP and authentication, which l2tpns ignores.
 */
public final class SetupAgainstL2tpns {

    private SetupAgainstL2tpns() {
    }

    /** " = N RTTs of 2 x delay" with a delay, else nothing. */
    private static String rtts(double nanos, int delayMs) {
        return delayMs > 0 ? String.format(Locale.ROOT, " = %.2f RTTs of %d ms", nanos / 1e6 / (2.0 * delayMs), 2 * delayMs) : "";
    }

    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 10;
        int delayMs = args.length > 1 ? Integer.parseInt(args[1]) : 0;
        boolean proxy = args.length > 2 && args[2].equals("proxy");
        long rehearsed = Rehearsal.start().get(30, TimeUnit.SECONDS);
        System.out.printf("rehearsal %d ms%n", TimeUnit.NANOSECONDS.toMillis(rehearsed));
        ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
        try (L2tpnsFixture lns = L2tpnsFixture.start()) {
            SecretsFile users = SecretsFile.parse(lns.user() + " * " + lns.password() + "\n", "bench", p -> {
                throw new IllegalStateException();
            });
            byte[] secret = lns.tunnelSecret().getBytes(StandardCharsets.US_ASCII);
            InetSocketAddress target = new InetSocketAddress(lns.lnsAddress(), lns.port());
            io.jl2tp.app.harness.ImpairRelay relay = null;
            if (delayMs > 0) {
                io.jl2tp.app.harness.Impairment.Profile delay = io.jl2tp.app.harness.Impairment.Profile.NONE
                        .withDelay(TimeUnit.MILLISECONDS.toNanos(delayMs), 0);
                io.jl2tp.app.harness.ImpairRelay.Config rc = io.jl2tp.app.harness.ImpairRelay.Config
                        .of(new InetSocketAddress(lns.lnsAddress(), 1801), target).with(delay, delay);
                relay = lns.lnsNamespace().call(() -> io.jl2tp.app.harness.ImpairRelay.start(rc));
                target = new InetSocketAddress(lns.lnsAddress(), 1801);
                System.out.printf("through jl2tp's UDP relay on %s:1801, %d ms each way%s%n", lns.lnsAddress(),
                        delayMs, proxy ? ", proxy LCP/auth in the ICCN" : "");
            }
            TunnelConfig tunnel = TunnelConfig.defaults("jl2tp-bench").withSecret(secret, true);
            PppdOptions ppp = new PppdOptions(PppSettings.builder().auth(a -> a.name(lns.user()))
                    .ipv6cp(v -> v.enabled(true).useIpaddr(true)).ipcp(i -> i.usePeerDns(true)).build(),
                    PppdAppOptions.builder().ifname("l2tp-bench").build(), List.of());
            for (boolean warm : new boolean[] {false, true}) {
                List<Long> setups = new ArrayList<>();
                for (int i = 1; i <= n; i++) {
                    Dialer d = new Dialer(new Dialer.Config("bench", target, tunnel, SessionConfig.defaults().withProxy(proxy), ppp, users,
                            "jl2tp-bench", null), e -> { });
                    if (warm) {
                        StandbyTunnel st = new StandbyTunnel("bench", target, tunnel,
                                new InetSocketAddress(L2tpnsFixture.LAC_IP, 0), scheduler);
                        lns.lacNamespace().run(st::open);
                        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                        while (!st.established() && System.nanoTime() < deadline) {
                            Thread.sleep(5);
                        }
                        d.standby(st);
                    }
                    lns.lacNamespace().run(d::start);
                    d.ipUp().get(30, TimeUnit.SECONDS);
                    setups.add(d.sccrqToIpcpUpNanos());
                    System.out.printf(Locale.ROOT, "l2tpns %s %d of %d: %s to IPCP up %.1f ms%s%n", warm ? "warm" : "cold", i, n,
                            warm ? "ICRQ" : "SCCRQ", d.sccrqToIpcpUpNanos() / 1e6, rtts(d.sccrqToIpcpUpNanos(), delayMs));
                    d.hangUp("bench", 2000);
                    Thread.sleep(300); // l2tpns frees the session and tunnel
                }
                double median = DemoCommand.median(setups);
                System.out.printf(Locale.ROOT, "l2tpns %s: median %.1f ms of %d%s%n", warm ? "warm" : "cold", median / 1e6, n,
                        rtts(median, delayMs));
            }
            if (relay != null) {
                relay.close();
            }
        } finally {
            scheduler.shutdownNow();
        }
    }
}
