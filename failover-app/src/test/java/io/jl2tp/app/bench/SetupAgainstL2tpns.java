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
 * {@code java -cp jl2tp.jar:test-classes:testkit-classes io.jl2tp.app.bench.SetupAgainstL2tpns [N]}.
 */
public final class SetupAgainstL2tpns {

    private SetupAgainstL2tpns() {
    }

    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 10;
        long rehearsed = Rehearsal.start().get(30, TimeUnit.SECONDS);
        System.out.printf("rehearsal %d ms%n", TimeUnit.NANOSECONDS.toMillis(rehearsed));
        ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
        try (L2tpnsFixture lns = L2tpnsFixture.start()) {
            SecretsFile users = SecretsFile.parse(lns.user() + " * " + lns.password() + "\n", "bench", p -> {
                throw new IllegalStateException();
            });
            byte[] secret = lns.tunnelSecret().getBytes(StandardCharsets.US_ASCII);
            InetSocketAddress target = new InetSocketAddress(lns.lnsAddress(), lns.port());
            TunnelConfig tunnel = TunnelConfig.defaults("jl2tp-bench").withSecret(secret, true);
            PppdOptions ppp = new PppdOptions(PppSettings.builder().auth(a -> a.name(lns.user()))
                    .ipv6cp(v -> v.enabled(true).useIpaddr(true)).ipcp(i -> i.usePeerDns(true)).build(),
                    PppdAppOptions.builder().ifname("l2tp-bench").build(), List.of());
            for (boolean warm : new boolean[] {false, true}) {
                List<Long> setups = new ArrayList<>();
                for (int i = 1; i <= n; i++) {
                    Dialer d = new Dialer(new Dialer.Config("bench", target, tunnel, SessionConfig.defaults(), ppp, users,
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
                    System.out.printf(Locale.ROOT, "l2tpns %s %d of %d: %s to IPCP up %.1f ms%n", warm ? "warm" : "cold", i, n,
                            warm ? "ICRQ" : "SCCRQ", d.sccrqToIpcpUpNanos() / 1e6);
                    d.hangUp("bench", 2000);
                    Thread.sleep(300); // l2tpns frees the session and tunnel
                }
                System.out.printf(Locale.ROOT, "l2tpns %s: median %.1f ms of %d%n", warm ? "warm" : "cold",
                        DemoCommand.median(setups) / 1e6, n);
            }
        } finally {
            scheduler.shutdownNow();
        }
    }
}
