package io.jl2tp.app.harness;

import io.jl2tp.app.harness.ImpairCommand.BadFlag;
import io.jl2tp.app.harness.lac.HarnessLac;
import io.jl2tp.app.harness.lac.LacShards;
import io.jl2tp.app.harness.lac.HarnessLacConfig;
import io.jl2tp.app.harness.lac.LacReport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Unmatched;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code jl2tp harness lac}: the scriptable harness LAC (and load generator) from the command line. */
@Command(name = "lac", aliases = "load", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"A LAC to point at any LNS: dials --tunnels N with --sessions M calls each, brings PPP up in user"
                + " space, pings the LNS's PPP address through every call and reports the outcome.",
            "The report: calls up, set-up latency p50 and p99 (call placed to IPCP up), set-up rate, failures by cause,"
                + " echo round trips; --json prints it as JSON.",
            "Misbehaviour comes from --scenario FILE and --misbehave LINE, as for 'jl2tp harness lns' (see its --help).",
            "With --stream each call sends a sequence-numbered UDP stream to the LNS's PPP address and the report adds what"
                + " arrived of the LNS's stream (run 'jl2tp harness lns --stream' too): loss, reordering, duplicates, one-way"
                + " latency p50/p95/p99/max per session and in total; the LNS reports the LAC's stream.",
            "It stops once every call is up and pinged (and its stream done) or has failed (or at --timeout, default 60s"
                + " plus --stream-duration); --hold keeps the calls up until"
                + " SIGTERM/SIGINT, for the --control socket.",
            "As 'jl2tp harness load' it is the load generator: calls go round the tunnels at --rate, at most"
                + " --max-pending in set-up at once, the tunnels spread over --loops event loops (one per core by default).",
            "Exit status: 0 if every call came up, 1 otherwise, 2 for bad flags."},
        footer = {"", "Example:", "  jl2tp harness lac --lns 127.0.0.1:1701 --tunnels 10 --sessions 10 \\",
            "      --user alice --secret s3cret --rate 500",
            "  jl2tp harness load --lns 127.0.0.1:1701 --tunnels 100 --sessions 100 \\",
            "      --user alice --secret s3cret --rate 1000 --pings 1"})
public final class LacHarnessCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--lns", paramLabel = "HOST[:PORT]", description = "the LNS (port 1701 if omitted)")
    String lns;

    @Option(names = "--bind", paramLabel = "ADDR:PORT", description = "local UDP address (default: any, ephemeral port)")
    String bind;

    @Option(names = "--tunnels", paramLabel = "N", description = "tunnels to open (default 1)")
    String tunnels = "1";

    @Option(names = "--sessions", paramLabel = "M", description = "calls per tunnel (default 1)")
    String sessions = "1";

    @Option(names = "--user", paramLabel = "NAME", description = "PPP user name (default harness)")
    String user = "harness";

    @Option(names = "--secret", paramLabel = "SECRET", description = "PPP secret")
    String secret;

    @Option(names = "--secret-file", paramLabel = "FILE", description = "PPP secret from a file (mode 0600)")
    Path secretFile;

    @Option(names = "--rate", paramLabel = "R", description = "calls placed per second (default 1000)")
    String rate;

    @Option(names = "--max-pending", paramLabel = "N",
            description = "calls in set-up at once; more wait until earlier ones are up or failed (default 200)")
    String maxPending;

    @Option(names = "--loops", paramLabel = "N",
            description = "event loops (each a UDP socket with a share of the tunnels; default: one per core,"
                    + " 1 with a fixed --bind port or --pcap)")
    String loops;

    @Option(names = "--pings", paramLabel = "N", description = "echo requests per call, one a second (default 1)")
    String pings;

    @Option(names = "--ping-ipv6", description = "also ping the LNS's IPv6 link-local address through each call")
    boolean pingIpv6;

    @Option(names = "--no-ipv6", description = "do not negotiate IPV6CP")
    boolean noIpv6;

    @Mixin
    TunnelOptions tunnel;

    @Mixin
    StreamOptions streams;

    @Option(names = "--pcap", paramLabel = "FILE", description = "write what the LAC sent and received (libpcap)")
    Path pcap;

    @Option(names = "--timeout", paramLabel = "TIME", description = "give up waiting for the calls after this long (default 60s)")
    String timeout;

    @Option(names = "--hold", description = "keep the calls up until SIGTERM/SIGINT (or --timeout)")
    boolean hold;

    @Option(names = "--json", description = "print the report as JSON")
    boolean json;

    @Unmatched
    List<String> unmatched = new ArrayList<>();

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        HarnessLacConfig config;
        long waitNanos;
        try {
            config = config();
            // Without --timeout: a minute, plus the streams' time (the run waits for them to end).
            waitNanos = timeout == null ? 60_000_000_000L + (config.streams() == null ? 0 : config.streams().duration().toNanos())
                    : ImpairCommand.nanos("--timeout", timeout);
            if (waitNanos <= 0) {
                throw new BadFlag("--timeout " + timeout + ": must be positive");
            }
        } catch (BadFlag e) {
            err.println("jl2tp harness lac: " + e.getMessage());
            err.flush();
            return 2;
        }
        LacShards lac;
        try {
            lac = LacShards.start(config);
        } catch (java.io.IOException e) {
            err.println("jl2tp harness lac: " + e.getMessage());
            err.flush();
            return 1;
        }
        HarnessLac.Result r;
        try {
            if (hold) {
                HarnessFlags.run(tunnel.control, lac::command, waitNanos, null, err);
                r = lac.result();
            } else {
                java.util.concurrent.CountDownLatch done = new java.util.concurrent.CountDownLatch(1);
                Thread w = new Thread(() -> {
                    try {
                        lac.awaitSettled(Duration.ofNanos(waitNanos));
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    done.countDown();
                }, "harness-lac-wait");
                w.setDaemon(true);
                w.start();
                HarnessFlags.run(tunnel.control, lac::command, waitNanos, done, err);
                r = lac.result();
            }
        } finally {
            lac.close();
        }
        out.println(json ? LacReport.json(r) : LacReport.text(r, false));
        out.flush();
        return r.reachedUp() == config.totalCalls() && r.failures().isEmpty() ? 0 : 1;
    }

    /** The LAC's settings from the flags; {@link BadFlag} names the first one that is wrong. */
    HarnessLacConfig config() throws BadFlag {
        HarnessFlags.noUnmatched(unmatched);
        if (lns == null) {
            throw new BadFlag("--lns HOST[:PORT] is required");
        }
        HarnessLacConfig c = new HarnessLacConfig().lns(ImpairCommand.address("--lns", lns, 1701));
        if (bind != null) {
            c.bind(ImpairCommand.address("--bind", bind, 0));
        }
        c.tunnels(HarnessFlags.integer("--tunnels", tunnels, 1, 65_535));
        c.sessionsPerTunnel(HarnessFlags.integer("--sessions", sessions, 1, 65_535));
        if (secret != null && secretFile != null) {
            throw new BadFlag("--secret and --secret-file: give one");
        }
        String s = secretFile != null ? HarnessFlags.secretFile("--secret-file", secretFile) : secret;
        c.user(user, s == null ? "" : s);
        TunnelOptions.Checked t = tunnel.check();
        if (pingIpv6 && noIpv6) {
            throw new BadFlag("--ping-ipv6 and --no-ipv6: give one");
        }
        c.tunnelSecret(t.tunnelSecret()).hiddenAvps(t.hiddenAvps()).ipv6(!noIpv6).pingIpv6(pingIpv6);
        if (t.hello() != null) {
            c.hello(t.hello());
        }
        if (t.receiveWindow() != null) {
            c.receiveWindow(t.receiveWindow());
        }
        if (rate != null) {
            c.rate(HarnessFlags.integer("--rate", rate, 1, 1_000_000));
        }
        if (maxPending != null) {
            c.maxPending(HarnessFlags.integer("--max-pending", maxPending, 1, 1_000_000));
        }
        boolean oneSocket = pcap != null || (bind != null && c.bindsFixedPort());
        if (loops != null) {
            int n = HarnessFlags.integer("--loops", loops, 1, 256);
            if (n > 1 && oneSocket) {
                throw new BadFlag("--loops " + n + ": " + (pcap != null ? "--pcap" : "--bind with a port") + " needs one loop");
            }
            c.loops(n);
        } else {
            c.loops(oneSocket ? 1 : Math.min(256, Runtime.getRuntime().availableProcessors()));
        }
        if (pings != null) {
            c.pings(HarnessFlags.integer("--pings", pings, 0, 3600));
        }
        return c.pcap(pcap).scenario(t.scenario()).streams(streams.check());
    }
}
