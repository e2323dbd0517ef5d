package io.jl2tp.app.metrics;

import io.jl2tp.app.dial.Dialer;
import io.jl2tp.app.dial.LacManager;
import io.jl2tp.app.failover.FailoverService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The Prometheus text endpoint ({@code GET /metrics}, exposition format 0.0.4): the LACs'
 * session state and counters, and the failover sections' state, failover count and last
 * failover time — the same facts as the control FIFO's {@code s}. Off unless asked for, and
 * bound to the loopback address only: a router's metrics are nobody else's business (put a
 * reverse proxy or node-exporter's textfile collector in front to publish them).
 *
 * <p>A minimal HTTP/1.x server of its own, so that no client can hold it: each connection gets
 * {@value #REQUEST_DEADLINE_MS} ms in total to send its request line and headers (at most
 * {@value #MAX_HEADER} octets), is answered once and closed; {@value #WORKERS} workers serve
 * connections in parallel and at most {@value #QUEUE} more wait, the rest are closed at once.
 * Threads: the {@code metrics-accept} thread owns the listening socket; each worker owns the
 * connection it serves.
 */
public final class MetricsServer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(MetricsServer.class);
    static final int REQUEST_DEADLINE_MS = 5_000;
    static final int MAX_HEADER = 8_192;
    static final int WORKERS = 4;
    static final int QUEUE = 16;

    private final ServerSocket socket;
    private final ThreadPoolExecutor workers;
    private final Thread acceptor;
    private final Supplier<List<LacManager.Snapshot>> lacs;
    private final Supplier<List<FailoverService.Snapshot>> failovers;

    private MetricsServer(ServerSocket socket, Supplier<List<LacManager.Snapshot>> lacs,
                          Supplier<List<FailoverService.Snapshot>> failovers) {
        this.socket = socket;
        this.lacs = lacs;
        this.failovers = failovers;
        this.workers = new ThreadPoolExecutor(WORKERS, WORKERS, 0, TimeUnit.SECONDS, new ArrayBlockingQueue<>(QUEUE), r -> {
            Thread t = new Thread(r, "metrics");
            t.setDaemon(true);
            return t;
        });
        this.acceptor = new Thread(this::accept, "metrics-accept");
        this.acceptor.setDaemon(true);
    }

    /**
     * Starts serving on the loopback address.
     *
     * @param port TCP port; 0 picks a free one (see {@link #port()})
     */
    public static MetricsServer start(int port, Supplier<List<LacManager.Snapshot>> lacs,
                                      Supplier<List<FailoverService.Snapshot>> failovers) throws IOException {
        ServerSocket ss = new ServerSocket();
        ss.setReuseAddress(true);
        ss.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 50);
        MetricsServer m = new MetricsServer(ss, lacs, failovers);
        m.acceptor.start();
        log.info("metrics: http://{}:{}/metrics", InetAddress.getLoopbackAddress().getHostAddress(), ss.getLocalPort());
        return m;
    }

    private void accept() {
        while (!socket.isClosed()) {
            Socket c;
            try {
                c = socket.accept();
            } catch (IOException e) {
                if (!socket.isClosed()) {
                    log.warn("metrics: accept failed: {}", e.getMessage());
                }
                continue;
            }
            try {
                workers.execute(() -> serve(c));
            } catch (RejectedExecutionException e) {
                log.debug("metrics: busy, connection closed");
                closeQuietly(c);
            }
        }
    }

    /** A parsed request: method, path, and the body octets not read yet. */
    record Request(String method, String path, int contentLength) {
    }

    private void serve(Socket c) {
        try (c) {
            long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(REQUEST_DEADLINE_MS);
            Request req = readRequest(c, deadline);
            if (req == null) {
                reply(c, "GET", 400, "text/plain; charset=utf-8", "bad request\n", null);
                return;
            }
            if (!req.path().equals("/metrics") && !req.path().startsWith("/metrics?")) {
                reply(c, req.method(), 404, "text/plain; charset=utf-8", "not found: try /metrics\n", null);
            } else if (!req.method().equals("GET") && !req.method().equals("HEAD")) {
                drain(c, req.contentLength(), deadline);
                reply(c, req.method(), 405, "text/plain; charset=utf-8", "method not allowed\n", "Allow: GET, HEAD");
            } else {
                reply(c, req.method(), 200, "text/plain; version=0.0.4; charset=utf-8",
                        render(lacs.get(), failovers.get()), null);
            }
        } catch (SocketTimeoutException e) {
            log.debug("metrics: a client sent no complete request within {} ms; closed", REQUEST_DEADLINE_MS);
        } catch (IOException | RuntimeException e) {
            log.debug("metrics: {}", e.toString());
        }
    }

    /** Reads the request line and headers within {@code deadline}; null if malformed. */
    static Request readRequest(Socket c, long deadline) throws IOException {
        InputStream in = c.getInputStream();
        byte[] buf = new byte[MAX_HEADER];
        int n = 0;
        while (true) {
            int left = (int) TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
            if (left <= 0) {
                throw new SocketTimeoutException("request deadline");
            }
            c.setSoTimeout(left);
            int r = in.read(buf, n, buf.length - n);
            if (r < 0) {
                return null;
            }
            n += r;
            String head = new String(buf, 0, n, StandardCharsets.ISO_8859_1);
            int end = head.indexOf("\r\n\r\n");
            int sep = 4;
            if (end < 0) {
                end = head.indexOf("\n\n");
                sep = 2;
            }
            if (end >= 0) {
                String[] lines = head.substring(0, end).split("\r?\n");
                String[] first = lines[0].split(" ");
                if (first.length != 3 || !first[2].startsWith("HTTP/1.")) {
                    return null;
                }
                int length = 0;
                for (String h : lines) {
                    if (h.regionMatches(true, 0, "Content-Length:", 0, 15)) {
                        try {
                            length = Integer.parseInt(h.substring(15).strip());
                        } catch (NumberFormatException e) {
                            return null;
                        }
                    }
                }
                return new Request(first[0], first[1], length - (n - end - sep)); // body octets still to come
            }
            if (n == buf.length) {
                return null; // headers too long
            }
        }
    }

    /** Reads and discards a request body (at most 64 KiB), so closing does not reset the reply. */
    private static void drain(Socket c, int length, long deadline) throws IOException {
        InputStream in = c.getInputStream();
        int left = Math.min(Math.max(length, 0), 65_536);
        byte[] skip = new byte[4096];
        while (left > 0) {
            int ms = (int) TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
            if (ms <= 0) {
                return;
            }
            c.setSoTimeout(ms);
            int r = in.read(skip, 0, Math.min(skip.length, left));
            if (r < 0) {
                return;
            }
            left -= r;
        }
    }

    private static void reply(Socket c, String method, int status, String type, String body, String extraHeader)
            throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        String reason = switch (status) {
            case 200 -> "OK";
            case 400 -> "Bad Request";
            case 404 -> "Not Found";
            default -> "Method Not Allowed";
        };
        StringBuilder h = new StringBuilder("HTTP/1.1 ").append(status).append(' ').append(reason).append("\r\n")
                .append("Content-Type: ").append(type).append("\r\n")
                .append("Content-Length: ").append(bytes.length).append("\r\n")
                .append("Connection: close\r\n");
        if (extraHeader != null) {
            h.append(extraHeader).append("\r\n");
        }
        h.append("\r\n");
        OutputStream out = c.getOutputStream();
        out.write(h.toString().getBytes(StandardCharsets.ISO_8859_1));
        if (!method.equals("HEAD")) {
            out.write(bytes);
        }
        out.flush();
        c.shutdownOutput();
    }

    private static void closeQuietly(Socket c) {
        try {
            c.close();
        } catch (IOException e) {
            // nothing to do
        }
    }

    /** The exposition text for these snapshots (package-visible for tests). */
    static String render(List<LacManager.Snapshot> lacs, List<FailoverService.Snapshot> failovers) {
        Text t = new Text();
        t.family("jl2tp_lac_up", "gauge", "1 if the LAC's PPP session is up (an IP address negotiated)");
        lacs.forEach(l -> t.sample("jl2tp_lac_up", l.name(), bool(l.state() == io.jl2tp.app.dial.Redialer.State.UP)));
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
        return socket.getLocalPort();
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException e) {
            log.debug("metrics: close: {}", e.toString());
        }
        workers.shutdownNow();
        try {
            acceptor.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
