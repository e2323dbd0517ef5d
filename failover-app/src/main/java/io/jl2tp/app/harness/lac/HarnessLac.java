package io.jl2tp.app.harness.lac;

import io.jl2tp.app.harness.scenario.Directive;
import io.jl2tp.app.harness.scenario.Scenario;
import io.jl2tp.app.harness.session.Actions;
import io.jl2tp.app.harness.session.CallStatus;
import io.jl2tp.app.harness.session.HarnessCall;
import io.jl2tp.app.harness.session.HarnessControl;
import io.jl2tp.app.harness.session.HarnessSocket;
import io.jl2tp.app.harness.session.StreamReport;
import io.jl2tp.l2tp.netty.L2tpSocket;
import io.jl2tp.l2tp.transport.TransportConfig;
import io.jl2tp.l2tp.tunnel.L2tpEvent;
import io.jl2tp.l2tp.tunnel.Session;
import io.jl2tp.l2tp.tunnel.SessionConfig;
import io.jl2tp.l2tp.tunnel.Tunnel;
import io.jl2tp.l2tp.tunnel.TunnelConfig;
import io.jl2tp.ppp.PppEvent;
import io.jl2tp.ppp.PppLink;
import io.jl2tp.ppp.auth.Secret;
import io.jl2tp.ppp.auth.SecretProvider;
import io.jl2tp.ppp.options.PppSettings;
import io.netty.buffer.PooledByteBufAllocator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The harness LAC, in-process: dials N tunnels × M calls to an LNS at a chosen attempt rate,
 * terminates each call's PPP in user space ({@link HarnessCall}), pings the LNS's PPP address
 * through every call, misbehaves as its {@link Scenario} says, and sums it all up in a
 * {@link Result}: calls up, set-up latency percentiles, failures by cause, echo round trips.
 * {@code jl2tp harness lac} is this class with flags.
 *
 * <pre>
 * HarnessLac lac = HarnessLac.start(new HarnessLacConfig().lns(new InetSocketAddress("127.0.0.1", port))
 *         .tunnels(2).sessionsPerTunnel(5).user("alice", "s3cret"));
 * HarnessLac.Result r = lac.awaitSettled(Duration.ofSeconds(30)); // all up (and pinged) or failed
 * lac.close();
 * </pre>
 *
 * <p>Threads: tunnels, calls and timers belong to the socket's event loop; the public methods
 * are for other threads and run their work on the loop.
 */
public final class HarnessLac implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(HarnessLac.class);

    /**
     * The outcome so far: calls placed, calls that reached IPCP up, calls up now, failures by
     * cause (calls that ended before IPCP up), calls that ended after IPCP up by cause, set-up latency percentiles (ICRQ queued → IPCP up),
     * the set-up rate (calls up per second of the run), echo requests sent and answered with
     * round-trip percentiles, the elapsed time, each call, and the traffic streams (null without them:
     * the LNS→LAC stream as received here, and what the LAC sent).
     */
    public record Result(int placed, int reachedUp, int upNow, Map<String, Integer> failures,
                         Map<String, Integer> endedAfterUp, double setupP50Millis,
                         double setupP99Millis, double setupRatePerSecond, long pingsSent, long pingsAnswered,
                         double rttP50Millis, double rttP99Millis, long elapsedMillis, Map<String, Long> misbehaviour,
                         List<CallStatus> calls, StreamReport.Summary streams) {
    }

    /** After its own stream ends, how long a call waits for the LNS's (which starts at the LAC's first packet). */
    static final long STREAM_DRAIN_MILLIS = 1000;

    private final HarnessLacConfig config;
    private final Scenario scenario;
    private final PppSettings ppp;
    private final SecretProvider secret;
    private final SecureRandom random = new SecureRandom();
    private final List<HarnessCall> calls = new ArrayList<>();          // loop; every call placed
    private final Map<Session, HarnessCall> bySession = new HashMap<>(); // loop
    private final Map<Tunnel, List<ScheduledFuture<?>>> tunnelTimers = new HashMap<>(); // loop
    private final Map<String, Integer> failures = new TreeMap<>();       // loop
    private final Map<String, Integer> endedAfterUp = new TreeMap<>();   // loop
    private final List<Long> setupNanos = new ArrayList<>();             // loop
    private final CountDownLatch settled;
    private CallPacer pacer;                                             // loop
    private long startNanos;
    private long lastUpNanos;
    private volatile HarnessSocket socket;
    private volatile Result last;
    private volatile int port;                                        // the result at close

    private HarnessLac(HarnessLacConfig config) {
        if (config.lns == null) {
            throw new IllegalArgumentException("no LNS address");
        }
        this.config = config;
        this.scenario = config.scenario;
        String s = scenario.has(Directive.AuthReject.class) ? config.secret + "-wrong" : config.secret;
        this.secret = SecretProvider.fixed(Secret.of(s));
        this.ppp = PppSettings.builder().auth(a -> a.name(config.user)).ipv6cp(v -> v.enabled(config.ipv6)).build();
        this.settled = new CountDownLatch(config.totalCalls());
    }

    /** Binds a socket and starts placing calls; returns at once. */
    public static HarnessLac start(HarnessLacConfig config) throws IOException, InterruptedException {
        HarnessLac lac = new HarnessLac(config);
        lac.open();
        return lac;
    }

    private void open() throws IOException, InterruptedException {
        InetSocketAddress local = config.bind != null ? config.bind : L2tpSocket.wildcardFor(config.lns.getAddress(), 0);
        socket = HarnessSocket.open(local, config.pcap, scenario, "harness-lac");
        port = socket.localAddress().getPort();
        TunnelConfig tc = TunnelConfig.defaults(config.hostName)
                .withTransport(TransportConfig.DEFAULTS.withReceiveWindow(config.receiveWindow))
                .withHelloInterval(config.hello);
        if (config.tunnelSecret != null) {
            tc = tc.withSecret(config.tunnelSecret, true).withHidden(config.hiddenAvps);
        }
        TunnelConfig tunnelConfig = tc;
        socket.loop().execute(() -> place(tunnelConfig));
    }

    /**
     * Opens the tunnels at once and places the calls round the tunnels, paced by a
     * {@link CallPacer}: the configured rate, at most {@code maxPending} in set-up (event loop).
     */
    private void place(TunnelConfig tc) {
        startNanos = System.nanoTime();
        Tunnel[] tunnels = new Tunnel[config.tunnels];
        String[] refused = new String[config.tunnels];
        for (int t = 0; t < config.tunnels; t++) {
            Tunnel[] tunnel = new Tunnel[1];
            try {
                tunnel[0] = socket.endpoint().connect(config.lns, tc, e -> l2tpEvent(tunnel[0], e));
                tunnels[t] = tunnel[0];
            } catch (IllegalStateException e) {
                refused[t] = "no tunnel: " + e.getMessage();
            }
        }
        pacer = new CallPacer(socket.loop(), System::nanoTime, config.rate, config.maxPending, config.totalCalls(), k -> {
            int t = k % config.tunnels;
            if (tunnels[t] == null) {
                fail(refused[t]);
            } else {
                placeCall(tunnels[t]);
            }
        });
        pacer.start();
    }

    private void placeCall(Tunnel t) {
        Session s;
        try {
            s = t.openSession(SessionConfig.defaults(), null);
        } catch (IllegalStateException e) {
            fail("tunnel down before the call: " + e.getMessage());
            return;
        }
        HarnessCall[] self = new HarnessCall[1];
        HarnessCall c = new HarnessCall(s, ppp, new PppLink.Settings(config.user, secret, secret, null,
                "lac session=" + s.localId() + " "), socket.loop(), scenario, e -> pppEvent(self[0], e),
                PooledByteBufAllocator.DEFAULT, random);
        self[0] = c;
        calls.add(c);
        bySession.put(s, c);
    }

    private void fail(String cause) {
        failures.merge(cause, 1, Integer::sum);
        pacer.settled();
        settled.countDown();
    }

    private void l2tpEvent(Tunnel t, L2tpEvent e) {
        if (e instanceof L2tpEvent.TunnelUp) {
            List<ScheduledFuture<?>> timers = new ArrayList<>();
            for (Directive.After a : scenario.tunnelActions()) {
                timers.add(socket.loop().schedule(() -> Actions.onTunnel(t, a.action()), a.after().toMillis(),
                        TimeUnit.MILLISECONDS));
            }
            tunnelTimers.put(t, timers);
        } else if (e instanceof L2tpEvent.TunnelDown d) {
            List<ScheduledFuture<?>> timers = tunnelTimers.remove(t);
            if (timers != null) {
                timers.forEach(f -> f.cancel(false));
            }
            for (HarnessCall c : List.copyOf(bySession.values())) {
                if (c.session().tunnel() == t) {
                    c.link().lowerDown(d.reason());
                    finish(c, "tunnel down: " + d.reason());
                }
            }
        } else if (e instanceof L2tpEvent.SessionUp up) {
            HarnessCall c = bySession.get(up.session());
            if (c != null) {
                c.link().start();
                c.schedule(scenario.sessionActions());
            }
        } else if (e instanceof L2tpEvent.SessionDown d) {
            HarnessCall c = bySession.get(d.session());
            if (c != null) {
                c.link().lowerDown(d.reason());
                finish(c, "l2tp: " + d.reason());
            }
        }
    }

    private void pppEvent(HarnessCall c, PppEvent e) {
        if (c == null) {
            return;
        }
        if (e instanceof PppEvent.IpUp up && c.setupNanos() >= 0 && !c.counted) {
            c.counted = true;
            pacer.settled();
            setupNanos.add(c.setupNanos());
            lastUpNanos = System.nanoTime();
            for (int i = 0; i < config.pings; i++) {
                socket.loop().schedule(() -> {
                    if (c.downCause() == null) {
                        c.plane().ping(up.local(), up.remote());
                    }
                }, i * 1000L, TimeUnit.MILLISECONDS);
            }
            // Settled once the last echo had a second to come back (and the stream has ended and drained).
            long settleMillis = config.pings == 0 ? 0 : (config.pings - 1) * 1000L + 1000;
            if (config.streams != null) {
                c.streams().start(config.streams, up.local(), up.remote(), c.session().localId());
                socket.loop().schedule(() -> settleAfterStream(c), Math.max(settleMillis, config.streams.duration().toMillis()),
                        TimeUnit.MILLISECONDS);
            } else if (settleMillis == 0) {
                settled.countDown();
            } else {
                socket.loop().schedule(settled::countDown, settleMillis, TimeUnit.MILLISECONDS);
            }
        } else if (e instanceof PppEvent.Ipv6Up up6 && config.pingIpv6) {
            for (int i = 0; i < config.pings; i++) {
                socket.loop().schedule(() -> {
                    if (c.downCause() == null) {
                        c.plane().ping(up6.localLinkLocal(), up6.remoteLinkLocal());
                    }
                }, i * 1000L, TimeUnit.MILLISECONDS);
            }
        } else if (e instanceof PppEvent.Down) {
            finish(c, c.downCause());
            if (c.session().state() != Session.State.CLOSED) {
                c.session().close("PPP down");
            }
        }
    }

    /** Once {@code c}'s stream is sent (it may run late after a stall), the LNS's gets {@link #STREAM_DRAIN_MILLIS} more. */
    private void settleAfterStream(HarnessCall c) {
        if (c.streams().sending()) {
            socket.loop().schedule(() -> settleAfterStream(c), 100, TimeUnit.MILLISECONDS);
        } else {
            socket.loop().schedule(settled::countDown, STREAM_DRAIN_MILLIS, TimeUnit.MILLISECONDS);
        }
    }

    private void finish(HarnessCall c, String why) {
        if (bySession.remove(c.session(), c)) {
            c.end(why);
            String cause = c.downCause() == null ? why : c.downCause();
            if (!c.counted) {
                c.counted = true;
                fail(cause);
            } else {
                endedAfterUp.merge(cause, 1, Integer::sum);
            }
        }
    }

    /** Waits until every call is up (and its pings are done) or has failed, or {@code timeout}; then the result. */
    public Result awaitSettled(Duration timeout) throws InterruptedException {
        settled.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
        return result();
    }

    /** The result so far (after {@link #close}: as it was when closing began). */
    public Result result() {
        HarnessSocket s = socket;
        if (s == null) {
            return last;
        }
        try {
            return s.call(this::snapshot).get(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted");
        } catch (Exception e) {
            throw new IllegalStateException("result: " + e.getMessage(), e);
        }
    }

    private Result snapshot() {
        List<CallStatus> cs = new ArrayList<>();
        List<Long> rtts = new ArrayList<>();
        long sent = 0;
        long answered = 0;
        for (HarnessCall c : calls) {
            cs.add(CallStatus.of(c));
            List<Long> r = c.plane().rttNanos();
            rtts.addAll(r);
            answered += r.size();
            sent += r.size() + c.plane().unanswered();
        }
        int up = (int) cs.stream().filter(CallStatus::up).count();
        List<Long> setup = new ArrayList<>(setupNanos);
        long end = lastUpNanos == 0 ? System.nanoTime() : lastUpNanos;
        double rate = setup.isEmpty() ? 0 : setup.size() / Math.max(1e-9, (end - startNanos) / 1e9);
        Map<String, Long> mis = socket.misbehaviourCounters();
        StreamReport.Summary streams = null;
        if (config.streams != null) {
            StreamReport.Collector col = new StreamReport.Collector();
            calls.forEach(col::add);
            streams = col.summary(config.streams, "downstream, LNS->LAC");
        }
        return new Result(calls.size(), setup.size(), up, Map.copyOf(failures), Map.copyOf(endedAfterUp), pct(setup, 50), pct(setup, 99), rate, sent,
                answered, pct(rtts, 50), pct(rtts, 99), (System.nanoTime() - startNanos) / 1_000_000, mis, cs, streams);
    }

    /** The p-th percentile (nearest rank) of nanosecond values, in milliseconds; NaN if none. */
    static double pct(List<Long> nanos, int p) {
        if (nanos.isEmpty()) {
            return Double.NaN;
        }
        List<Long> s = new ArrayList<>(nanos);
        s.sort(null);
        int rank = (int) Math.ceil(p / 100.0 * s.size());
        return s.get(Math.max(0, rank - 1)) / 1e6;
    }

    /** What {@link LacShards} merges: the samples behind {@link #result()}, and when the run began and last reached up. */
    record Samples(List<Long> setupNanos, List<Long> rttNanos, long startNanos, long lastUpNanos) {
    }

    /** The samples so far (runs on the loop); null once closed. */
    Samples samples() throws Exception {
        HarnessSocket s = socket;
        if (s == null) {
            return null;
        }
        return s.call(() -> {
            List<Long> rtts = new ArrayList<>();
            for (HarnessCall c : calls) {
                rtts.addAll(c.plane().rttNanos());
            }
            return new Samples(List.copyOf(setupNanos), rtts, startNanos, lastUpNanos);
        }).get(10, TimeUnit.SECONDS);
    }

    /** A control command, as for the LNS ({@link HarnessControl}); {@code status} prints the result. */
    public String command(String line) {
        if (socket == null) {
            return "error: the LAC is closed";
        }
        try {
            return socket.call(() -> HarnessControl.run(line, socket.endpoint().tunnels(), List.copyOf(bySession.values()),
                    () -> LacReport.text(snapshot(), true), () -> streamsText(snapshot()))).get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            return "error: " + e.getMessage();
        }
    }

    static String streamsText(Result r) {
        return r.streams() == null ? "error: no streams (start with --stream)" : StreamReport.text(r.streams(), true).stripTrailing();
    }

    /** The local port. */
    public int port() {
        return port;
    }

    /** Hangs up every tunnel (StopCCN), closes the socket and the pcap. Idempotent. */
    @Override
    public void close() {
        HarnessSocket s = socket;
        if (s != null) {
            last = result();
            socket = null;
            s.close("harness LAC done", 1000);
        }
    }
}
