package io.jl2tp.app.harness.conformance;

import io.jl2tp.app.lns.LnsServer;
import io.jl2tp.l2tp.tunnel.TunnelConfig;
import io.jl2tp.ppp.options.PppSettings;
import io.jl2tp.ppp.options.SecretsFile;
import io.jl2tp.testkit.NetNs;
import io.jl2tp.testkit.RequiresRoot;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The conformance suite against jl2tp's own LNS ({@link LnsServer}, CHAP or PAP, IPV6CP, tunnel
 * secret with challenge and hidden AVPs) in a namespace, the harness LAC in another: every
 * scenario passes, and the verdicts are asserted one by one so that a regression names its clause.
 */
@RequiresRoot(commands = {"ip"})
class ConformanceOwnLnsTest {

    private static NetNs lnsNs;
    private static NetNs lacNs;
    private static LnsServer lns;

    @BeforeAll
    static void startLns() throws Exception {
        lnsNs = NetNs.create("clns");
        lacNs = NetNs.create("clac");
        NetNs.veth(lacNs, "wan", "203.0.113.1/24", lnsNs, "wan", "203.0.113.2/24");
        SecretsFile users = SecretsFile.parse("alice * s3cret\n", "users", p -> {
            throw new IllegalStateException();
        });
        PppSettings ppp = PppSettings.builder().ipv6cp(v -> v.enabled(true))
                .auth(a -> a.auth(true).requireChap(true).requirePap(true)).build();
        lns = new LnsServer(new LnsServer.Config(new InetSocketAddress("203.0.113.2", 1701),
                TunnelConfig.defaults("jl2tp-lns").withSecret("tunnelsecret".getBytes(StandardCharsets.US_ASCII), true)
                        .withHidden(true), ppp, users,
                (Inet4Address) InetAddress.getByName("198.51.100.1"), LnsServer.range("198.51.100.", 128, 191),
                List.of((Inet4Address) InetAddress.getByName("198.51.100.53"))), e -> { });
        lnsNs.run(lns::start);
    }

    @AfterAll
    static void stopLns() {
        if (lns != null) {
            lns.close();
        }
        if (lacNs != null) {
            lacNs.close();
        }
        if (lnsNs != null) {
            lnsNs.close();
        }
    }

    /** The command end to end: table on stdout, JSON and JUnit XML files, exit status 0. */
    @Test
    void commandWritesTheTableJsonAndJunitXml(@TempDir Path dir) throws Exception {
        Path pw = dir.resolve("pw");
        Path ts = dir.resolve("ts");
        Files.writeString(pw, "s3cret\n");
        Files.writeString(ts, "tunnelsecret\n");
        for (Path p : List.of(pw, ts)) {
            Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rw-------"));
        }
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int status = lacNs.call(() -> new CommandLine(new ConformanceCommand()).setOut(new PrintWriter(out))
                .setErr(new PrintWriter(err)).execute("--lns", "203.0.113.2", "--user", "alice", "--password-file", pw.toString(),
                        "--tunnel-secret-file", ts.toString(), "--only", "hello,hidden-avp,lcp-echo", "--known", "jl2tp",
                        "--json", dir.resolve("r.json").toString(), "--junit-xml", dir.resolve("r.xml").toString()));
        assertEquals(0, status, out + "\n" + err);
        assertEquals("", err.toString());
        String o = out.toString();
        assertTrue(o.startsWith("conformance: LNS 203.0.113.2:1701, 3 scenarios\n"), o);
        assertTrue(o.contains("\nhidden-avp  RFC 2661 §4.3  PASS    ICRP sent to the hidden Assigned Session ID "), o);
        assertTrue(o.endsWith("3 scenarios: 3 pass, 0 fail, 0 known deviation, 0 unexpected pass, 0 skipped\n"), o);
        assertTrue(Files.readString(dir.resolve("r.json")).contains("\"summary\": {\"pass\": 3, \"fail\": 0"));
        assertTrue(Files.readString(dir.resolve("r.xml")).contains("tests=\"3\" failures=\"0\""));
        assertFalse(o.contains("s3cret") || o.contains("tunnelsecret"), "no secret in the output");
    }

    @Test
    void everyScenarioPasses() throws Exception {
        Target target = new Target(new InetSocketAddress("203.0.113.2", 1701), "tunnelsecret".getBytes(StandardCharsets.US_ASCII),
                "alice", "s3cret".getBytes(StandardCharsets.US_ASCII), Duration.ofSeconds(3));
        List<Result> results = lacNs.call(() -> ConformanceSuite.run(target, ConformanceSuite.scenarios(),
                KnownDeviations.of("jl2tp"), r -> System.out.println(r.scenario().id() + " " + r.verdict() + " " + r.detail())));
        System.out.print(Report.table(results));
        Map<String, Verdict> got = new TreeMap<>();
        Map<String, Verdict> want = new TreeMap<>();
        for (Result r : results) {
            got.put(r.scenario().id(), r.verdict());
            want.put(r.scenario().id(), Verdict.PASS);
        }
        assertEquals(want, got, Report.table(results));
        assertEquals(Set.of(), KnownDeviations.of("jl2tp"));
    }
}
