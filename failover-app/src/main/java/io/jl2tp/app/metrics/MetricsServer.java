package io.jl2tp.app.metrics;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.jl2tp.app.dial.Dialer;
import io.jl2tp.app.dial.LacManager;
import io.jl2tp.app.failover.FailoverService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;

/**
 * The Prometheus text endpoint ({@code GET /metrics}, exposition format 0.0.4): the LACs'
 * session state and counters, and the failover sections' state, failover count and last
 * failover time — the same facts as the control FIFO's {@code s}. Off unless asked for, and
 * bound to the loopback address only: a router's metrics are nobody else's business (put a
 * reverse proxy or node-exporter's textfile collector in front to publish them).
 */
public final class MetricsServer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(MetricsServer.class);

    private final HttpServer server;
    private final ExecutorService executor;

    private MetricsServer(HttpServer server, ExecutorService executor) {
        this.server = server;
        this.executor = executor;
    }

    /**
     * Starts serving on the loopback address.
     *
     * @param port TCP port; 0 picks a free one (see {@link #port()})
     */
    public static MetricsServer start(int port, Supplier<List<LacManager.Snapshot>> lacs,
                                      Supplier<List<FailoverService.Snapshot>> failovers) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 8);
        ExecutorService executor = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "metrics");
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(executor);
        server.createContext("/", exchange -> {
            try (exchange) {
                serve(exchange, lacs, failovers);
            } catch (RuntimeException e) {
                log.warn("metrics: {}", e.toString());
            }
        });
        server.start();
        log.info("metrics: http://{}:{}/metrics", InetAddress.getLoopbackAddress().getHostAddress(),
                server.getAddress().getPort());
        return new MetricsServer(server, executor);
    }

    private static void serve(HttpExchange exchange, Supplier<List<LacManager.Snapshot>> lacs,
                              Supplier<List<FailoverService.Snapshot>> failovers) throws IOException {
        String method = exchange.getRequestMethod();
        if (!exchange.getRequestURI().getPath().equals("/metrics")) {
            reply(exchange, 404, "text/plain; charset=utf-8", "not found: try /metrics\n");
        } else if (!method.equals("GET") && !method.equals("HEAD")) {
            exchange.getResponseHeaders().add("Allow", "GET, HEAD");
            reply(exchange, 405, "text/plain; charset=utf-8", "method not allowed\n");
        } else {
            reply(exchange, 200, "text/plain; version=0.0.4; charset=utf-8", render(lacs.get(), failovers.get()));
        }
    }

    private static void reply(HttpExchange exchange, int status, String type, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", type);
        boolean head = exchange.getRequestMethod().equals("HEAD");
        exchange.sendResponseHeaders(status, head ? -1 : bytes.length);
        if (!head) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        }
    }

    /** The exposition text for these snapshots (package-visible for tests). */
    static String render(List<LacManager.Snapshot> lacs, List<FailoverService.Snapshot> failovers) {
        Text t = new Text();
        t.family("jl2tp_lac_up", "gauge", "1 if the LAC's PPP session is up (an IP address negotiated)");
        lacs.forEach(l -> t.sample("jl2tp_lac_up", l.name(), bool("up".equals(l.state()))));
        t.family("jl2tp_lac_active", "gauge", "1 if the LAC is dialling, connected or waiting to redial");
        lacs.forEach(l -> t.sample("jl2tp_lac_active", l.name(), bool(l.active())));
        t.family("jl2tp_lac_state_since_seconds", "gauge", "Unix time of the LAC's last change of state");
        lacs.forEach(l -> t.sample("jl2tp_lac_state_since_seconds", l.name(), seconds(l.since().toEpochMilli())));
        t.family("jl2tp_lac_failed_attempts", "gauge", "failed dial attempts since the last success");
        lacs.forEach(l -> t.sample("jl2tp_lac_failed_attempts", l.name(), l.failures()));
        counter(t, lacs, "jl2tp_lac_receive_packets_total", "IP packets received through the current session", Dialer.Status::rxPackets);
        counter(t, lacs, "jl2tp_lac_transmit_packets_total", "IP packets sent through the current session", Dialer.Status::txPackets);
        counter(t, lacs, "jl2tp_lac_receive_bytes_total", "octets received through the current session", Dialer.Status::rxBytes);
        counter(t, lacs, "jl2tp_lac_transmit_bytes_total", "octets sent through the current session", Dialer.Status::txBytes);
        if (!failovers.isEmpty()) {
            t.family("jl2tp_failover_primary_up", "gauge", "1 if the primary link is usable (link, carrier, address, probe)");
            failovers.forEach(f -> t.sample("jl2tp_failover_primary_up", f.lac(), bool(f.primaryUp())));
            t.family("jl2tp_failover_primary_since_seconds", "gauge", "Unix time of the primary's last change of state");
            failovers.forEach(f -> t.sample("jl2tp_failover_primary_since_seconds", f.lac(), seconds(f.primarySince().toEpochMilli())));
            t.family("jl2tp_failover_session_active", "gauge", "1 if the backup session is wanted (dialling or up)");
            failovers.forEach(f -> t.sample("jl2tp_failover_session_active", f.lac(), bool(f.active())));
            t.family("jl2tp_failover_hold_pending", "gauge", "1 while the hang-up waits for 'hold up'");
            failovers.forEach(f -> t.sample("jl2tp_failover_hold_pending", f.lac(), bool(f.holding())));
            t.family("jl2tp_failover_failovers_total", "counter", "primary losses that started the backup session");
            failovers.forEach(f -> t.sample("jl2tp_failover_failovers_total", f.lac(), f.failovers()));
            t.family("jl2tp_failover_last_duration_seconds", "gauge", "primary down to session up, last failover");
            failovers.stream().filter(f -> f.lastFailover() != null).forEach(f ->
                    t.sample("jl2tp_failover_last_duration_seconds", f.lac(), seconds(f.lastFailover().toMillis())));
        }
        return t.toString();
    }

    private static void counter(Text t, List<LacManager.Snapshot> lacs, String name, String help,
                                java.util.function.ToLongFunction<Dialer.Status> value) {
        t.family(name, "counter", help);
        lacs.forEach(l -> t.sample(name, l.name(), l.session() == null ? 0 : value.applyAsLong(l.session())));
    }

    private static Number bool(boolean b) {
        return b ? 1 : 0;
    }

    private static Number seconds(long millis) {
        return millis / 1000.0;
    }

    private static final class Text {
        private final StringBuilder sb = new StringBuilder();

        void family(String name, String type, String help) {
            sb.append("# HELP ").append(name).append(' ').append(help).append('\n');
            sb.append("# TYPE ").append(name).append(' ').append(type).append('\n');
        }

        void sample(String name, String lac, Number value) {
            sb.append(name).append("{lac=\"").append(escape(lac)).append("\"} ");
            if (value instanceof Double d) {
                sb.append(String.format(Locale.ROOT, "%.3f", d));
            } else {
                sb.append(value);
            }
            sb.append('\n');
        }

        @Override
        public String toString() {
            return sb.toString();
        }
    }

    /** Label values escape backslash, double quote and line feed (exposition format). */
    static String escape(String s) {
        return s.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
    }

    /** The port actually bound. */
    public int port() {
        return server.getAddress().getPort();
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
