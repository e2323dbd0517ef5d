package io.jl2tp.app.harness.conformance;

import java.util.List;
import java.util.Locale;

/**
 * The suite's results as a text table (stdout), JSON ({@code --json}) and JUnit XML
 * ({@code --junit-xml}, one testsuite, a testcase per scenario: FAIL is a failure, SKIP and KNOWN
 * are skipped with the detail as message, so CI tools show them). Pure functions of the results.
 */
public final class Report {

    private Report() {
    }

    /** A fixed-width table: scenario, clause, verdict, detail; then a summary line. */
    public static String table(List<Result> results) {
        int w = 8;
        int c = 6;
        for (Result r : results) {
            w = Math.max(w, r.scenario().id().length());
            c = Math.max(c, r.scenario().clause().length());
        }
        StringBuilder b = new StringBuilder();
        String fmt = "%-" + w + "s  %-" + c + "s  %-7s %s%n";
        b.append(String.format(Locale.ROOT, fmt, "SCENARIO", "CLAUSE", "VERDICT", "DETAIL"));
        for (Result r : results) {
            b.append(String.format(Locale.ROOT, fmt, r.scenario().id(), r.scenario().clause(), r.verdict(), oneLine(r.detail())));
        }
        b.append(summary(results)).append('\n');
        return b.toString();
    }

    /** "21 scenarios: 19 pass, 1 fail, 1 known deviation, 0 unexpected pass, 0 skipped". */
    public static String summary(List<Result> results) {
        return String.format(Locale.ROOT, "%d scenarios: %d pass, %d fail, %d known deviation, %d unexpected pass, %d skipped",
                results.size(), count(results, Verdict.PASS), count(results, Verdict.FAIL), count(results, Verdict.KNOWN),
                count(results, Verdict.XPASS), count(results, Verdict.SKIP));
    }

    static long count(List<Result> results, Verdict v) {
        return results.stream().filter(r -> r.verdict() == v).count();
    }

    /** The results as a JSON document: target, summary counts and one object per scenario. */
    public static String json(String target, List<Result> results) {
        StringBuilder b = new StringBuilder("{\n  \"target\": ").append(jsonString(target)).append(",\n  \"summary\": {");
        Verdict[] vs = Verdict.values();
        for (int i = 0; i < vs.length; i++) {
            b.append(i == 0 ? "" : ", ").append(jsonString(vs[i].name().toLowerCase(Locale.ROOT))).append(": ")
                    .append(count(results, vs[i]));
        }
        b.append("},\n  \"scenarios\": [");
        for (int i = 0; i < results.size(); i++) {
            Result r = results.get(i);
            b.append(i == 0 ? "\n" : ",\n").append("    {\"id\": ").append(jsonString(r.scenario().id()))
                    .append(", \"clause\": ").append(jsonString(r.scenario().clause()))
                    .append(", \"expected\": ").append(jsonString(r.scenario().expected()))
                    .append(", \"verdict\": ").append(jsonString(r.verdict().name()))
                    .append(", \"detail\": ").append(jsonString(r.detail()))
                    .append(", \"seconds\": ").append(String.format(Locale.ROOT, "%.3f", r.seconds())).append('}');
        }
        return b.append("\n  ]\n}\n").toString();
    }

    /** The results as JUnit XML (the Ant/Surefire schema CI tools read). */
    public static String junitXml(String target, List<Result> results) {
        double total = results.stream().mapToDouble(Result::seconds).sum();
        StringBuilder b = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
        b.append(String.format(Locale.ROOT, "<testsuite name=\"%s\" tests=\"%d\" failures=\"%d\" errors=\"0\" skipped=\"%d\" time=\"%.3f\">%n",
                xml("jl2tp conformance " + target), results.size(), count(results, Verdict.FAIL),
                count(results, Verdict.SKIP) + count(results, Verdict.KNOWN), total));
        for (Result r : results) {
            b.append(String.format(Locale.ROOT, "  <testcase classname=\"%s\" name=\"%s\" time=\"%.3f\"",
                    xml(r.scenario().clause()), xml(r.scenario().id()), r.seconds()));
            String msg = xml(r.detail());
            switch (r.verdict()) {
                case FAIL -> b.append(">\n    <failure message=\"").append(msg).append("\">")
                        .append(xml(r.scenario().expected())).append("</failure>\n  </testcase>\n");
                case SKIP -> b.append(">\n    <skipped message=\"").append(msg).append("\"/>\n  </testcase>\n");
                case KNOWN -> b.append(">\n    <skipped message=\"known deviation: ").append(msg).append("\"/>\n  </testcase>\n");
                default -> b.append(">\n    <system-out>").append(r.verdict()).append(": ").append(msg).append("</system-out>\n  </testcase>\n");
            }
        }
        return b.append("</testsuite>\n").toString();
    }

    private static String oneLine(String s) {
        return s == null ? "" : s.replace('\n', ' ');
    }

    static String jsonString(String s) {
        StringBuilder b = new StringBuilder("\"");
        for (char ch : (s == null ? "" : s).toCharArray()) {
            switch (ch) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                default -> {
                    if (ch < 0x20) {
                        b.append(String.format("\\u%04x", (int) ch));
                    } else {
                        b.append(ch);
                    }
                }
            }
        }
        return b.append('"').toString();
    }

    static String xml(String s) {
        StringBuilder b = new StringBuilder();
        for (char ch : (s == null ? "" : s).toCharArray()) {
            switch (ch) {
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '&' -> b.append("&amp;");
                case '"' -> b.append("&quot;");
                default -> {
                    if (ch >= 0x20 || ch == '\t') {
                        b.append(ch);
                    } else if (ch == '\n') {
                        b.append("&#10;");
                    }
                }
            }
        }
        return b.toString();
    }
}
