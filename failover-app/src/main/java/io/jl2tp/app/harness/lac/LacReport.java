package io.jl2tp.app.harness.lac;

import io.jl2tp.app.harness.session.CallStatus;
import io.jl2tp.app.harness.session.HarnessControl;
import io.jl2tp.app.harness.session.StreamReport;

import java.util.Locale;
import java.util.Map;

/** The harness LAC's result as text or JSON. Stateless; any thread. */
public final class LacReport {

    private LacReport() {
    }

    /** The summary (and, if {@code perCall}, a line per call). */
    public static String text(HarnessLac.Result r, boolean perCall) {
        StringBuilder b = new StringBuilder();
        b.append(String.format(Locale.ROOT, "calls placed %d, reached IPCP up %d, up now %d, failed %d%n", r.placed(),
                r.reachedUp(), r.upNow(), r.failures().values().stream().mapToInt(Integer::intValue).sum()));
        b.append(String.format(Locale.ROOT, "set-up latency p50 %s ms, p99 %s ms; set-up rate %.1f calls/s%n",
                ms(r.setupP50Millis()), ms(r.setupP99Millis()), r.setupRatePerSecond()));
        b.append(String.format(Locale.ROOT, "echo requests %d, answered %d, rtt p50 %s ms, p99 %s ms%n", r.pingsSent(),
                r.pingsAnswered(), ms(r.rttP50Millis()), ms(r.rttP99Millis())));
        for (Map.Entry<String, Integer> f : r.failures().entrySet()) {
            b.append("failed ").append(f.getValue()).append(": ").append(f.getKey()).append('\n');
        }
        for (Map.Entry<String, Integer> f : r.endedAfterUp().entrySet()) {
            b.append("ended after up ").append(f.getValue()).append(": ").append(f.getKey()).append('\n');
        }
        if (!r.misbehaviour().isEmpty()) {
            b.append("misbehaviour ").append(r.misbehaviour()).append('\n');
        }
        if (perCall) {
            for (CallStatus c : r.calls()) {
                b.append(HarnessControl.line(c)).append('\n');
            }
        }
        if (r.streams() != null) {
            b.append(StreamReport.text(r.streams(), perCall));
        }
        b.append("elapsed ").append(r.elapsedMillis()).append(" ms");
        return b.toString();
    }

    private static String ms(double v) {
        return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, "%.1f", v);
    }

    /** The result as one JSON object (calls included; {@code streams} when the run had them). */
    public static String json(HarnessLac.Result r) {
        StringBuilder b = new StringBuilder("{");
        b.append("\"placed\":").append(r.placed()).append(",\"reachedUp\":").append(r.reachedUp())
                .append(",\"upNow\":").append(r.upNow()).append(",\"failures\":{");
        boolean first = true;
        for (Map.Entry<String, Integer> f : r.failures().entrySet()) {
            b.append(first ? "" : ",").append(str(f.getKey())).append(':').append(f.getValue());
            first = false;
        }
        b.append("},\"endedAfterUp\":{");
        first = true;
        for (Map.Entry<String, Integer> f : r.endedAfterUp().entrySet()) {
            b.append(first ? "" : ",").append(str(f.getKey())).append(':').append(f.getValue());
            first = false;
        }
        b.append("},\"setupP50Ms\":").append(num(r.setupP50Millis())).append(",\"setupP99Ms\":").append(num(r.setupP99Millis()))
                .append(",\"setupRatePerSecond\":").append(num(r.setupRatePerSecond()))
                .append(",\"pingsSent\":").append(r.pingsSent()).append(",\"pingsAnswered\":").append(r.pingsAnswered())
                .append(",\"rttP50Ms\":").append(num(r.rttP50Millis())).append(",\"rttP99Ms\":").append(num(r.rttP99Millis()))
                .append(",\"elapsedMs\":").append(r.elapsedMillis()).append(",\"misbehaviour\":{");
        first = true;
        for (Map.Entry<String, Long> m : r.misbehaviour().entrySet()) {
            b.append(first ? "" : ",").append(str(m.getKey())).append(':').append(m.getValue());
            first = false;
        }
        b.append("},\"calls\":[");
        first = true;
        for (CallStatus c : r.calls()) {
            b.append(first ? "" : ",").append("{\"tunnel\":").append(c.tunnelId()).append(",\"session\":").append(c.sessionId())
                    .append(",\"peerSession\":").append(c.peerSessionId()).append(",\"phase\":").append(str(c.phase()))
                    .append(",\"ipv4\":").append(str(c.ipv4Local())).append(",\"ipv4Peer\":").append(str(c.ipv4Remote()))
                    .append(",\"setupMs\":").append(c.setupMillis()).append(",\"rxPackets\":").append(c.rxPackets())
                    .append(",\"txPackets\":").append(c.txPackets()).append(",\"echoReplies\":").append(c.echoRepliesReceived())
                    .append(",\"down\":").append(str(c.downCause())).append('}');
            first = false;
        }
        b.append(']');
        if (r.streams() != null) {
            b.append(",\"streams\":").append(StreamReport.json(r.streams()));
        }
        return b.append('}').toString();
    }

    private static String num(double v) {
        return Double.isNaN(v) || Double.isInfinite(v) ? "null" : String.format(Locale.ROOT, "%.3f", v);
    }

    /** A JSON string literal (null as null). */
    static String str(String s) {
        if (s == null) {
            return "null";
        }
        StringBuilder b = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                default -> {
                    if (c < 0x20) {
                        b.append(String.format("\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        return b.append('"').toString();
    }
}
