package io.jl2tp.app.harness.conformance;

import io.jl2tp.testkit.L2tpnsFixture;
import io.jl2tp.testkit.RequiresRoot;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The conformance suite against the real l2tpns 2.4.1 (testkit {@link L2tpnsFixture}: CHAP and PAP
 * through FreeRADIUS, tunnel secret, IPv6 prefix) from the fixture's LAC namespace. Every
 * scenario's verdict is asserted: l2tpns's known deviations ({@code --known l2tpns}) must come out
 * KNOWN, tunnel-auth-wrong SKIP (l2tpns does not challenge the LAC) and everything else PASS, so that a change in either direction — l2tpns or the harness —
 * is noticed here.
 */
@RequiresRoot(commands = {"l2tpns", "freeradius"})
class ConformanceL2tpnsTest {

    private static L2tpnsFixture lns;

    @BeforeAll
    static void start() throws Exception {
        lns = L2tpnsFixture.start();
    }

    @AfterAll
    static void stop() {
        if (lns != null) {
            lns.close();
        }
    }

    @Test
    void verdictsAreThoseRecordedForL2tpns() throws Exception {
        Target target = new Target(new InetSocketAddress(lns.lnsAddress(), lns.port()),
                lns.tunnelSecret().getBytes(StandardCharsets.US_ASCII), lns.user(),
                lns.password().getBytes(StandardCharsets.US_ASCII), Duration.ofSeconds(3));
        List<Result> results = lns.lacNamespace().call(() -> ConformanceSuite.run(target, ConformanceSuite.scenarios(),
                KnownDeviations.of("l2tpns"), r -> System.out.println(r.scenario().id() + " " + r.verdict() + " " + r.detail())));
        System.out.print(Report.table(results));
        Map<String, Verdict> got = new TreeMap<>();
        Map<String, Verdict> want = new TreeMap<>();
        for (Result r : results) {
            got.put(r.scenario().id(), r.verdict());
            want.put(r.scenario().id(), KnownDeviations.of("l2tpns").contains(r.scenario().id()) ? Verdict.KNOWN
                    // l2tpns sends no Challenge of its own (optional, RFC 2661 §5.1.1): nothing to answer wrongly
                    : r.scenario().id().equals("tunnel-auth-wrong") ? Verdict.SKIP : Verdict.PASS);
        }
        assertEquals(want, got, Report.table(results) + "\nl2tpns log:\n" + tail(lns.log()));
    }

    private static String tail(String log) {
        String[] lines = log.split("\n");
        return String.join("\n", List.of(lines).subList(Math.max(0, lines.length - 40), lines.length));
    }
}
