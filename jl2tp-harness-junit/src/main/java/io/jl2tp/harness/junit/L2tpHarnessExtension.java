package io.jl2tp.harness.junit;

import io.jl2tp.app.harness.lac.HarnessLac;
import io.jl2tp.app.harness.lac.HarnessLacConfig;
import io.jl2tp.app.harness.lns.HarnessLns;
import io.jl2tp.app.harness.lns.HarnessLnsConfig;
import io.jl2tp.app.harness.scenario.Scenario;
import io.jl2tp.app.harness.scenario.ScenarioException;
import io.jl2tp.app.harness.scenario.ScenarioParser;
import org.junit.jupiter.api.extension.AfterTestExecutionCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * Resolves {@link L2tpHarness}-annotated {@link RunningHarness} parameters: starts the harness
 * LNS or LAC with the annotation's users and scenario, writing a pcap to a temporary directory;
 * after the test closes each (a LAC before the LNS it dials, each tunnel with StopCCN) and keeps
 * the pcaps of a failed test under {@code target/l2tp-harness/} (or {@code -Djl2tp.harness.pcapDir}),
 * named after the test class, method and parameter ({@code lns0}: the LNS of parameter 0). Bad users, scenario lines or addresses are
 * one {@link ParameterResolutionException} naming the problem.
 *
 * <p>Threads: JUnit's; state lives in the test method's {@link ExtensionContext.Store}.
 */
public final class L2tpHarnessExtension implements ParameterResolver, AfterTestExecutionCallback {

    private static final ExtensionContext.Namespace NS = ExtensionContext.Namespace.create(L2tpHarnessExtension.class);
    private static final String STARTED = "started";

    /** What one test started, in order; closed by {@link #afterTestExecution} or, failing that, by the store. */
    private static final class Started implements ExtensionContext.Store.CloseableResource {
        final List<RunningHarness> harnesses = new ArrayList<>();
        final List<String> labels = new ArrayList<>();
        Path dir;
        boolean closed;

        void closeAll() {
            if (closed) {
                return;
            }
            closed = true;
            for (int i = harnesses.size() - 1; i >= 0; i--) {
                harnesses.get(i).close();
            }
        }

        @Override
        public void close() {
            closeAll();
            deleteDir(dir);
        }
    }

    @Override
    public boolean supportsParameter(ParameterContext pc, ExtensionContext ec) {
        return pc.isAnnotated(L2tpHarness.class) && pc.getParameter().getType() == RunningHarness.class;
    }

    @Override
    public Object resolveParameter(ParameterContext pc, ExtensionContext ec) {
        L2tpHarness a = pc.findAnnotation(L2tpHarness.class).orElseThrow();
        String label = a.role().name().toLowerCase(java.util.Locale.ROOT) + pc.getIndex(); // e.g. lns0, lac1
        Started started = ec.getStore(NS).getOrComputeIfAbsent(STARTED, k -> new Started(), Started.class);
        try {
            if (started.dir == null) {
                started.dir = Files.createTempDirectory("l2tp-harness-");
            }
            Path pcap = started.dir.resolve(label + ".pcap");
            Scenario scenario = scenario(a, label);
            List<String[]> users = users(a);
            RunningHarness h;
            if (a.role() == L2tpHarness.Role.LNS) {
                HarnessLnsConfig c = new HarnessLnsConfig().pcap(pcap).scenario(scenario).ipv6(a.ipv6());
                users.forEach(u -> c.user(u[0], u[1]));
                h = new RunningHarness(HarnessLns.start(c), pcap);
            } else {
                HarnessLacConfig c = new HarnessLacConfig().lns(target(a, started)).tunnels(a.tunnels())
                        .sessionsPerTunnel(a.sessions()).ipv6(a.ipv6()).pcap(pcap).scenario(scenario);
                if (!users.isEmpty()) {
                    c.user(users.get(0)[0], users.get(0)[1]);
                }
                h = new RunningHarness(HarnessLac.start(c), pcap);
            }
            started.harnesses.add(h);
            started.labels.add(label);
            return h;
        } catch (IOException | ScenarioException | IllegalArgumentException e) {
            throw new ParameterResolutionException("@L2tpHarness " + label + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ParameterResolutionException("@L2tpHarness " + label + ": interrupted while starting", e);
        }
    }

    private static Scenario scenario(L2tpHarness a, String label) throws ScenarioException {
        Scenario s = a.scenario().length == 0 ? Scenario.NONE
                : ScenarioParser.parse(String.join("\n", a.scenario()), "@L2tpHarness(scenario) of " + label);
        if (!a.scenarioFile().isEmpty()) {
            s = s.plus(ScenarioParser.parseFile(Path.of(a.scenarioFile())).directives());
        }
        return s;
    }

    private static List<String[]> users(L2tpHarness a) {
        List<String[]> out = new ArrayList<>();
        for (String u : a.users()) {
            int colon = u.indexOf(':');
            if (colon <= 0) {
                throw new IllegalArgumentException("users: '" + u + "' is not name:secret");
            }
            out.add(new String[] {u.substring(0, colon), u.substring(colon + 1)});
        }
        return out;
    }

    /** The LNS a LAC dials: {@code lns} as HOST:PORT, or the first harness LNS of this test. */
    private static InetSocketAddress target(L2tpHarness a, Started started) {
        if (a.lns().isEmpty()) {
            return started.harnesses.stream().filter(h -> h.role() == L2tpHarness.Role.LNS).findFirst()
                    .map(RunningHarness::address)
                    .orElseThrow(() -> new IllegalArgumentException("a LAC needs lns = \"HOST:PORT\" or a harness LNS"
                            + " parameter before it"));
        }
        int colon = a.lns().lastIndexOf(':');
        if (colon <= 0) {
            throw new IllegalArgumentException("lns: '" + a.lns() + "' is not HOST:PORT");
        }
        String host = a.lns().substring(0, colon).replaceAll("^\\[|]$", "");
        int port;
        try {
            port = Integer.parseInt(a.lns().substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("lns: '" + a.lns() + "' has no port number");
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("lns: port " + port + " is not 1-65535");
        }
        InetSocketAddress t = new InetSocketAddress(host, port);
        if (t.isUnresolved()) {
            throw new IllegalArgumentException("lns: cannot resolve " + host);
        }
        return t;
    }

    @Override
    public void afterTestExecution(ExtensionContext ec) throws IOException {
        Started started = ec.getStore(NS).remove(STARTED, Started.class);
        if (started == null) {
            return;
        }
        try {
            started.closeAll(); // flushes and closes the pcaps
            if (ec.getExecutionException().isPresent()) {
                Path dir = Path.of(System.getProperty("jl2tp.harness.pcapDir", "target/l2tp-harness"));
                Files.createDirectories(dir);
                String test = ec.getRequiredTestClass().getName() + "." + ec.getRequiredTestMethod().getName();
                for (int i = 0; i < started.harnesses.size(); i++) {
                    Path from = started.harnesses.get(i).pcap();
                    if (Files.exists(from)) {
                        Path to = dir.resolve(test + "-" + started.labels.get(i) + ".pcap");
                        Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
                        System.err.println("@L2tpHarness: the test failed; " + started.labels.get(i) + "'s pcap is "
                                + to.toAbsolutePath());
                    }
                }
            }
        } finally {
            deleteDir(started.dir);
        }
    }

    private static void deleteDir(Path dir) {
        if (dir == null || !Files.exists(dir)) {
            return;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
