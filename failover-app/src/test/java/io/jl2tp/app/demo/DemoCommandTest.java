package io.jl2tp.app.demo;

import io.jl2tp.testkit.NetNs;
import io.jl2tp.testkit.RequiresRoot;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The README's first command, {@code sudo ./jl2tp demo}, as a fresh machine with a JDK but no
 * iputils runs it (issue 12, bug 5): a separate JVM whose PATH holds {@code ip} and nothing
 * else — no {@code ping} — comes up, gets its IPv4 and IPv6 echoes answered through the
 * tunnel, exits 0 and leaves no namespace behind.
 */
@RequiresRoot(commands = {"ip"})
class DemoCommandTest {

    @Test
    void demoNeedsNoPingProgram(@TempDir Path tmp) throws Exception {
        Path bin = Files.createDirectories(tmp.resolve("bin"));
        Files.createSymbolicLink(bin.resolve("ip"), Path.of(NetNs.host("sh", "-c", "command -v ip").strip()));
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder pb = new ProcessBuilder(List.of(java, "-cp", System.getProperty("java.class.path"),
                "io.jl2tp.app.cli.Main", "demo", "--count", "2")).redirectErrorStream(true);
        pb.environment().put("PATH", bin.toString());
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), out);
        System.out.println(out);
        assertEquals(0, p.exitValue(), out);
        assertFalse(out.contains("FAILED"), out);
        assertTrue(out.matches("(?s).*\\[4/5\\] ping 198\\.51\\.100\\.1 through the tunnel: 2/2 replies, average [\\d.]+ ms.*"), out);
        assertTrue(out.matches("(?s).*ping6 fe80::[0-9a-f:]+%l2tp-demo through the tunnel: 2/2 replies, average [\\d.]+ ms.*"),
                out);
        assertTrue(out.contains("Demo OK."), out);
        String ns = DemoLab.run("ip", "netns", "list");
        assertFalse(ns.contains("jl2tp-demo-"), "the demo removed its namespaces: " + ns);
    }
}
