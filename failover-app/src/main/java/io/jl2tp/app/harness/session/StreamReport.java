package io.jl2tp.app.harness.session;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * The traffic streams of a harness run as each side sees them: what it sent, and what it
 * received of its peer's streams (the LAC receives the downstream, LNS→LAC; the LNS the
 * upstream, LAC→LNS — each side reports only what it can count itself). Rows per session,
 * a total over all sessions (latency percentiles from the merged histograms), as text or JSON.
 */
public final class StreamReport {

    /** Sessions listed one per line in the text report; beyond that, the total and the worst few. */
    public static final int TEXT_ROWS = 10;
    static final int WORST = 5;
    /** Per-session rows kept by a {@link Collector}; later sessions count in the total only. */
    public static final int MAX_ROWS = 65_536;

    /**
     * One session's streams (or the total: tunnel and session -1): packets sent and skipped
     * (the event loop more than 1 s behind, or IPCP down) by this side; received, lost, reordered, duplicated and
     * corrupt packets of the peer's stream; one-way latency p50/p95/p99/max in µs (-1: none).
     */
    public record Row(int tunnelId, int sessionId, long sent, long skipped, long received, long lost, long reordered,
                      long duplicated, long corrupt, long p50Micros, long p95Micros, long p99Micros, long maxMicros) {

        /** Lost as a percentage of the packets expected (distinct received + lost); 0 if none. */
        public double lossPercent() {
            long expected = received - duplicated + lost;
            return expected == 0 ? 0 : 100.0 * lost / expected;
        }

        static Row of(int tunnel, int session, long sent, long skipped, SequenceStats s, LatencyHistogram h) {
            if (s == null) {
                return new Row(tunnel, session, sent, skipped, 0, 0, 0, 0, 0, -1, -1, -1, -1);
            }
            return new Row(tunnel, session, sent, skipped, s.received(), s.lost(), s.reordered(), s.duplicated(),
                    s.corrupt(), h.percentile(50), h.percentile(95), h.percentile(99), h.max());
        }
    }

    /**
     * A report: the stream settings, who received what ({@code direction}), the total, the kept
     * rows, and the total's latency histogram (a copy, so that reports can be merged exactly).
     */
    public record Summary(StreamConfig config, String direction, int sessions, Row total, List<Row> rows,
                          LatencyHistogram latency) {
    }

    /**
     * One report from several (the harness LAC's shards, {@code LacShards}): counts summed,
     * histograms merged, rows joined up to {@link #MAX_ROWS}; null if none of them has streams.
     */
    public static Summary merge(List<Summary> parts) {
        Collector all = new Collector();
        Summary first = null;
        for (Summary s : parts) {
            if (s != null) {
                first = first == null ? s : first;
                all.add(s);
            }
        }
        return first == null ? null : all.summary(first.config(), first.direction());
    }

    /**
     * Sums calls' streams: {@link #add} a call when it ends (the LNS keeps its ended calls' figures
     * this way) or for a snapshot. Holds one merged histogram and at most {@link #MAX_ROWS} rows.
     * Not thread-safe (event loop).
     */
    public static final class Collector {
        private final LatencyHistogram latency = new LatencyHistogram();
        private final List<Row> rows = new ArrayList<>();
        private int sessions;
        private long sent;
        private long skipped;
        private long received;
        private long lost;
        private long reordered;
        private long duplicated;
        private long corrupt;

        /** Adds {@code c}'s streams. */
        public void add(HarnessCall c) {
            CallStreams s = c.streams();
            SequenceStats rx = s.received();
            Row r = Row.of(c.session().tunnel().localId(), c.session().localId(), s.sent(), s.skipped(), rx,
                    rx == null ? null : rx.latency());
            sessions++;
            if (rows.size() < MAX_ROWS) {
                rows.add(r);
            }
            sent += r.sent();
            skipped += r.skipped();
            received += r.received();
            lost += r.lost();
            reordered += r.reordered();
            duplicated += r.duplicated();
            corrupt += r.corrupt();
            if (rx != null) {
                latency.add(rx.latency());
            }
        }

        /** Adds another report's sessions, totals and latencies. */
        void add(Summary other) {
            Row t = other.total();
            sessions += other.sessions();
            for (Row r : other.rows()) {
                if (rows.size() < MAX_ROWS) {
                    rows.add(r);
                }
            }
            sent += t.sent();
            skipped += t.skipped();
            received += t.received();
            lost += t.lost();
            reordered += t.reordered();
            duplicated += t.duplicated();
            corrupt += t.corrupt();
            latency.add(other.latency());
        }

        /** A copy, to add live calls to without touching this one. */
        public Collector copy() {
            Collector c = new Collector();
            c.latency.add(latency);
            c.rows.addAll(rows);
            c.sessions = sessions;
            c.sent = sent;
            c.skipped = skipped;
            c.received = received;
            c.lost = lost;
            c.reordered = reordered;
            c.duplicated = duplicated;
            c.corrupt = corrupt;
            return c;
        }

        /** The report of everything added. */
        public Summary summary(StreamConfig config, String direction) {
            Row total = new Row(-1, -1, sent, skipped, received, lost, reordered, duplicated, corrupt,
                    latency.percentile(50), latency.percentile(95), latency.percentile(99), latency.max());
            LatencyHistogram h = new LatencyHistogram();
            h.add(latency);
            return new Summary(config, direction, sessions, total, List.copyOf(rows), h);
        }
    }

    private StreamReport() {
    }

    /**
     * The text table: a heading, then one line per session if there are at most
     * {@link #TEXT_ROWS} (or {@code allRows}), else the {@value #WORST} worst (most lost, then
     * highest p99), then the total.
     */
    public static String text(Summary s, boolean allRows) {
        StringBuilder b = new StringBuilder();
        StreamConfig c = s.config();
        b.append(String.format(Locale.ROOT, "streams: sending %d pps x %d B UDP per session for %s; received here: %s%n",
                c.rate(), c.size(), duration(c), s.direction()));
        b.append(String.format(Locale.ROOT, "%-16s %9s %9s %8s %7s %6s %6s %6s %8s %8s %8s %8s%n", "tunnel/session",
                "sent", "received", "lost", "loss%", "reord", "dup", "bad", "p50 us", "p95 us", "p99 us", "max us"));
        List<Row> rows = s.rows();
        if (!allRows && rows.size() > TEXT_ROWS) {
            List<Row> worst = new ArrayList<>(rows);
            worst.sort(Comparator.comparingLong(Row::lost).thenComparingLong(Row::p99Micros).reversed());
            rows = worst.subList(0, WORST);
            b.append("(the ").append(WORST).append(" worst of ").append(s.sessions()).append(" sessions)\n");
        }
        for (Row r : rows) {
            line(b, r.tunnelId() + "/" + r.sessionId(), r);
        }
        line(b, "total (" + s.sessions() + ")", s.total());
        if (s.total().skipped() > 0) {
            b.append("not sent ").append(s.total().skipped())
                    .append(" packets: the event loop fell more than 1 s behind the rate, or IPCP was down\n");
        }
        return b.toString();
    }

    private static String duration(StreamConfig c) {
        long ms = c.duration().toMillis();
        return ms % 1000 == 0 ? ms / 1000 + "s" : ms + "ms";
    }

    private static void line(StringBuilder b, String name, Row r) {
        b.append(String.format(Locale.ROOT, "%-16s %9d %9d %8d %7.3f %6d %6d %6d %8s %8s %8s %8s%n", name, r.sent(),
                r.received(), r.lost(), r.lossPercent(), r.reordered(), r.duplicated(), r.corrupt(), us(r.p50Micros()),
                us(r.p95Micros()), us(r.p99Micros()), us(r.maxMicros())));
    }

    private static String us(long v) {
        return v < 0 ? "-" : Long.toString(v);
    }

    /** The report as one JSON object: settings, direction, the total and every kept row. */
    public static String json(Summary s) {
        StringBuilder b = new StringBuilder("{");
        b.append("\"rate\":").append(s.config().rate()).append(",\"size\":").append(s.config().size())
                .append(",\"durationMs\":").append(s.config().duration().toMillis())
                .append(",\"receivedDirection\":\"").append(s.direction()).append("\",\"sessions\":").append(s.sessions())
                .append(",\"total\":");
        json(b, s.total());
        b.append(",\"perSession\":[");
        for (int i = 0; i < s.rows().size(); i++) {
            if (i > 0) {
                b.append(',');
            }
            json(b, s.rows().get(i));
        }
        return b.append("]}").toString();
    }

    private static void json(StringBuilder b, Row r) {
        b.append('{');
        if (r.sessionId() >= 0) {
            b.append("\"tunnel\":").append(r.tunnelId()).append(",\"session\":").append(r.sessionId()).append(',');
        }
        b.append("\"sent\":").append(r.sent()).append(",\"skipped\":").append(r.skipped()).append(",\"received\":")
                .append(r.received()).append(",\"lost\":").append(r.lost())
                .append(",\"lossPercent\":").append(String.format(Locale.ROOT, "%.3f", r.lossPercent()))
                .append(",\"reordered\":").append(r.reordered()).append(",\"duplicated\":").append(r.duplicated())
                .append(",\"corrupt\":").append(r.corrupt()).append(",\"latencyUs\":{\"p50\":").append(n(r.p50Micros()))
                .append(",\"p95\":").append(n(r.p95Micros())).append(",\"p99\":").append(n(r.p99Micros()))
                .append(",\"max\":").append(n(r.maxMicros())).append("}}");
    }

    private static String n(long v) {
        return v < 0 ? "null" : Long.toString(v);
    }
}
