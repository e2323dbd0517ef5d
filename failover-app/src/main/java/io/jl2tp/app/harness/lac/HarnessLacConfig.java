package io.jl2tp.app.harness.lac;

import io.jl2tp.app.harness.scenario.Scenario;
import io.jl2tp.app.harness.session.StreamConfig;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Settings of a {@link HarnessLac}: where the LNS is, how many tunnels and calls per tunnel,
 * the PPP user and secret, how fast to place calls, how many pings each call sends once IPCP
 * is up, and the scenario. Fluent setters; not thread-safe, read once by {@link HarnessLac#start}.
 */
public final class HarnessLacConfig implements Cloneable {

    InetSocketAddress lns;
    InetSocketAddress bind;
    int tunnels = 1;
    int sessionsPerTunnel = 1;
    String user = "harness";
    String secret = "";
    byte[] tunnelSecret;
    boolean hiddenAvps;
    Duration hello = Duration.ofSeconds(60);
    int receiveWindow = 8;
    double rate = 1000;
    int maxPending = 200;
    int loops = 1;
    int pings = 1;
    boolean ipv6 = true;
    boolean pingIpv6;
    Path pcap;
    Scenario scenario = Scenario.NONE;
    StreamConfig streams;
    String hostName = "jl2tp-harness-lac";

    /** The LNS to dial (required). */
    public HarnessLacConfig lns(InetSocketAddress a) {
        this.lns = a;
        return this;
    }

    /** Local address to bind (default: the wildcard of the LNS's family, ephemeral port). */
    public HarnessLacConfig bind(InetSocketAddress a) {
        this.bind = a;
        return this;
    }

    /** Number of tunnels (1-65535). */
    public HarnessLacConfig tunnels(int n) {
        if (n < 1 || n > 65535) {
            throw new IllegalArgumentException("tunnels must be 1-65535: " + n);
        }
        this.tunnels = n;
        return this;
    }

    /** Calls per tunnel (1-65535). */
    public HarnessLacConfig sessionsPerTunnel(int n) {
        if (n < 1 || n > 65535) {
            throw new IllegalArgumentException("sessions per tunnel must be 1-65535: " + n);
        }
        this.sessionsPerTunnel = n;
        return this;
    }

    /** PPP user name and secret (RFC 1994 CHAP / RFC 1334 PAP / RFC 2759 MS-CHAPv2, as the LNS asks). */
    public HarnessLacConfig user(String name, String secret) {
        this.user = name;
        this.secret = secret;
        return this;
    }

    /** Tunnel secret (RFC 2661 §5.1.1); null for none. */
    public HarnessLacConfig tunnelSecret(String s) {
        this.tunnelSecret = s == null || s.isEmpty() ? null : s.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        return this;
    }

    /** Hide AVPs (RFC 2661 §4.3); needs a tunnel secret. */
    public HarnessLacConfig hiddenAvps(boolean on) {
        this.hiddenAvps = on;
        return this;
    }

    /** HELLO interval (RFC 2661 §6.5); zero disables. */
    public HarnessLacConfig hello(Duration d) {
        this.hello = d;
        return this;
    }

    /** Receive Window Size we announce (RFC 2661 §5.8). */
    public HarnessLacConfig receiveWindow(int rws) {
        if (rws < 1 || rws > 65535) {
            throw new IllegalArgumentException("receive window must be 1-65535: " + rws);
        }
        this.receiveWindow = rws;
        return this;
    }

    /** Calls placed per second (the attempt rate), > 0. */
    public HarnessLacConfig rate(double callsPerSecond) {
        if (!(callsPerSecond > 0)) {
            throw new IllegalArgumentException("rate must be > 0: " + callsPerSecond);
        }
        this.rate = callsPerSecond;
        return this;
    }

    /**
     * Calls in set-up at once (placed, neither IPCP up nor failed), >= 1: beyond it, calls are
     * placed only as earlier ones complete ({@link CallPacer}).
     */
    public HarnessLacConfig maxPending(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("max pending must be >= 1: " + n);
        }
        this.maxPending = n;
        return this;
    }

    /**
     * Event loops, each with a UDP socket of its own and a share of the tunnels, calls, rate and
     * pending cap ({@link LacShards}), 1-256; at most one per tunnel is used. A fixed --bind port
     * or a pcap file need one loop.
     */
    public HarnessLacConfig loops(int n) {
        if (n < 1 || n > 256) {
            throw new IllegalArgumentException("loops must be 1-256: " + n);
        }
        this.loops = n;
        return this;
    }

    /**
     * Shard {@code i} of {@code n}: this configuration with its share of the tunnels, the rate and
     * the pending cap (the first shards take the remainders), one loop each.
     */
    HarnessLacConfig shard(int i, int n) {
        HarnessLacConfig c;
        try {
            c = (HarnessLacConfig) clone(); // every setting, also ones added later; the shares below
        } catch (CloneNotSupportedException e) {
            throw new IllegalStateException(e);
        }
        c.tunnels = share(tunnels, i, n);
        c.rate = rate * c.tunnels / tunnels;
        c.maxPending = Math.max(1, share(maxPending, i, n));
        c.loops = 1;
        return c;
    }

    private static int share(int total, int i, int n) {
        return total / n + (i < total % n ? 1 : 0);
    }

    /** ICMP echo requests each call sends to the LNS's address once IPCP is up (one a second; 0: none). */
    public HarnessLacConfig pings(int n) {
        if (n < 0) {
            throw new IllegalArgumentException("pings must be >= 0: " + n);
        }
        this.pings = n;
        return this;
    }

    /** Also ping the LNS's IPv6 link-local address through each call once IPV6CP is up (RFC 4443 echo). */
    public HarnessLacConfig pingIpv6(boolean on) {
        this.pingIpv6 = on;
        return this;
    }

    /** IPV6CP (RFC 5072) on or off. */
    public HarnessLacConfig ipv6(boolean on) {
        this.ipv6 = on;
        return this;
    }

    public HarnessLacConfig pcap(Path file) {
        this.pcap = file;
        return this;
    }

    public HarnessLacConfig scenario(Scenario s) {
        this.scenario = s;
        return this;
    }

    /** Traffic streams each call sends once IPCP is up (null: none); the LAC settles after they end. */
    public HarnessLacConfig streams(StreamConfig s) {
        this.streams = s;
        return this;
    }

    /** The streams, or null. */
    public StreamConfig streams() {
        return streams;
    }

    /** Host Name AVP (RFC 2661 §4.4.3). */
    public HarnessLacConfig hostName(String name) {
        this.hostName = name;
        return this;
    }

    /** True if a local address with a fixed port is to be bound (only one socket can have it). */
    public boolean bindsFixedPort() {
        return bind != null && bind.getPort() != 0;
    }

    /** Total calls: tunnels × sessions per tunnel. */
    public int totalCalls() {
        return tunnels * sessionsPerTunnel;
    }
}
