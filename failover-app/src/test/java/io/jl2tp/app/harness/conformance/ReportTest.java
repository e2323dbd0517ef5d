package io.jl2tp.app.harness.conformance;

import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

import javax.xml.parsers.DocumentBuilderFactory;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The reports and verdict rules, from results made by hand. */
class ReportTest {

    private static final Scenario A = new Scenario("a-pass", "RFC 2661 §5.8", "passes", t -> "fine");
    private static final Scenario B = new Scenario("b-fail", "RFC 1994 §4.2", "fails", t -> {
        throw new Failed("no \"Failure\" <4> & then CDN");
    });
    private static final Scenario C = new Scenario("c-known", "RFC 2661 §4.3", "known", t -> {
        throw new Failed("short hidden AVP");
    });
    private static final Scenario D = new Scenario("d-skip", "RFC 2661 §5.1.1", "skipped", t -> {
        throw new Scenario.Skipped("no secret");
    });
    private static final Scenario E = new Scenario("e-xpass", "RFC 2661 §6.5", "listed but passes", t -> "ok");

    private static List<Result> results() {
        return ConformanceSuite.run(null, List.of(A, B, C, D, E), Set.of("c-known", "e-xpass"), r -> { });
    }

    @Test
    void verdictsApplyKnownDeviations() {
        List<Verdict> v = results().stream().map(Result::verdict).toList();
        assertEquals(List.of(Verdict.PASS, Verdict.FAIL, Verdict.KNOWN, Verdict.SKIP, Verdict.XPASS), v);
        assertTrue(Verdict.FAIL.failsRun(false));
        assertFalse(Verdict.KNOWN.failsRun(false));
        assertTrue(Verdict.KNOWN.failsRun(true));
        assertFalse(Verdict.SKIP.failsRun(true));
        assertFalse(Verdict.XPASS.failsRun(true));
    }

    @Test
    void tableHasOneRowPerScenarioAndASummary() {
        String t = Report.table(results());
        String[] lines = t.split("\n");
        assertEquals(7, lines.length, t);
        assertTrue(lines[0].startsWith("SCENARIO"), t);
        assertTrue(lines[2].matches("b-fail +RFC 1994 §4.2 +FAIL +no \"Failure\" <4> & then CDN"), lines[2]);
        assertEquals("5 scenarios: 1 pass, 1 fail, 1 known deviation, 1 unexpected pass, 1 skipped", lines[6]);
    }

    @Test
    void jsonEscapesAndCounts() {
        String j = Report.json("lns 203.0.113.2:1701", results());
        assertTrue(j.contains("\"summary\": {\"pass\": 1, \"fail\": 1, \"known\": 1, \"xpass\": 1, \"skip\": 1}"), j);
        assertTrue(j.contains("\"detail\": \"no \\\"Failure\\\" <4> & then CDN\""), j);
        assertTrue(j.contains("{\"id\": \"d-skip\", \"clause\": \"RFC 2661 §5.1.1\", \"expected\": \"skipped\", \"verdict\": \"SKIP\""), j);
    }

    @Test
    void junitXmlIsWellFormedWithFailuresAndSkips() throws Exception {
        String x = Report.junitXml("lns 203.0.113.2:1701", results());
        Document d = DocumentBuilderFactory.newInstance().newDocumentBuilder()
                .parse(new ByteArrayInputStream(x.getBytes(StandardCharsets.UTF_8)));
        Element suite = d.getDocumentElement();
        assertEquals("testsuite", suite.getTagName());
        assertEquals("5", suite.getAttribute("tests"));
        assertEquals("1", suite.getAttribute("failures"));
        assertEquals("2", suite.getAttribute("skipped"));
        NodeList cases = suite.getElementsByTagName("testcase");
        assertEquals(5, cases.getLength());
        Element fail = (Element) cases.item(1);
        assertEquals("b-fail", fail.getAttribute("name"));
        assertEquals("no \"Failure\" <4> & then CDN",
                ((Element) fail.getElementsByTagName("failure").item(0)).getAttribute("message"));
        Element known = (Element) cases.item(2);
        assertTrue(((Element) known.getElementsByTagName("skipped").item(0)).getAttribute("message").startsWith("known deviation: "));
    }
}
