package io.jl2tp.app.harness;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Unmatched;
import sun.misc.Signal;

import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/** {@code jl2tp harness impair}: the impairment relay from the command line. */
@Command(name = "impair", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"A UDP relay that puts a lossy, slow path between any LAC and LNS (or any two UDP peers).",
            "Point the LAC at --listen; the relay forwards to --to from one socket per client address and relays",
            "the replies back. Each impairment flag sets both directions; its -up form (client -> --to, LAC -> LNS)",
            "or -down form (--to -> client, LNS -> LAC) overrides it for one direction, e.g.",
            "  --loss 20 --loss-down 5 --delay 60 --jitter 20",
            "Durations are milliseconds, or take a unit: 60ms, 1.5s, 500us. Rates are bit/s with k, M or G.",
            "The same --seed and the same traffic give the same loss, duplication, reordering and jitter.",
            "A black hole drops everything both ways for a while: SIGUSR1 (--blackhole-seconds), or",
            "'blackhole SECONDS' / 'blackhole off' / 'stats' written to the --control FIFO.",
            "SIGTERM/SIGINT (or --duration) stop it; the counters of each direction are printed at exit."},
        footer = {"", "Example:", "  jl2tp harness impair --listen 127.0.0.1:1702 --to 203.0.113.6:1701 \\",
            "      --loss 20 --delay 60 --jitter 20 --seed 7"})
public final class ImpairCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--listen", paramLabel = "ADDR:PORT", description = "where clients (the LAC) send; IPv6 as [addr]:port")
    String listen;

    @Option(names = "--to", paramLabel = "HOST:PORT", description = "where the relay forwards (the LNS; port 1701 if omitted)")
    String to;

    @Option(names = "--loss", paramLabel = "PCT", description = "percentage of datagrams dropped (0-100)")
    String loss;
    @Option(names = "--loss-up", paramLabel = "PCT", hidden = true)
    String lossUp;
    @Option(names = "--loss-down", paramLabel = "PCT", hidden = true)
    String lossDown;

    @Option(names = "--duplicate", paramLabel = "PCT", description = "percentage of datagrams sent twice")
    String duplicate;
    @Option(names = "--duplicate-up", paramLabel = "PCT", hidden = true)
    String duplicateUp;
    @Option(names = "--duplicate-down", paramLabel = "PCT", hidden = true)
    String duplicateDown;

    @Option(names = "--reorder", paramLabel = "PCT", description = "percentage of datagrams held back and overtaken")
    String reorder;
    @Option(names = "--reorder-up", paramLabel = "PCT", hidden = true)
    String reorderUp;
    @Option(names = "--reorder-down", paramLabel = "PCT", hidden = true)
    String reorderDown;

    @Option(names = "--reorder-distance", paramLabel = "N", description = "how many later datagrams overtake a held one (default 1;"
            + " a held one leaves after 200 ms at the latest)")
    String distance;
    @Option(names = "--reorder-distance-up", paramLabel = "N", hidden = true)
    String distanceUp;
    @Option(names = "--reorder-distance-down", paramLabel = "N", hidden = true)
    String distanceDown;

    @Option(names = "--delay", paramLabel = "TIME", description = "one-way delay (default 0)")
    String delay;
    @Option(names = "--delay-up", paramLabel = "TIME", hidden = true)
    String delayUp;
    @Option(names = "--delay-down", paramLabel = "TIME", hidden = true)
    String delayDown;

    @Option(names = "--jitter", paramLabel = "TIME", description = "uniform +/- variation of the delay (at most the delay)")
    String jitter;
    @Option(names = "--jitter-up", paramLabel = "TIME", hidden = true)
    String jitterUp;
    @Option(names = "--jitter-down", paramLabel = "TIME", hidden = true)
    String jitterDown;

    @Option(names = "--rate", paramLabel = "BITS", description = "rate limit in bit/s, a token bucket with a FIFO queue (default: none)")
    String rate;
    @Option(names = "--rate-up", paramLabel = "BITS", hidden = true)
    String rateUp;
    @Option(names = "--rate-down", paramLabel = "BITS", hidden = true)
    String rateDown;

    @Option(names = "--queue", paramLabel = "N", description = "datagrams the rate limiter queues before it drops (default 100)")
    String queue;
    @Option(names = "--queue-up", paramLabel = "N", hidden = true)
    String queueUp;
    @Option(names = "--queue-down", paramLabel = "N", hidden = true)
    String queueDown;

    @Option(names = "--seed", paramLabel = "N", description = "seed of the decisions (default: random, printed at start)")
    String seed;

    @Option(names = "--control", paramLabel = "PATH", description = "control FIFO to create (blackhole SECONDS|off, stats)")
    Path control;

    @Option(names = "--blackhole-seconds", paramLabel = "S", description = "how long SIGUSR1 black-holes the path (default 30)")
    String blackholeSeconds;

    @Option(names = "--pcap", paramLabel = "FILE", description = "write what the relay received and sent (libpcap, LINKTYPE_RAW)")
    Path pcap;

    @Option(names = "--max-clients", paramLabel = "N", description = "client addresses served at once (default 256)")
    String maxClients;

    @Option(names = "--idle-timeout", paramLabel = "TIME", description = "close a client's mapping after this long idle (default 300s)")
    String idleTimeout;

    @Option(names = "--duration", paramLabel = "TIME", description = "stop after this long (default: run until SIGTERM/SIGINT)")
    String duration;

    @Unmatched
    List<String> unmatched = new ArrayList<>();

    /** A flag that cannot be used: the message names it. */
    static final class BadFlag extends Exception {
        BadFlag(String message) {
            super(message);
        }
    }

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        ImpairRelay.Config config;
        long blackhole;
        Long runFor;
        try {
            config = config();
            blackhole = blackholeSeconds == null ? 30_000_000_000L : positiveNanos("--blackhole-seconds", blackholeSeconds + "s");
            runFor = duration == null ? null : positiveNanos("--duration", duration);
        } catch (BadFlag e) {
            err.println("jl2tp harness impair: " + e.getMessage());
            err.flush();
            return 2;
        }
        ImpairRelay relay = ImpairRelay.start(config);
        CountDownLatch stop = new CountDownLatch(1);
        ImpairControl fifo = null;
        try {
            out.println("impair: " + format(relay.localAddress()) + " -> " + format(config.to()) + ", seed " + config.seed());
            out.println("  up   (client -> " + format(config.to()) + "): " + config.up());
            out.println("  down (" + format(config.to()) + " -> client): " + config.down());
            out.flush();
            if (control != null) {
                fifo = ImpairControl.open(control, relay, line -> {
                    out.println(line);
                    out.flush();
                });
            }
            Signal.handle(new Signal("TERM"), s -> stop.countDown());
            Signal.handle(new Signal("INT"), s -> stop.countDown());
            Signal.handle(new Signal("USR1"), s -> relay.blackhole(Duration.ofNanos(blackhole)));
            if (runFor != null) {
                stop.await(runFor, TimeUnit.NANOSECONDS);
            } else {
                stop.await();
            }
        } finally {
            if (fifo != null) {
                fifo.close();
            }
            relay.close();
        }
        out.println("up   " + relay.stats(ImpairRelay.Direction.UP).line());
        out.println("down " + relay.stats(ImpairRelay.Direction.DOWN).line());
        out.flush();
        return 0;
    }

    /** The relay's settings from the flags; {@link BadFlag} names the first flag that is wrong. */
    ImpairRelay.Config config() throws BadFlag {
        if (!unmatched.isEmpty()) {
            throw new BadFlag((unmatched.get(0).startsWith("-") ? "unknown option " : "unexpected argument ") + unmatched.get(0)
                    + " (see --help)");
        }
        if (listen == null || to == null) {
            throw new BadFlag("--listen ADDR:PORT and --to HOST:PORT are required");
        }
        InetSocketAddress l = address("--listen", listen, -1);
        InetSocketAddress t = address("--to", to, 1701);
        if (t.getAddress().isAnyLocalAddress() || t.getPort() == 0) {
            throw new BadFlag("--to " + to + ": needs a host address and a port");
        }
        Impairment.Profile up = profile("up", lossUp, duplicateUp, reorderUp, distanceUp, delayUp, jitterUp, rateUp, queueUp);
        Impairment.Profile down = profile("down", lossDown, duplicateDown, reorderDown, distanceDown, delayDown, jitterDown,
                rateDown, queueDown);
        long s;
        if (seed == null) {
            s = ThreadLocalRandom.current().nextLong(1, 1L << 31);
        } else {
            try {
                s = Long.parseLong(seed);
            } catch (NumberFormatException e) {
                throw new BadFlag("--seed " + seed + ": not an integer");
            }
        }
        int clients = maxClients == null ? 256 : (int) integer("--max-clients", maxClients, 1, 65_535);
        long idle = idleTimeout == null ? 300_000_000_000L : positiveNanos("--idle-timeout", idleTimeout);
        return new ImpairRelay.Config(l, t, up, down, s, pcap, clients, Duration.ofNanos(idle));
    }

    private Impairment.Profile profile(String dir, String lossD, String dupD, String reorderD, String distanceD, String delayD,
                                       String jitterD, String rateD, String queueD) throws BadFlag {
        double lo = percent(flag("--loss", dir, lossD), pick(lossD, loss));
        double du = percent(flag("--duplicate", dir, dupD), pick(dupD, duplicate));
        double re = percent(flag("--reorder", dir, reorderD), pick(reorderD, reorder));
        String dist = pick(distanceD, distance);
        int di = dist == null ? 1 : (int) integer(flag("--reorder-distance", dir, distanceD), dist, 1, 1000);
        String de = pick(delayD, delay);
        String ji = pick(jitterD, jitter);
        long deN = de == null ? 0 : nanos(flag("--delay", dir, delayD), de);
        long jiN = ji == null ? 0 : nanos(flag("--jitter", dir, jitterD), ji);
        if (jiN > deN) {
            throw new BadFlag(flag("--jitter", dir, jitterD) + " " + ji + " exceeds the delay (" + (de == null ? "0" : de)
                    + "): a datagram cannot leave before it arrived");
        }
        String ra = pick(rateD, rate);
        long raN = ra == null ? 0 : rate(flag("--rate", dir, rateD), ra);
        String qu = pick(queueD, queue);
        int quN = qu == null ? 100 : (int) integer(flag("--queue", dir, queueD), qu, 1, 1_000_000);
        try {
            return new Impairment.Profile(lo, du, re, di, deN, jiN, raN, quN);
        } catch (IllegalArgumentException e) {
            throw new BadFlag(dir + ": " + e.getMessage());
        }
    }

    private static String pick(String specific, String both) {
        return specific != null ? specific : both;
    }

    private static String flag(String base, String dir, String specific) {
        return specific != null ? base + "-" + dir : base;
    }

    private static double percent(String flag, String v) throws BadFlag {
        if (v == null) {
            return 0;
        }
        String s = v.endsWith("%") ? v.substring(0, v.length() - 1) : v;
        double d;
        try {
            d = Double.parseDouble(s);
        } catch (NumberFormatException e) {
            throw new BadFlag(flag + " " + v + ": not a percentage");
        }
        if (!(d >= 0 && d <= 100)) {
            throw new BadFlag(flag + " " + v + ": a percentage must be from 0 to 100");
        }
        return d;
    }

    private static long integer(String flag, String v, long min, long max) throws BadFlag {
        long n;
        try {
            n = Long.parseLong(v);
        } catch (NumberFormatException e) {
            throw new BadFlag(flag + " " + v + ": not an integer");
        }
        if (n < min || n > max) {
            throw new BadFlag(flag + " " + v + ": must be from " + min + " to " + max);
        }
        return n;
    }

    /** A duration: plain number = milliseconds, or with a unit us, ms, s. */
    static long nanos(String flag, String v) throws BadFlag {
        String s = v.strip().toLowerCase(Locale.ROOT);
        double scale = 1e6;
        String num = s;
        if (s.endsWith("us")) {
            scale = 1e3;
            num = s.substring(0, s.length() - 2);
        } else if (s.endsWith("ms")) {
            num = s.substring(0, s.length() - 2);
        } else if (s.endsWith("s")) {
            scale = 1e9;
            num = s.substring(0, s.length() - 1);
        }
        double d;
        try {
            d = Double.parseDouble(num);
        } catch (NumberFormatException e) {
            throw new BadFlag(flag + " " + v + ": not a duration (60, 60ms, 1.5s, 500us)");
        }
        if (!(d >= 0) || d * scale > 3.6e12) {
            throw new BadFlag(flag + " " + v + ": must be from 0 to 1 hour");
        }
        return Math.round(d * scale);
    }

    private static long positiveNanos(String flag, String v) throws BadFlag {
        long n = nanos(flag, v);
        if (n <= 0) {
            throw new BadFlag(flag + " " + v + ": must be more than 0");
        }
        return n;
    }

    /** A rate in bit/s: a number with an optional k, M or G (powers of 1000). */
    static long rate(String flag, String v) throws BadFlag {
        String s = v.strip();
        double scale = 1;
        if (s.endsWith("k") || s.endsWith("K")) {
            scale = 1e3;
        } else if (s.endsWith("M")) {
            scale = 1e6;
        } else if (s.endsWith("G")) {
            scale = 1e9;
        }
        String num = scale == 1 ? s : s.substring(0, s.length() - 1);
        double d;
        try {
            d = Double.parseDouble(num);
        } catch (NumberFormatException e) {
            throw new BadFlag(flag + " " + v + ": not a rate (bit/s, e.g. 512k, 2M)");
        }
        if (!(d * scale >= 8000) || d * scale > 100e9) {
            throw new BadFlag(flag + " " + v + ": must be from 8k to 100G bit/s");
        }
        return Math.round(d * scale);
    }

    /** ADDR:PORT, [V6ADDR]:PORT, or (with a default port) a bare host. */
    static InetSocketAddress address(String flag, String v, int defaultPort) throws BadFlag {
        String host = v;
        String port = null;
        if (v.startsWith("[")) {
            int end = v.indexOf(']');
            if (end < 0) {
                throw new BadFlag(flag + " " + v + ": missing ']'");
            }
            host = v.substring(1, end);
            if (v.length() > end + 1) {
                if (v.charAt(end + 1) != ':') {
                    throw new BadFlag(flag + " " + v + ": expected ':' after ']'");
                }
                port = v.substring(end + 2);
            }
        } else if (v.indexOf(':') >= 0 && v.indexOf(':') == v.lastIndexOf(':')) {
            host = v.substring(0, v.indexOf(':'));
            port = v.substring(v.indexOf(':') + 1);
        }
        int p;
        if (port == null) {
            if (defaultPort < 0) {
                throw new BadFlag(flag + " " + v + ": needs a port (ADDR:PORT)");
            }
            p = defaultPort;
        } else {
            try {
                p = Integer.parseInt(port);
            } catch (NumberFormatException e) {
                throw new BadFlag(flag + " " + v + ": '" + port + "' is not a port number");
            }
            if (p < 0 || p > 65_535) {
                throw new BadFlag(flag + " " + v + ": port out of range");
            }
        }
        if (host.isEmpty()) {
            throw new BadFlag(flag + " " + v + ": needs an address");
        }
        try {
            return new InetSocketAddress(InetAddress.getByName(host), p);
        } catch (UnknownHostException e) {
            throw new BadFlag(flag + " " + v + ": unknown host " + host);
        }
    }

    private static String format(InetSocketAddress a) {
        return ImpairRelay.format(a);
    }
}
