package io.jl2tp.l2tp.netty;

import io.jl2tp.l2tp.tunnel.TunnelConfig;
import io.jl2tp.testkit.Await;
import io.jl2tp.testkit.NetNs;
import io.jl2tp.testkit.RequiresRoot;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A LAC whose LNS is unreachable (no route: ENETUNREACH) says so at WARN — before, the failure
 * was logged at DEBUG and the user saw only a tunnel that never came up.
 */
@RequiresRoot
class UnreachableLnsTest {

    @Test
    void networkUnreachableIsLoggedAtWarnAndCounted() throws Exception {
        PrintStream stderr = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        try (NetNs ns = NetNs.create("unreach")) {
            // Only loopback in the namespace: 203.0.113.1 has no route.
            L2tpSocket lac = ns.call(() -> L2tpSocket.bind(new InetSocketAddress("0.0.0.0", 0)));
            try {
                System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
                lac.call(() -> lac.endpoint().connect(new InetSocketAddress("203.0.113.1", 1701),
                        TunnelConfig.defaults("lac"), e -> { })).get();
                Await.until(Duration.ofSeconds(10), "a send failing with 'network unreachable'",
                        () -> lac.unreachableSends() > 0, () -> lac.sendFailures() + " send failures in all");
                // the count goes up just before the line is written, on the socket's thread
                Await.until(Duration.ofSeconds(10), "its WARN line", () -> captured.toString(StandardCharsets.UTF_8)
                        .lines().anyMatch(l -> l.contains("WARN") && l.contains("unreachable")));
            } finally {
                System.setErr(stderr);
                lac.close("test over", 100);
            }
        }
        String log = captured.toString(StandardCharsets.UTF_8);
        assertTrue(log.lines().anyMatch(l -> l.contains("WARN") && l.contains("unreachable")), "a WARN line: " + log);
    }
}
