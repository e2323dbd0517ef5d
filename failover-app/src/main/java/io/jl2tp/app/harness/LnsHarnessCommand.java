package io.jl2tp.app.harness;

import io.jl2tp.app.harness.ImpairCommand.BadFlag;
import io.jl2tp.app.harness.lns.HarnessLns;
import io.jl2tp.app.harness.lns.HarnessLnsConfig;
import io.jl2tp.ppp.options.PppConfigException;
import io.jl2tp.ppp.options.SecretsFile;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Unmatched;

import java.io.PrintWriter;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/** {@code jl2tp harness lns}: the scriptable harness LNS from the command line. */
@Command(name = "lns", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"An LNS to point any LAC at, which can misbehave on purpose.",
            "Calls are terminated in user space: the harness answers ICMP and ICMPv6 echo itself and counts each call's"
                + " traffic, so it needs no root and holds thousands of calls.",
            "Misbehaviour comes from --scenario FILE and --misbehave LINE (one directive each, the same format):",
            "  drop|duplicate|reorder control N    delay control N TIME    withhold-zlb",
            "  auth reject    nak-forever lcp mru    [after TIME] lcp-terminate",
            "  [after TIME] send sli|wen|csurq|hello|unknown-mbit-avp",
            "  [after TIME] stopccn result R [error E] [\"msg\"]",
            "  [after TIME] cdn result R [error E] [disconnect CODE] [q931 CAUSE] [\"msg\"]",
            "The --control socket takes the same actions while it runs, and 'status'; prefix 'tunnel ID' or 'session ID'"
                + " to act on one.",
            "--stream RATE[:SIZE] sends each session a sequence-numbered UDP stream (LNS->LAC) once IPCP is up, and counts"
                + " the LAC's stream: 'status' and 'streams' on the control socket and the status printed at exit show loss,"
                + " reordering, duplicates and one-way latency per session and in total.",
            "SIGTERM/SIGINT (or --duration) stop it; the status is printed at exit."},
        footer = {"", "Example:", "  jl2tp harness lns --listen 127.0.0.1:1701 --user alice:s3cret \\",
            "      --misbehave 'after 5s stopccn result 6 error 0 \"bye\"' --control lns.ctl"})
public final class LnsHarnessCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--listen", paramLabel = "ADDR:PORT", description = "UDP address (default 0.0.0.0:1701)")
    String listen = "0.0.0.0:1701";

    @Option(names = "--user", paramLabel = "NAME:SECRET", description = "a PPP user (repeatable)")
    List<String> users = new ArrayList<>();

    @Option(names = "--secrets", paramLabel = "FILE", description = "users from a pppd chap-secrets file (mode 0600)")
    Path secrets;

    @Option(names = "--auth", paramLabel = "METHOD", description = "pap, chap, mschapv2 or none (default chap)")
    String auth = "chap";

    @Option(names = "--local", paramLabel = "ADDR", description = "the LNS's PPP address (default 100.64.0.1)")
    String local;

    @Option(names = "--pool", paramLabel = "ADDR[+N]", description = "peer addresses: N from ADDR (default 100.64.0.2+65000)")
    String pool;

    @Option(names = "--dns", split = ",", paramLabel = "ADDR", description = "DNS servers handed out (RFC 1877)")
    List<String> dns = new ArrayList<>();

    @Option(names = "--no-ipv6", description = "do not negotiate IPV6CP")
    boolean noIpv6;

    @Mixin
    TunnelOptions tunnel;

    @Mixin
    StreamOptions streams;

    @Option(names = "--pcap", paramLabel = "FILE", description = "write what the LNS sent and received (libpcap)")
    Path pcap;

    @Option(names = "--duration", paramLabel = "TIME", description = "stop after this long (default: at SIGTERM/SIGINT)")
    String duration;

    @Unmatched
    List<String> unmatched = new ArrayList<>();

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        HarnessLnsConfig config;
        long runFor;
        try {
            config = config();
            runFor = duration == null ? 0 : ImpairCommand.nanos("--duration", duration);
        } catch (BadFlag e) {
            err.println("jl2tp harness lns: " + e.getMessage());
            err.flush();
            return 2;
        }
        HarnessLns lns;
        try {
            lns = HarnessLns.start(config);
        } catch (java.io.IOException e) {
            err.println("jl2tp harness lns: " + e.getMessage());
            err.flush();
            return 1;
        }
        try {
            out.println("harness lns: listening on " + lns.localAddress().getAddress().getHostAddress() + ":" + lns.port());
            out.flush();
            HarnessFlags.run(tunnel.control, lns::command, runFor, null, err);
            out.println(HarnessLns.describe(lns.status()));
        } finally {
            lns.close();
        }
        out.flush();
        return 0;
    }

    /** The LNS's settings from the flags; {@link BadFlag} names the first one that is wrong. */
    HarnessLnsConfig config() throws BadFlag {
        HarnessFlags.noUnmatched(unmatched);
        HarnessLnsConfig c = new HarnessLnsConfig().listen(ImpairCommand.address("--listen", listen, 1701));
        for (String u : users) {
            int colon = u.indexOf(':');
            if (colon <= 0) {
                throw new BadFlag("--user " + u.replaceAll(":.*", ":…") + ": expected NAME:SECRET");
            }
            c.user(u.substring(0, colon), u.substring(colon + 1));
        }
        if (secrets != null) {
            try {
                c.secrets(SecretsFile.load(secrets));
            } catch (PppConfigException e) {
                throw new BadFlag("--secrets " + e.getMessage());
            }
        }
        c.auth(switch (auth.toLowerCase(Locale.ROOT)) {
            case "pap" -> HarnessLnsConfig.Auth.PAP;
            case "chap" -> HarnessLnsConfig.Auth.CHAP;
            case "mschapv2", "mschap-v2" -> HarnessLnsConfig.Auth.MSCHAPV2;
            case "none" -> HarnessLnsConfig.Auth.NONE;
            default -> throw new BadFlag("--auth " + auth + ": expected pap, chap, mschapv2 or none");
        });
        if (users.isEmpty() && secrets == null && !auth.equalsIgnoreCase("none")) {
            throw new BadFlag("no users: give --user NAME:SECRET or --secrets FILE (or --auth none)");
        }
        if (local != null) {
            c.local(v4("--local", local));
        }
        if (pool != null) {
            int plus = pool.indexOf('+');
            Inet4Address start = v4("--pool", plus < 0 ? pool : pool.substring(0, plus));
            int n = plus < 0 ? 65_000 : HarnessFlags.integer("--pool", pool.substring(plus + 1), 1, 1 << 24);
            c.pool(start, n);
        }
        List<Inet4Address> servers = new ArrayList<>();
        for (String d : dns) {
            servers.add(v4("--dns", d));
        }
        c.dns(servers).ipv6(!noIpv6);
        TunnelOptions.Checked t = tunnel.check();
        c.tunnelSecret(t.tunnelSecret()).hiddenAvps(t.hiddenAvps());
        if (t.hello() != null) {
            c.hello(t.hello());
        }
        if (t.receiveWindow() != null) {
            c.receiveWindow(t.receiveWindow());
        }
        return c.pcap(pcap).scenario(t.scenario()).streams(streams.check());
    }

    static Inet4Address v4(String flag, String v) throws BadFlag {
        if (!v.matches("[0-9]{1,3}(\\.[0-9]{1,3}){3}")) {
            throw new BadFlag(flag + " " + v + ": not an IPv4 address");
        }
        try {
            return (Inet4Address) InetAddress.getByName(v);
        } catch (UnknownHostException | ClassCastException e) {
            throw new BadFlag(flag + " " + v + ": not an IPv4 address");
        }
    }
}
