package io.jl2tp.app.metrics;

import io.jl2tp.app.dial.Redialer;
import io.jl2tp.app.dial.Dialer;
import io.jl2tp.app.dial.LacManager;
import io.jl2tp.app.failover.FailoverService;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MetricsServerTest {

    private static final Instant T = Instant.ofEpochMilli(1_764_000_000_500L);

    private static Dialer.Status session(long rxBytes) {
        return new Dialer.Status("up", 1, 2, 3, 4, null, null, List.of(), null, null, 0, 10, 20, rxBytes, 2000);
    }

    @Test
    void rendersTheExpositionFormat() {
        String text = MetricsServer.render(
                List.of(new LacManager.Snapshot("aaisp", Redialer.State.UP, T, true, 0, session(1234)),
                        new LacManager.Snapshot("we\"ird\\name", Redialer.State.IDLE, T, false, 3, null)),
                List.of(new FailoverService.Snapshot("aaisp", "pppoe-aaisp", false, T, true, false, 2, Duration.ofMillis(18))));
        assertTrue(text.contains("# TYPE jl2tp_lac_up gauge\n"), text);
        assertTrue(text.contains("jl2tp_lac_up{lac=\"aaisp\"} 1\n"), text);
        assertTrue(text.contains("jl2tp_lac_up{lac=\"we\\\"ird\\\\name\"} 0\n"), "label escaping:\n" + text);
        assertTrue(text.contains("jl2tp_lac_receive_bytes_total{lac=\"aaisp\"} 1234\n"), text);
        assertTrue(text.contains("jl2tp_lac_receive_bytes_total{lac=\"we\\\"ird\\\\name\"} 0\n"), text);
        assertTrue(text.contains("jl2tp_lac_failed_attempts{lac=\"we\\\"ird\\\\name\"} 3\n"), text);
        assertTrue(text.contains("jl2tp_lac_state_since_seconds{lac=\"aaisp\"} 1764000000.500\n"), text);
        assertTrue(text.contains("jl2tp_failover_primary_up{lac=\"aaisp\"} 0\n"), text);
        assertTrue(text.contains("# TYPE jl2tp_failover_failovers_total counter\n"), text);
        assertTrue(text.contains("jl2tp_failover_failovers_total{lac=\"aaisp\"} 2\n"), text);
        assertTrue(text.contains("jl2tp_failover_last_duration_seconds{lac=\"aaisp\"} 0.018\n"), text);
        for (String line : text.split("\n")) {
            assertTrue(line.startsWith("# HELP ") || line.startsWith("# TYPE ") || line.matches("jl2tp_[a-z_]+\\{lac=\".*\"\\} [0-9.]+"),
                    "not exposition format: " + line);
        }
    }

    @Test
    void noFailoverSectionsNoFailoverFamilies() {
        String text = MetricsServer.render(List.of(new LacManager.Snapshot("a", Redialer.State.IDLE, T, false, 0, null)), List.of());
        assertFalse(text.contains("jl2tp_failover_"), text);
    }

    @Test
    void servesOnLoopbackOnly() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        try (MetricsServer m = MetricsServer.start(0, () -> {
            calls.incrementAndGet();
            return List.of(new LacManager.Snapshot("aaisp", Redialer.State.UP, T, true, 0, session(5)));
        }, List::of)) {
            HttpClient http = HttpClient.newHttpClient();
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + m.port() + "/metrics")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, r.statusCode());
            assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("text/plain; version=0.0.4"));
            assertTrue(r.body().contains("jl2tp_lac_up{lac=\"aaisp\"} 1"), r.body());
            assertEquals(1, calls.get());
            HttpResponse<String> nf = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + m.port() + "/")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(404, nf.statusCode());
            HttpResponse<String> post = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + m.port() + "/metrics"))
                    .POST(HttpRequest.BodyPublishers.ofString("x")).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(HttpURLConnection.HTTP_BAD_METHOD, post.statusCode());
            // Not reachable on any non-loopback address of this host.
            for (InetAddress a : java.util.Collections.list(java.net.NetworkInterface.getNetworkInterfaces()).stream()
                    .flatMap(i -> java.util.Collections.list(i.getInetAddresses()).stream())
                    .filter(a -> !a.isLoopbackAddress() && !a.isLinkLocalAddress()).toList()) {
                assertThrows(IOException.class, () -> new Socket(a, m.port()).close(), "bound on " + a);
            }
        }
    }

    /**
     * Issue 11 row 10: one client that sends half a request and waits used to hold the single
     * thread (no read timeout) and every later scrape hung. Now others are served while it
     * waits, and it is disconnected after the request deadline. (The 60 s bounds only a failure.)
     */
    @Test
    void idleHalfSentRequestsHoldNobody() throws Exception {
        try (MetricsServer m = MetricsServer.start(0, () -> List.of(new LacManager.Snapshot("aaisp", Redialer.State.UP, T, true, 0, session(5))),
                List::of)) {
            List<Socket> idle = new java.util.ArrayList<>();
            try {
                for (int i = 0; i < MetricsServer.WORKERS + 2; i++) {
                    Socket s = new Socket(InetAddress.getLoopbackAddress(), m.port());
                    s.getOutputStream().write("GET /metr".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
                    s.getOutputStream().flush();
                    idle.add(s);
                }
                HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(60)).build();
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + m.port() + "/metrics"))
                        .timeout(Duration.ofSeconds(60)).build(), HttpResponse.BodyHandlers.ofString());
                assertEquals(200, r.statusCode());
                assertTrue(r.body().contains("jl2tp_lac_up{lac=\"aaisp\"} 1"), r.body());
                Socket first = idle.get(0);
                first.setSoTimeout(60_000);
                assertEquals(-1, first.getInputStream().read(), "the idle client is disconnected, not served forever");
            } finally {
                for (Socket s : idle) {
                    s.close();
                }
            }
        }
    }

    @Test
    void malformedAndOversizedRequestsAreRefused() throws Exception {
        try (MetricsServer m = MetricsServer.start(0, List::of, List::of)) {
            for (String req : List.of("NONSENSE\r\n\r\n", "GET /metrics HTTP/1.1\r\nX: " + "y".repeat(20_000) + "\r\n\r\n")) {
                try (Socket s = new Socket(InetAddress.getLoopbackAddress(), m.port())) {
                    s.setSoTimeout(60_000);
                    try {
                        s.getOutputStream().write(req.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
                    } catch (IOException e) {
                        continue; // closed on us mid-way: refused too
                    }
                    String answer = new String(s.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.US_ASCII);
                    assertTrue(answer.isEmpty() || answer.startsWith("HTTP/1.1 400"), answer);
                } catch (java.net.SocketException e) {
                    // reset after the 400: refused
                }
            }
            HttpResponse<String> ok = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + m.port() + "/metrics")).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, ok.statusCode(), "still serving");
        }
    }
}
