package io.jl2tp.app.demo;

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
 * The {@code ./jl2tp} launcher checks each program it still needs (issue 12, bug 5): on a
 * machine with a JDK but without iproute2, {@code ./jl2tp demo} names {@code ip} and its Debian
 * package instead of failing half-way, and never asks for {@code ping} (the demo sends its own
 * echoes). JL2TP_INSTALL=no makes it report instead of installing.
 */
class LauncherTest {

    @Test
    void demoNamesEachMissingProgramAndNeverPing(@TempDir Path bin) throws Exception {
        Path launcher = Path.of(System.getProperty("user.dir")).resolveSibling("jl2tp").toAbsolutePath();
        assertTrue(Files.isRegularFile(launcher), launcher.toString());
        String javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Files.createSymbolicLink(bin.resolve("java"), Path.of(javaBin));
        for (String tool : List.of("bash", "dirname", "readlink", "find", "id", "sed")) {
            for (String dir : List.of("/usr/bin", "/bin")) {
                if (Files.isExecutable(Path.of(dir, tool)) && !Files.exists(bin.resolve(tool))) {
                    Files.createSymbolicLink(bin.resolve(tool), Path.of(dir, tool));
                }
            }
        }
        ProcessBuilder pb = new ProcessBuilder(bin.resolve("bash").toString(), launcher.toString(), "demo")
                .redirectErrorStream(true);
        pb.environment().put("PATH", bin.toString());
        pb.environment().put("JL2TP_INSTALL", "no");
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), out);
        assertEquals(1, p.exitValue(), out);
        assertTrue(out.matches("(?s)jl2tp: missing .*\\bip\\b.*apt-get install .*\\biproute2\\b.*"), out);
        assertFalse(out.contains("ping"), out);
        assertFalse(java.util.regex.Pattern.compile("\\bjava\\b").matcher(out).find(), "java 17 is on the PATH: " + out);
    }
}
