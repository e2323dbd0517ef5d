package io.jl2tp.app.harness.lns;

import io.jl2tp.app.harness.scenario.Action;
import io.jl2tp.app.harness.scenario.Directive;
import io.jl2tp.app.harness.scenario.Scenario;
import io.jl2tp.app.harness.session.Actions;
import io.jl2tp.app.harness.session.CallStatus;
import io.jl2tp.app.harness.session.HarnessCall;
import io.jl2tp.app.harness.session.HarnessControl;
import io.jl2tp.app.harness.session.HarnessSocket;
import io.jl2tp.app.harness.session.StreamPacket;
import io.jl2tp.app.harness.session.StreamReport;
import io.jl2tp.l2tp.transport.TransportConfig;
import io.jl2tp.l2tp.tunnel.EndpointLimits;
import io.jl2tp.l2tp.tunnel.FrameReceiver;
import io.jl2tp.l2tp.tunnel.L2tpEvent;
import io.jl2tp.l2tp.tunnel.Session;
import io.jl2tp.l2tp.tunnel.Tunnel;
import io.jl2tp.l2tp.tunnel.TunnelConfig;
import io.jl2tp.ppp.PppEvent;
import io.jl2tp.ppp.PppLink;
import io.jl2tp.ppp.auth.SecretProvider;
import io.jl2tp.ppp.options.PppSettings;
import io.netty.buffer.PooledByteBufAllocator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.security.SecureRandom;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The harness LNS, in-process: an LNS to point any LAC at, built from l2tp-core's LNS role and
 * ppp-core's authenticator, whose calls are terminated in user space ({@link HarnessCall}: it
 * answers ICMP/ICMPv6 echo and counts traffic, no TUN, no root) and which misbehaves as its
 * {@link Scenario} says. {@code jl2tp harness lns} is this class with flags.
 *
 * <pre>
 * HarnessLns lns = HarnessLns.start(new HarnessLnsConfig().user("alice", "s3cret"));
 * int port = lns.port();              // point the LAC at 127.0.0.1:port
 * HarnessLns.Status s = lns.status(); // tunnels, sessions, PPP up, echoes answered
 * lns.command("stopccn result 6");    // the control-socket commands, in-process
 * lns.close();
 * </pre>
 *
 * <p>Threads: tunnels, calls and timers belong to the socket's event loop; {@link #start},
 * {@link #status}, {@link #command} and {@link #close} are called from any other thread and
 * run their work on the loop.
 */
public final class HarnessLns implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(HarnessLns.class);

    /**
     * A snapshot: tunnels established / known, calls in progress, calls with IPCP up, echo
     * requests answered and traffic (all calls since start, ended ones included), the
     * scenario's counters, ended calls by cause, each live call, and the traffic streams (null
     * without them: the LAC→LNS stream as received here and what the LNS sent, ended calls included).
     */
    public record Status(int port, int tunnelsEstablished, int tunnels, int sessions, int sessionsUp, long echoAnswered,
                         long rxPackets, long rxOctets, long txPackets, long txOctets, Map<String, Integer> endedByCause,
                         Map<String, Long> misbehaviour, List<CallStatus> calls, StreamReport.Summary streams) {
    }

    /**
     * A call's stream starts at the LAC's first stream packet, or this long after IPCP up without
     * one: longer than PPP's restart timer (3 s, RFC 1661 §4.6), so a lost Configure-Ack that
     * keeps the LAC's IPCP from opening does not send the stream into a link that drops it.
     */
    static final long STREAM_FALLBACK_MILLIS = 5000;

    private final HarnessLnsConfig config;
    private final Scenario scenario;
    private final PppSettings ppp;
    private final SecretProvider users;
    private final Map<Integer, HarnessCall> calls = new HashMap<>();             // loop
    private final Map<Tunnel, List<ScheduledFuture<?>>> tunnelTimers = new HashMap<>(); // loop
    private final Map<String, Integer> ended = new TreeMap<>();                   // loop
    private final long[] endedTotals = new long[5];                               // loop: echo, rx p/o, tx p/o
    private final StreamReport.Collector endedStreams = new StreamReport.Collector(); // loop
    private final Deque<Integer> freeAddresses = new ArrayDeque<>();              // loop
    private final SecureRandom random = new SecureRandom();
    private int nextAddress;                                                      // loop
    private volatile HarnessSocket socket;
    private volatile Status last;
    private volatile InetSocketAddress bound;                                                 // the status at close

    private HarnessLns(HarnessLnsConfig config) {
        this.config = config;
        this.scenario = config.scenario;
        this.users = scenario.has(Directive.AuthReject.class) ? SecretProvider.none() : config.userSecrets();
        PppSettings.Builder b = PppSettings.builder();
        switch (config.auth) {
            case PAP -> b.auth(a -> a.auth(true).requirePap(true));
            case MSCHAPV2 -> b.auth(a -> a.auth(true).requireMschapV2(true));
            case NONE -> b.auth(a -> a.auth(false));
            default -> b.auth(a -> a.auth(true).requireChap(true));
        }
        this.ppp = b.auth(a -> a.name(config.hostName)).ipv6cp(v -> v.enabled(config.ipv6)).build();
    }

    /** Binds, serves and returns the running LNS; {@link #port()} is the bound port. */
    public static HarnessLns start(HarnessLnsConfig config) throws IOException, InterruptedException {
        HarnessLns lns = new HarnessLns(config);
        lns.open();
        return lns;
    }

    private void open() throws IOException, InterruptedException {
        socket = HarnessSocket.open(config.listen, config.pcap, scenario, "harness-lns");
        TunnelConfig tc = TunnelConfig.defaults(config.hostName)
                .withTransport(TransportConfig.DEFAULTS.withReceiveWindow(config.receiveWindow))
                .withHelloInterval(config.hello);
        if (config.tunnelSecret != null) {
            tc = tc.withSecret(config.tunnelSecret, true).withHidden(config.hiddenAvps);
        }
        TunnelConfig tunnel = tc;
        try {
            socket.call(() -> {
                // A test LNS holds what a load generator throws at it: the half-open caps that
                // protect a production LNS (issue 11) would refuse a LAC dialling hundreds at once.
                socket.endpoint().limits(new EndpointLimits(65_535, 65_535, 65_535));
                socket.endpoint().serve(tunnel, this::accept, this::l2tpEvent);
                return null;
            }).get(5, TimeUnit.SECONDS);
        } catch (Exception e) {
            socket.close();
            throw new IOException("cannot start serving: " + e.getMessage(), e);
        }
        bound = socket.localAddress();
        log.info("harness LNS listening on {}", format(bound));
    }

    /** The bound UDP port. */
    public int port() {
        return bound.getPort();
    }

    /** The bound address. */
    public InetSocketAddress localAddress() {
        return bound;
    }

    private FrameReceiver accept(Session s) {
        HarnessCall[] self = new HarnessCall[1];
        PppLink.AddressPlan plan = new Plan(s);
        HarnessCall c = new HarnessCall(s, ppp, new PppLink.Settings(config.hostName, users, users, plan,
                "lns session=" + s.localId() + " "), socket.loop(), scenario, e -> pppEvent(self[0], e),
                PooledByteBufAllocator.DEFAULT, random);
        self[0] = c;
        calls.put(s.localId(), c);
        return c.receiver();
    }

    private void l2tpEvent(L2tpEvent e) {
        if (e instanceof L2tpEvent.TunnelUp up) {
            List<ScheduledFuture<?>> timers = new ArrayList<>();
            for (Directive.After a : scenario.tunnelActions()) {
                timers.add(socket.loop().schedule(() -> Actions.onTunnel(up.tunnel(), a.action()), a.after().toMillis(),
                        TimeUnit.MILLISECONDS));
            }
            tunnelTimers.put(up.tunnel(), timers);
        } else if (e instanceof L2tpEvent.TunnelDown d) {
            List<ScheduledFuture<?>> timers = tunnelTimers.remove(d.tunnel());
            if (timers != null) {
                timers.forEach(f -> f.cancel(false));
            }
        } else if (e instanceof L2tpEvent.SessionUp up) {
            HarnessCall c = calls.get(up.session().localId());
            if (c != null) {
                c.link().start(); // before the next datagram: the LAC's Configure-Request follows its ICCN closely
                c.schedule(scenario.sessionActions());
            }
        } else if (e instanceof L2tpEvent.SessionDown d) {
            HarnessCall c = calls.get(d.session().localId());
            if (c != null) {
                c.link().lowerDown(d.reason());
                finish(c, "l2tp: " + d.reason());
            }
        }
    }

    private void pppEvent(HarnessCall c, PppEvent e) {
        if (e instanceof PppEvent.IpUp up && c != null && config.streams != null) {
            // Downstream starts with the LAC's stream (the LAC's IPCP is up then, too), or a while after IPCP up.
            c.streams().startWhenPeerStreams(config.streams, up.local(), up.remote(),
                    c.session().localId() | StreamPacket.DOWNSTREAM, STREAM_FALLBACK_MILLIS);
        } else if (e instanceof PppEvent.Down d && c != null) {
            finish(c, c.downCause());
            if (c.session().state() != Session.State.CLOSED) {
                c.session().close("PPP down");
            }
        }
    }

    private void finish(HarnessCall c, String why) {
        if (calls.remove(c.session().localId(), c)) {
            c.end(why);
            long[] n = c.plane().counters();
            endedTotals[0] += n[4];
            endedTotals[1] += n[0];
            endedTotals[2] += n[1];
            endedTotals[3] += n[2];
            endedTotals[4] += n[3];
            ended.merge(c.downCause() == null ? why : c.downCause(), 1, Integer::sum);
            if (config.streams != null) {
                endedStreams.add(c);
            }
            if (c.ip() != null) {
                freeAddresses.add(toInt(c.ip().remote()));
            }
        }
    }

    /** The pool, handed out after authentication (RFC 1661 §3.5: IPCP runs only then). */
    private final class Plan implements PppLink.AddressPlan {
        private final Session session;

        Plan(Session s) {
            this.session = s;
        }

        @Override
        public Inet4Address local() {
            return config.local;
        }

        @Override
        public Inet4Address remoteFor(String peerName) {
            Integer a = freeAddresses.poll();
            if (a == null && nextAddress < config.poolSize) {
                a = toInt(config.poolStart) + nextAddress++;
            }
            if (a == null) {
                log.warn("lns session={} no free address in the pool for {}", session.localId(), peerName);
                return null;
            }
            return fromInt(a);
        }

        @Override
        public List<Inet4Address> dns() {
            return config.dns;
        }
    }

    /** A snapshot of everything (runs on the loop; waits up to 10 s); after {@link #close}, the last one. */
    public Status status() {
        HarnessSocket s = socket;
        if (s == null) {
            return last;
        }
        try {
            return s.call(this::snapshot).get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("status: " + e.getMessage(), e);
        }
    }

    private Status snapshot() {
        List<Tunnel> ts = socket.endpoint().tunnels();
        int est = (int) ts.stream().filter(t -> t.state() == Tunnel.State.ESTABLISHED).count();
        List<CallStatus> cs = new ArrayList<>();
        long[] sum = endedTotals.clone(); // calls that ended count too
        for (HarnessCall c : calls.values()) {
            CallStatus s = CallStatus.of(c);
            cs.add(s);
            sum[0] += s.echoAnswered();
            sum[1] += s.rxPackets();
            sum[2] += s.rxOctets();
            sum[3] += s.txPackets();
            sum[4] += s.txOctets();
        }
        int up = (int) cs.stream().filter(CallStatus::up).count();
        Map<String, Long> mis = socket.misbehaviourCounters();
        StreamReport.Summary streams = null;
        if (config.streams != null) {
            StreamReport.Collector col = endedStreams.copy();
            calls.values().forEach(col::add);
            streams = col.summary(config.streams, "upstream, LAC->LNS");
        }
        return new Status(port(), est, ts.size(), cs.size(), up, sum[0], sum[1], sum[2], sum[3], sum[4], Map.copyOf(ended),
                mis, cs, streams);
    }

    /**
     * One control command, as on the control socket: {@code status}, or an action of the scenario
     * grammar ({@code stopccn result R [error E] ["msg"]}, {@code cdn result R [error E]
     * [disconnect C] [q931 C] ["msg"]}, {@code lcp-terminate}, {@code send sli|wen|csurq|hello|unknown-mbit-avp}),
     * optionally preceded by {@code tunnel ID} or {@code session ID} to act on one. Returns the
     * reply text (one or more lines); a bad command gets one line starting with "error:".
     */
    public String command(String line) {
        if (socket == null) {
            return "error: the LNS is closed";
        }
        try {
            return socket.call(() -> HarnessControl.run(line, socket.endpoint().tunnels(), List.copyOf(calls.values()),
                    () -> describe(snapshot()), () -> streamsText(snapshot()))).get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            return "error: " + e.getMessage();
        }
    }

    private static String streamsText(Status s) {
        return s.streams() == null ? "error: no streams (start with --stream)" : StreamReport.text(s.streams(), true).stripTrailing();
    }

    /** The status as the control socket prints it: a summary line, one line per call, then the streams' table. */
    public static String describe(Status s) {
        StringBuilder b = new StringBuilder();
        b.append("tunnels ").append(s.tunnelsEstablished()).append('/').append(s.tunnels()).append(" sessions ")
                .append(s.sessionsUp()).append('/').append(s.sessions()).append(" echo-answered ").append(s.echoAnswered())
                .append(" rx ").append(s.rxPackets()).append('/').append(s.rxOctets()).append(" tx ").append(s.txPackets())
                .append('/').append(s.txOctets());
        if (!s.endedByCause().isEmpty()) {
            b.append(" ended ").append(s.endedByCause());
        }
        if (!s.misbehaviour().isEmpty()) {
            b.append(" misbehaviour ").append(s.misbehaviour());
        }
        for (CallStatus c : s.calls()) {
            b.append('\n').append(HarnessControl.line(c));
        }
        if (s.streams() != null) {
            b.append('\n').append(StreamReport.text(s.streams(), false).stripTrailing());
        }
        return b.toString();
    }

    /** Hangs up every call and tunnel (StopCCN), then closes the socket and the pcap. Idempotent. */
    @Override
    public void close() {
        HarnessSocket s = socket;
        if (s != null) {
            last = status();
            socket = null;
            s.close("harness LNS shutting down", 1000);
        }
    }

    static int toInt(Inet4Address a) {
        byte[] b = a.getAddress();
        return ((b[0] & 0xff) << 24) | ((b[1] & 0xff) << 16) | ((b[2] & 0xff) << 8) | (b[3] & 0xff);
    }

    static Inet4Address fromInt(int v) {
        try {
            return (Inet4Address) InetAddress.getByAddress(new byte[] {(byte) (v >> 24), (byte) (v >> 16), (byte) (v >> 8), (byte) v});
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    static String format(InetSocketAddress a) {
        String h = a.getAddress().getHostAddress();
        return (h.indexOf(':') >= 0 ? "[" + h + "]" : h) + ":" + a.getPort();
    }
}
