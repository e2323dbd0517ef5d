package io.jl2tp.app.harness.lns;

import io.jl2tp.app.harness.scenario.Scenario;
import io.jl2tp.app.harness.session.StreamConfig;
import io.jl2tp.ppp.auth.Secret;
import io.jl2tp.ppp.auth.SecretProvider;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Settings of a {@link HarnessLns}, with defaults for everything: loopback, an ephemeral port,
 * CHAP, IPv4 pool 100.64.0.2 onwards (RFC 6598 shared space: the sessions live in user space,
 * no route is ever installed), IPV6CP on, HELLO every 60 s, receive window 8, no misbehaviour.
 * Fluent setters; not thread-safe, copy-on-start (the LNS reads it once).
 */
public final class HarnessLnsConfig {

    /** PPP authentication the LNS requires (RFC 1334 PAP, RFC 1994 CHAP, RFC 2759 MS-CHAPv2, or none). */
    public enum Auth { PAP, CHAP, MSCHAPV2, NONE }

    InetSocketAddress listen = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
    final Map<String, Secret> users = new LinkedHashMap<>();
    SecretProvider secrets;
    Auth auth = Auth.CHAP;
    Inet4Address local = v4("100.64.0.1");
    Inet4Address poolStart = v4("100.64.0.2");
    int poolSize = 65_000;
    final List<Inet4Address> dns = new ArrayList<>();
    boolean ipv6 = true;
    byte[] tunnelSecret;
    boolean hiddenAvps;
    Duration hello = Duration.ofSeconds(60);
    int receiveWindow = 8;
    Path pcap;
    Scenario scenario = Scenario.NONE;
    StreamConfig streams;
    String hostName = "jl2tp-harness-lns";

    /** Where to listen (port 0: ephemeral, see {@link HarnessLns#port()}). */
    public HarnessLnsConfig listen(InetSocketAddress a) {
        this.listen = a;
        return this;
    }

    /** Adds a PPP user. */
    public HarnessLnsConfig user(String name, String secret) {
        users.put(name, Secret.of(secret));
        return this;
    }

    /** Users from a provider (a chap-secrets file), consulted after the {@link #user} ones. */
    public HarnessLnsConfig secrets(SecretProvider p) {
        this.secrets = p;
        return this;
    }

    public HarnessLnsConfig auth(Auth a) {
        this.auth = a;
        return this;
    }

    /** The LNS's own PPP address. */
    public HarnessLnsConfig local(Inet4Address a) {
        this.local = a;
        return this;
    }

    /** The peers' addresses: {@code size} consecutive ones from {@code start}. */
    public HarnessLnsConfig pool(Inet4Address start, int size) {
        if (size < 1) {
            throw new IllegalArgumentException("the pool needs at least one address");
        }
        this.poolStart = start;
        this.poolSize = size;
        return this;
    }

    /** DNS servers handed out in IPCP (RFC 1877). */
    public HarnessLnsConfig dns(List<Inet4Address> servers) {
        dns.clear();
        dns.addAll(servers);
        return this;
    }

    /** IPV6CP (RFC 5072) on or off. */
    public HarnessLnsConfig ipv6(boolean on) {
        this.ipv6 = on;
        return this;
    }

    /** Tunnel secret: the LNS challenges every LAC (RFC 2661 §5.1.1); null for none. */
    public HarnessLnsConfig tunnelSecret(String secret) {
        this.tunnelSecret = secret == null || secret.isEmpty() ? null : secret.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        return this;
    }

    /** Hide AVPs (RFC 2661 §4.3); needs a tunnel secret. */
    public HarnessLnsConfig hiddenAvps(boolean on) {
        this.hiddenAvps = on;
        return this;
    }

    /** HELLO interval (RFC 2661 §6.5); zero disables. */
    public HarnessLnsConfig hello(Duration d) {
        this.hello = d;
        return this;
    }

    /** Receive Window Size we announce (RFC 2661 §5.8), 1-65535. */
    public HarnessLnsConfig receiveWindow(int rws) {
        if (rws < 1 || rws > 65535) {
            throw new IllegalArgumentException("receive window must be 1-65535: " + rws);
        }
        this.receiveWindow = rws;
        return this;
    }

    /** Write a pcap of what the LNS sends and receives. */
    public HarnessLnsConfig pcap(Path file) {
        this.pcap = file;
        return this;
    }

    public HarnessLnsConfig scenario(Scenario s) {
        this.scenario = s;
        return this;
    }

    /** Host Name AVP and PPP name. */
    public HarnessLnsConfig hostName(String name) {
        this.hostName = name;
        return this;
    }

    /** The secret lookup: the explicit users first, then the provider. */
    SecretProvider userSecrets() {
        Map<String, Secret> u = Map.copyOf(users);
        SecretProvider rest = secrets;
        return (client, server) -> {
            Secret s = u.get(client);
            if (s != null) {
                return Optional.of(s);
            }
            return rest == null ? Optional.empty() : rest.secret(client, server);
        };
    }

    static Inet4Address v4(String s) {
        try {
            return (Inet4Address) InetAddress.getByName(s);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(e);
        }
    }

    /** Traffic streams each call sends to the LAC once IPCP is up (null: none). */
    public HarnessLnsConfig streams(StreamConfig s) {
        this.streams = s;
        return this;
    }
}
