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
import java.net.DatagramSocket;
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
            "--strict), 1 if one fails, 2 for bad flags. A run takes one to two minutes, most of it the back-off scenario.",
            "With --lac the harness is the LNS instead: it listens and tests the LAC that dials it, one dial per",
            "scenario, so the LAC must redial (xl2tpd: redial = yes; jl2tp: its redial policy)."},
        footer = {"", "Example:", "  jl2tp harness conformance --lns 203.0.113.2 --user alice \\",
            "      --password-file pw --tunnel-secret-file ts --known l2tpns \\",
            "      --junit-xml conformance.xml"})
public final class ConformanceCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--lns", paramLabel = "HOST[:PORT]", description = "the LNS under test (port 1701 if omitted)")
    String lns;

    @Option(names = "--lac", paramLabel = "ADDR[:PORT]",
            description = "be the LNS instead: listen here and test the LAC that dials it (it must redial after each scenario)")
    String lac;

    @Option(names = "--dial-wait", paramLabel = "SECONDS", description = "with --lac: how long to wait for each dial (default 60)")
    String dialWait = "60";

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
            List<Scenario> all = new ArrayList<>(ConformanceSuite.scenarios());
            all.addAll(LacScenarios.all(null, Duration.ZERO));
            for (Scenario s : all) {
                out.printf("%-22s %-26s %s%n", s.id(), s.clause(), s.expected());
            }
            out.flush();
            return 0;
        }
        Target target;
        Set<String> deviations;
        Duration wait;
        try {
            target = target();
            wait = Duration.ofMillis((long) (seconds("--dial-wait", dialWait, 1, 3600) * 1000));
            selected(lac == null ? ConformanceSuite.scenarios() : LacScenarios.all(null, wait)); // validates --only early
            deviations = KnownDeviations.of(known);
            if (deviations == null) {
                throw new BadFlag("--known " + known + ": no such profile (" + String.join(", ", KnownDeviations.profiles()) + ")");
            }
        } catch (BadFlag e) {
            err.println("jl2tp harness conformance: " + e.getMessage());
            err.flush();
            return 2;
        }
        String where = target.lns().getAddress().getHostAddress() + ":" + target.lns().getPort();
        List<Result> results;
        if (lac == null) {
            List<Scenario> scenarios = selectedOrExit(ConformanceSuite.scenarios());
            out.println("conformance: LNS " + where + ", " + scenarios.size() + " scenarios"
                    + (deviations.isEmpty() ? "" : ", known deviations of " + known));
            out.flush();
            results = ConformanceSuite.run(target, scenarios, deviations, r -> { });
        } else {
            try (DatagramSocket socket = new DatagramSocket(target.lns())) {
                List<Scenario> scenarios = selectedOrExit(LacScenarios.all(socket, wait));
                out.println("conformance: waiting for the LAC on " + where + ", " + scenarios.size() + " scenarios");
                out.flush();
                results = ConformanceSuite.run(target, scenarios, deviations, r -> { });
            }
        }
        out.print(Report.table(results));
        out.flush();
        String name = (lac == null ? "lns " : "lac on ") + where;
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
        if ((lns == null) == (lac == null)) {
            throw new BadFlag(lns == null ? "--lns HOST[:PORT] or --lac ADDR[:PORT] is required" : "--lns and --lac exclude each other");
        }
        double reply = seconds("--reply-timeout", replyTimeout, 0.1, 60);
        if ((user == null) != (passwordFile == null)) {
            throw new BadFlag("--user and --password-file go together");
        }
        return new Target(hostPort(lns != null ? "--lns" : "--lac", lns != null ? lns : lac), secret("--tunnel-secret-file", tunnelSecretFile), user,
                secret("--password-file", passwordFile), Duration.ofMillis((long) (reply * 1000)));
    }

    private static double seconds(String flag, String v, double min, double max) throws BadFlag {
        double d;
        try {
            d = Double.parseDouble(v);
        } catch (NumberFormatException e) {
            throw new BadFlag(flag + " " + v + ": not a number of seconds");
        }
        if (!(d >= min && d <= max)) {
            throw new BadFlag(flag + " " + v + ": must be from " + (min == (long) min ? String.valueOf((long) min) : String.valueOf(min))
                    + " to " + (long) max + " seconds");
        }
        return d;
    }

    /** {@link #selected} for a list already validated against its suite. */
    private List<Scenario> selectedOrExit(List<Scenario> all) {
        try {
            return selected(all);
        } catch (BadFlag e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    /** The scenarios of {@code all} named by --only, or all of them. */
    List<Scenario> selected(List<Scenario> all) throws BadFlag {
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
    static InetSocketAddress hostPort(String flag, String s) throws BadFlag {
        String host = s;
        String port = null;
        if (s.startsWith("[") && s.contains("]")) {
            host = s.substring(1, s.indexOf(']'));
            String rest = s.substring(s.indexOf(']') + 1);
            if (!rest.isEmpty()) {
                if (!rest.startsWith(":")) {
                    throw new BadFlag(flag + " " + s + ": expected :PORT after ]");
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
                throw new BadFlag(flag + " " + s + ": port must be 1-65535");
            }
        }
        if (host.isEmpty()) {
            throw new BadFlag(flag + " " + s + ": no host");
        }
        try {
            return new InetSocketAddress(InetAddress.getByName(host), p);
        } catch (UnknownHostException e) {
            throw new BadFlag(flag + " " + s + ": unknown host");
        }
    }
}
