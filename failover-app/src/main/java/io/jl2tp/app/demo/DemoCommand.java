package io.jl2tp.app.demo;

import io.jl2tp.app.dial.Dialer;
import io.jl2tp.app.dial.StandbyTunnel;
import io.jl2tp.app.harness.ImpairRelay;
import io.jl2tp.app.harness.Impairment;
import io.jl2tp.app.link.Rehearsal;
import io.jl2tp.app.lns.LnsServer;
import io.jl2tp.l2tp.tunnel.SessionConfig;
import io.jl2tp.l2tp.tunnel.TunnelConfig;
import io.jl2tp.ppp.PppEvent;
import io.jl2tp.ppp.PppLink;
import io.jl2tp.app.config.PppdAppOptions;
import io.jl2tp.app.config.PppdOptions;
import io.jl2tp.ppp.options.PppSettings;
import io.jl2tp.ppp.options.SecretsFile;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintStream;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

/**
 * {@code jl2tp demo}: jl2tp's own LNS and jl2tp's dialer in two network namespaces of this
 * machine, a whole L2TP + PPP session between them, pings through the tunnel, a summary, and
 * everything removed again.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = {"Dial jl2tp's own LNS in two network namespaces and ping through the tunnel.",
            "",
            "Creates namespaces jl2tp-demo-lns-PID and jl2tp-demo-lac-PID joined by a veth (203.0.113.1 <-> "
                + "203.0.113.2), runs the LNS (tunnel authentication, hidden AVPs, CHAP) in one and the dialer "
                + "in the other, shows the session coming up phase by phase, pings 198.51.100.1 and the LNS's "
                + "IPv6 link-local address through the tunnel, prints a summary and removes everything.",
            "Needs root (CAP_NET_ADMIN and CAP_SYS_ADMIN) for namespaces and TUN devices, CAP_NET_RAW for the echoes; "
                + "it sends its own ICMP/ICMPv6 echoes (no ping program needed)."})
public final class DemoCommand implements Callable<Integer> {

    @Option(names = "--auth", description = "PPP authentication the LNS requires: chap, pap or mschapv2 (default: ${DEFAULT-VALUE})")
    String auth = "chap";

    @Option(names = "--count", description = "pings per address family (default: ${DEFAULT-VALUE})")
    int count = 3;

    @Option(names = "--repeat", description = "set-ups in a row (each hung up before the next; pings on the last), "
            + "with the median SCCRQ-to-IPCP-up time (default: ${DEFAULT-VALUE})")
    int repeat = 1;

    @Option(names = "--relay-delay", paramLabel = "MS", description = "for set-up benchmarks: put jl2tp's UDP "
            + "impairment relay between the LAC and the LNS, delaying each datagram MS ms each way (default: none)")
    int relayDelayMs = 0;

    @Option(names = "--standby", paramLabel = "cold|warm", description = "for set-up benchmarks: warm = open the L2TP "
            + "tunnel first (as [failover] standby = warm does) and time only the call and PPP, from the ICRQ "
            + "(default: ${DEFAULT-VALUE})")
    String standby = "cold";

    @Option(names = "--proxy-auth", negatable = true, description = "the LAC sends its LCP and CHAP response in the ICCN "
            + "(RFC 2661 proxy LCP and authentication; default: on, as [lac] proxy auth); the demo's LNS, whose tunnel "
            + "is authenticated, takes them")
    Boolean proxyAuth;

    private final PrintStream out = System.out;

    /** " = N RTTs" through the relay, else nothing. */
    private String rtts(double ms) {
        return relayDelayMs > 0 ? String.format(Locale.ROOT, " = %.2f RTTs of %d ms", ms / (2.0 * relayDelayMs), 2 * relayDelayMs) : "";
    }

    /**
     * Warm standby, as {@code [failover] standby = warm} keeps it: a tunnel opened from the LAC
     * namespace and established before the dial; the dial places only its call in it.
     */
    private static StandbyTunnel standbyTunnel(DemoLab lab, InetSocketAddress lns, byte[] secret,
                                               java.util.concurrent.ScheduledExecutorService scheduler) throws Exception {
        StandbyTunnel st = new StandbyTunnel("demo", lns, TunnelConfig.defaults("jl2tp-demo-lac").withSecret(secret, true)
                .withHidden(true), new InetSocketAddress("0.0.0.0", 0), scheduler);
        DemoLab.in(lab.lac, () -> {
            st.open();
            return null;
        });
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!st.established()) {
            if (System.nanoTime() > deadline) {
                st.close();
                throw new IllegalStateException("the standby tunnel did not come up within 10 s");
            }
            Thread.sleep(5);
        }
        return st;
    }

    /** The median of {@code nanos} (the mean of the middle two for an even count). */
    public static double median(List<Long> nanos) {
        List<Long> sorted = new ArrayList<>(nanos);
        Collections.sort(sorted);
        int n = sorted.size();
        return n == 0 ? 0 : n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2.0;
    }

    @Override
    public Integer call() throws Exception {
        if (!isRoot()) {
            System.err.println("jl2tp demo needs root (CAP_NET_ADMIN and CAP_SYS_ADMIN) to create network namespaces and "
                    + "TUN interfaces. Run it as root, e.g.: sudo ./jl2tp demo");
            return 1;
        }
        out.println("jl2tp demo: jl2tp's dialer (LAC + PPP peer) against jl2tp's own LNS (LNS + PPP authenticator)");
        SecretsFile users = SecretsFile.parse("demo * demo-secret\n", "demo users", p -> {
            throw new IllegalStateException("no indirect secrets in the demo");
        });
        byte[] tunnelSecret = "demo-tunnel-secret".getBytes(StandardCharsets.US_ASCII);
        PppSettings.Builder lnsPpp = PppSettings.builder().ipv6cp(v -> v.enabled(true)).auth(a -> {
            a.auth(true);
            switch (auth) {
                case "pap" -> a.requirePap(true);
                case "mschapv2" -> a.requireMschapV2(true);
                default -> a.requireChap(true);
            }
        });
        if (repeat < 1 || repeat > 1000) {
            System.err.println("jl2tp demo: --repeat must be 1..1000");
            return 2;
        }
        if (relayDelayMs < 0 || relayDelayMs > 10_000 || !standby.equals("cold") && !standby.equals("warm")) {
            System.err.println("jl2tp demo: --relay-delay must be 0..10000 ms and --standby cold or warm");
            return 2;
        }
        boolean warm = standby.equals("warm");
        int failures = 0;
        // Loads and links what a session runs while the namespaces are being made (Rehearsal).
        java.util.concurrent.CompletableFuture<Long> rehearsal = Rehearsal.start();
        try (DemoLab lab = new DemoLab()) {
            lab.build();
            out.printf("[1/5] namespaces %s (LNS, 203.0.113.2) and %s (LAC, 203.0.113.1), joined by a veth%n", lab.lns, lab.lac);
            LnsServer lns = new LnsServer(new LnsServer.Config(new InetSocketAddress("203.0.113.2", 1701),
                    TunnelConfig.defaults("jl2tp-demo-lns").withSecret(tunnelSecret, true).withHidden(true),
                    lnsPpp.build(), users, v4("198.51.100.1"), LnsServer.range("198.51.100.", 128, 159),
                    List.of(v4("198.51.100.53"), v4("198.51.100.54"))), e -> { });
            DemoLab.in(lab.lns, () -> {
                lns.start();
                return null;
            });
            out.printf("[2/5] LNS listening on 203.0.113.2:1701 (tunnel authentication, hidden AVPs, %s)%n",
                    auth.toUpperCase());
            PppdOptions lacPpp = new PppdOptions(PppSettings.builder().auth(a -> a.name("demo"))
                    .ipv6cp(v -> v.enabled(true).useIpaddr(true)).ipcp(i -> i.usePeerDns(true))
                    .lcp(l -> l.echoInterval(10).echoFailure(3)).build(),
                    PppdAppOptions.builder().ifname("l2tp-demo").build(), List.of());
            List<Long> setups = new ArrayList<>();
            ImpairRelay relay = null;
            InetSocketAddress target = new InetSocketAddress("203.0.113.2", 1701);
            java.util.concurrent.ScheduledExecutorService standbyScheduler = null;
            try {
                if (relayDelayMs > 0) {
                    Impairment.Profile delay = Impairment.Profile.NONE.withDelay(TimeUnit.MILLISECONDS.toNanos(relayDelayMs), 0);
                    ImpairRelay.Config rc = ImpairRelay.Config.of(new InetSocketAddress("203.0.113.2", 1702), target)
                            .with(delay, delay);
                    relay = DemoLab.in(lab.lns, () -> ImpairRelay.start(rc));
                    target = new InetSocketAddress("203.0.113.2", 1702);
                    out.printf("      through jl2tp's UDP relay on 203.0.113.2:1702: %d ms each way (RTT %d ms)%n",
                            relayDelayMs, 2 * relayDelayMs);
                }
                if (warm) {
                    standbyScheduler = java.util.concurrent.Executors.newSingleThreadScheduledExecutor();
                }
                for (int round = 1; round <= repeat; round++) {
                    boolean last = round == repeat;
                    boolean first = round == 1;
                    Dialer dialer = new Dialer(new Dialer.Config("demo", target,
                            TunnelConfig.defaults("jl2tp-demo-lac").withSecret(tunnelSecret, true).withHidden(true),
                            SessionConfig.defaults().withProxy(proxyAuth == null || proxyAuth), lacPpp, users, "jl2tp-demo-lac", null),
                            e -> {
                                if (e instanceof PppEvent.PhaseChanged p && first) {
                                    out.println("      PPP phase: " + p.phase());
                                }
                            });
                    try {
                        if (round == 1) {
                            long rehearsed = rehearsal.get(30, TimeUnit.SECONDS);
                            out.println("[3/5] dialling from the LAC namespace" + (rehearsed < 0 ? " (no rehearsal: -D"
                                    + Rehearsal.PROPERTY + "=false)" : String.format(Locale.ROOT, " (one session rehearsed "
                                    + "over loopback first, %d ms, while the namespaces were made)",
                                    TimeUnit.NANOSECONDS.toMillis(rehearsed))) + ":");
                        }
                        if (warm) {
                            StandbyTunnel st = standbyTunnel(lab, target, tunnelSecret, standbyScheduler);
                            dialer.standby(st);
                        }
                        long t0 = System.nanoTime();
                        DemoLab.in(lab.lac, () -> {
                            dialer.start();
                            return null;
                        });
                        PppEvent.IpUp up = dialer.ipUp().get(30, TimeUnit.SECONDS);
                        PppEvent.Ipv6Up v6 = dialer.ipv6Up().get(30, TimeUnit.SECONDS);
                        long allMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
                        double setupMs = dialer.sccrqToIpcpUpNanos() / 1e6;
                        setups.add(dialer.sccrqToIpcpUpNanos());
                        if (repeat > 1) {
                            out.printf(Locale.ROOT, "      set-up %d of %d: %s to IPCP up %.1f ms%s%n", round, repeat,
                                    warm ? "ICRQ" : "SCCRQ", setupMs, rtts(setupMs));
                        }
                        if (!last) {
                            continue;
                        }
                        out.printf(Locale.ROOT, "      session up: %s to IPCP up in %.1f ms%s (%d ms from dialling to both "
                                + "interfaces configured): %s is %s, peer %s%n", warm ? "ICRQ" : "SCCRQ", setupMs, rtts(setupMs),
                                allMs, dialer.ifname(),
                                up.local().getHostAddress(), up.remote().getHostAddress());
                        // The LNS configures its end off its event loop once its NCPs are up, which
                        // may be a moment after ours: an echo sent before would be dropped there.
                        int lnsSession = dialer.status().peerSessionId();
                        long settle = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
                        while (!lns.interfaceConfigured(lnsSession, true) && System.nanoTime() < settle) {
                            Thread.sleep(2);
                        }
                        String rtt4 = ping(lab, up.remote(), dialer.ifname());
                        out.printf("[4/5] ping %s through the tunnel: %s%n", up.remote().getHostAddress(), rtt4);
                        String ll = PppLink.compact(v6.remoteLinkLocal());
                        String rtt6 = ping(lab, v6.remoteLinkLocal(), dialer.ifname());
                        out.printf("      ping6 %s%%%s through the tunnel: %s%n", ll, dialer.ifname(), rtt6);
                        failures += answered(rtt4) ? 0 : 1;
                        failures += answered(rtt6) ? 0 : 1;
                        Dialer.Status s = dialer.status();
                        out.println("Summary");
                        out.printf("  tunnel    %d (LNS's id %d), session %d (LNS's id %d)%n", s.tunnelId(), s.peerTunnelId(),
                                s.sessionId(), s.peerSessionId());
                        out.printf("  IPv4      local %s, peer %s, DNS %s%n", s.local().getHostAddress(),
                                s.remote().getHostAddress(), s.dns().stream().map(InetAddress::getHostAddress).toList());
                        out.printf("  IPv6      local %s, peer %s%n", PppLink.compact(s.localLl()), PppLink.compact(s.remoteLl()));
                        out.printf(Locale.ROOT, "  set-up    %.1f ms (%s to IPCP up)%s%n", setupMs, warm ? "ICRQ" : "SCCRQ",
                                repeat > 1
                                ? String.format(Locale.ROOT, "; %d set-ups: first %.1f ms, median %.1f ms, median of the "
                                        + "later ones %.1f ms", repeat, setups.get(0) / 1e6, median(setups) / 1e6,
                                        median(setups.subList(1, setups.size())) / 1e6) : "");
                        out.printf("  RTT       IPv4 %s; IPv6 %s%n", rtt4, rtt6);
                        out.printf("  traffic   sent %d packets / %d bytes, received %d packets / %d bytes%n", s.txPackets(),
                                s.txBytes(), s.rxPackets(), s.rxBytes());
                    } finally {
                        if (last) {
                            out.println("[5/5] hanging up (LCP Terminate, CDN, StopCCN) and removing the namespaces");
                        }
                        dialer.hangUp(last ? "demo finished" : "next set-up", 2000);
                    }
                }
            } finally {
                if (relay != null) {
                    relay.close();
                }
                if (standbyScheduler != null) {
                    standbyScheduler.shutdownNow();
                }
                lns.close();
            }
        }
        out.println(failures == 0 ? "Demo OK." : "Demo FAILED: " + failures + " ping(s) got no reply.");
        return failures == 0 ? 0 : 1;
    }

    /** Echoes from the LAC namespace through the tunnel interface: no {@code ping} program involved. */
    private String ping(DemoLab lab, InetAddress target, String ifname) {
        try {
            return DemoLab.in(lab.lac, () -> DemoEcho.ping(target, ifname, count, Duration.ofMillis(200),
                    Duration.ofSeconds(2))).toString();
        } catch (Exception e) {
            return "FAILED (" + e.getMessage() + ")";
        }
    }

    /** As ping's exit status: answered when at least one echo came back. */
    private static boolean answered(String result) {
        return result.matches("[1-9]\\d*/\\d+ replies.*");
    }

    private static Inet4Address v4(String s) throws Exception {
        return (Inet4Address) InetAddress.getByName(s);
    }

    static boolean isRoot() {
        try {
            return new com.sun.security.auth.module.UnixSystem().getUid() == 0;
        } catch (Throwable t) {
            return false;
        }
    }
}
