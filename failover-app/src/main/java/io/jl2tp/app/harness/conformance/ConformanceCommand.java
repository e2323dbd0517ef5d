package io.jl2tp.app.harness.conformance;

import io.jl2tp.ppp.options.PppConfigException;
import io.jl2tp.ppp.options.SecretsFile;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Unmatched;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;

/** {@code jl2tp harness conformance}: the RFC conformance suite against an LNS. */
@Command(name = "conformance", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Test an LNS against RFC 2661 (L2TP) and RFC 1661/1994/1334/1332/5072 (PPP): the harness is a",
            "scripted LAC that dials the LNS once per scenario and misbehaves on purpose (withholds acks, repeats",
            "messages, sends unknown AVPs, wrong secrets). Prints a table of scenario, RFC clause, verdict and",
            "what was seen; --json and --junit-xml write the same results for scripts and CI.",
            "Exit status 0 if every scenario passes (known deviations of --known count as passing unless",
            "--strict), 1 if one fails, 2 for bad flags. A run takes one to two minutes, most of it the back-off scenario."},
        footer = {"", "Example:", "  jl2tp harness conformance --lns 203.0.113.2 --user alice \\",
            "      --password-file pw --tunnel-secret-file ts --known l2tpns \\",
            "      --junit-xml conformance.xml"})
public final class ConformanceCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--lns", paramLabel = "HOST[:PORT]", description = "the LNS under test (port 1701 if omitted)")
    String lns;

    @Option(names = "--user", paramLabel = "NAME", description = "PPP user name (the CHAP/PAP and IPCP scenarios need one)")
    String user;

    @Option(names = "--password-file", paramLabel = "FILE", description = "file holding the PPP user's secret (first line)")
    Path passwordFile;

    @Option(names = "--tunnel-secret-file", paramLabel = "FILE",
            description = "file holding the L2TP tunnel secret (the tunnel authentication and hidden AVP scenarios need one)")
    Path tunnelSecretFile;

    @Option(names = "--only", paramLabel = "ID[,ID...]", description = "run only these scenarios (see --list)")
    String only;

    @Option(names = "--known", paramLabel = "PROFILE", description = "known deviations of the LNS: none (default), jl2tp, l2tpns")
    String known = "none";

    @Option(names = "--strict", description = "known deviations fail the run too")
    boolean strict;

    @Option(names = "--reply-timeout", paramLabel = "SECONDS", description = "how long an answer may take (default 3)")
    String replyTimeout = "3";

    @Option(names = "--json", paramLabel = "FILE", description = "write the results as JSON")
    Path json;

    @Option(names = "--junit-xml", paramLabel = "FILE", description = "write the results as JUnit XML")
    Path junitXml;

    @Option(names = "--list", description = "list the scenarios and exit")
    boolean list;

    @Unmatched
    List<String> unmatched = new ArrayList<>();

    /** A flag that cannot be used: the message names it. */
    static final class BadFlag extends Exception {
        BadFlag(String message) {
            super(message, null, false, false);
        }
    }

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (list) {
            for (Scenario s : ConformanceSuite.scenarios()) {
                out.printf("%-22s %-26s %s%n", s.id(), s.clause(), s.expected());
            }
            out.flush();
            return 0;
        }
        Target target;
        List<Scenario> scenarios;
        Set<String> deviations;
        try {
            target = target();
            scenarios = selected();
            deviations = KnownDeviations.of(known);
            if (deviations == null) {
                throw new BadFlag("--known " + known + ": no such profile (" + String.join(", ", KnownDeviations.profiles()) + ")");
            }
        } catch (BadFlag e) {
            err.println("jl2tp harness conformance: " + e.getMessage());
            err.flush();
            return 2;
        }
        out.println("conformance: LNS " + target.lns().getAddress().getHostAddress() + ":" + target.lns().getPort()
                + ", " + scenarios.size() + " scenarios" + (deviations.isEmpty() ? "" : ", known deviations of " + known));
        out.flush();
        List<Result> results = ConformanceSuite.run(target, scenarios, deviations, r -> { });
        out.print(Report.table(results));
        out.flush();
        String name = "lns " + target.lns().getAddress().getHostAddress() + ":" + target.lns().getPort();
        if (json != null) {
            Files.writeString(json, Report.json(name, results));
        }
        if (junitXml != null) {
            Files.writeString(junitXml, Report.junitXml(name, results));
        }
        return results.stream().anyMatch(r -> r.verdict().failsRun(strict)) ? 1 : 0;
    }

    Target target() throws BadFlag {
        if (!unmatched.isEmpty()) {
            throw new BadFlag("unknown argument " + unmatched.get(0));
        }
        if (lns == null) {
            throw new BadFlag("--lns HOST[:PORT] is required");
        }
        double reply;
        try {
            reply = Double.parseDouble(replyTimeout);
        } catch (NumberFormatException e) {
            throw new BadFlag("--reply-timeout " + replyTimeout + ": not a number of seconds");
        }
        if (!(reply >= 0.1 && reply <= 60)) {
            throw new BadFlag("--reply-timeout " + replyTimeout + ": must be from 0.1 to 60 seconds");
        }
        if ((user == null) != (passwordFile == null)) {
            throw new BadFlag("--user and --password-file go together");
        }
        return new Target(hostPort(lns), secret("--tunnel-secret-file", tunnelSecretFile), user,
                secret("--password-file", passwordFile), Duration.ofMillis((long) (reply * 1000)));
    }

    List<Scenario> selected() throws BadFlag {
        List<Scenario> all = ConformanceSuite.scenarios();
        if (only == null) {
            return all;
        }
        List<Scenario> out = new ArrayList<>();
        for (String id : only.split(",")) {
            Scenario s = all.stream().filter(x -> x.id().equals(id.strip())).findFirst()
                    .orElseThrow(() -> new BadFlag("--only: no scenario '" + id.strip() + "' (see --list)"));
            out.add(s);
        }
        return out;
    }

    private static byte[] secret(String flag, Path file) throws BadFlag {
        if (file == null) {
            return null;
        }
        try {
            String s = SecretsFile.readSecretFile(file).lines().findFirst().orElse("").strip();
            if (s.isEmpty()) {
                throw new BadFlag(flag + " " + file + ": empty");
            }
            return s.getBytes(StandardCharsets.UTF_8);
        } catch (PppConfigException e) {
            throw new BadFlag(flag + ": " + e.getMessage());
        }
    }

    /** HOST, HOST:PORT, [V6]:PORT or a bare IPv6 address; port 1701 by default. */
    static InetSocketAddress hostPort(String s) throws BadFlag {
        String host = s;
        String port = null;
        if (s.startsWith("[") && s.contains("]")) {
            host = s.substring(1, s.indexOf(']'));
            String rest = s.substring(s.indexOf(']') + 1);
            if (!rest.isEmpty()) {
                if (!rest.startsWith(":")) {
                    throw new BadFlag("--lns " + s + ": expected :PORT after ]");
                }
                port = rest.substring(1);
            }
        } else if (s.indexOf(':') >= 0 && s.indexOf(':') == s.lastIndexOf(':')) {
            host = s.substring(0, s.indexOf(':'));
            port = s.substring(s.indexOf(':') + 1);
        }
        int p = 1701;
        if (port != null) {
            try {
                p = Integer.parseInt(port);
            } catch (NumberFormatException e) {
                p = -1;
            }
            if (p < 1 || p > 65535) {
                throw new BadFlag("--lns " + s + ": port must be 1-65535");
            }
        }
        if (host.isEmpty()) {
            throw new BadFlag("--lns " + s + ": no host");
        }
        try {
            return new InetSocketAddress(InetAddress.getByName(host), p);
        } catch (UnknownHostException e) {
            throw new BadFlag("--lns " + s + ": unknown host");
        }
    }
}
