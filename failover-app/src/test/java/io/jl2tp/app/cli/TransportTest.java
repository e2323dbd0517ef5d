package io.jl2tp.app.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 14: without Netty's native epoll library (an architecture the jar has none for, or
 * -Dio.netty.transport.noNative=true) jl2tp runs on Java NIO and says so in one line; with it,
 * it says epoll. The class-data training run (CdsTraining) is the witness: it parses a
 * configuration, logs the transport line and binds and closes an L2TP socket on loopback.
 */
class TransportTest {

    private static String run(String... props) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        cmd.addAll(List.of(props));
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), "io.jl2tp.app.cli.CdsTraining"));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), out);
        return out;
    }

    @Test
    void noNativeFallsBackToNioAndSaysSo() throws Exception {
        String out = run("-Dio.netty.transport.noNative=true");
        assertTrue(out.contains("transport: Java NIO and JNA, slower (Netty's native epoll is unavailable on "
                + System.getProperty("os.arch") + ": "), out);
        assertTrue(out.contains("configuration OK"), out);
    }

    @Test
    void nativeEpollWhereTheJarCarriesIt() throws Exception {
        String arch = System.getProperty("os.arch");
        String out = run();
        if (arch.equals("amd64") || arch.equals("aarch64")) {
            assertTrue(out.contains("transport: native epoll (" + arch + ")"), out);
        } else {
            assertTrue(out.contains("transport: Java NIO"), out);
        }
    }

    /**
     * dist/jl2tp-java's training run copies both native libraries out of the jar; a JVM pointed
     * at that directory loads them from it: Netty even where it could not unpack (its work
     * directory made unusable), JNA by its own account (jna.debug_load.jna).
     */
    @Test
    void theTrainingRunCopiesTheNativeLibrariesAndTheyLoadFromThere(@TempDir Path dir) throws Exception {
        String arch = System.getProperty("os.arch");
        run("-D" + NativeLibraries.OUT_PROPERTY + "=" + dir);
        int carried = 0;
        for (String[] lib : NativeLibraries.forThisMachine()) {
            try (var in = TransportTest.class.getClassLoader().getResourceAsStream(lib[0])) {
                if (in == null) {
                    assertTrue(Files.notExists(dir.resolve(lib[1])), lib[1]);
                    continue;
                }
                assertEquals(in.readAllBytes().length, Files.size(dir.resolve(lib[1])), lib[1]);
                carried++;
            }
        }
        try (var files = Files.list(dir)) {
            assertEquals(carried, files.count(), "only this machine's libraries, no temporary files left");
        }
        if (!arch.equals("amd64") && !arch.equals("aarch64")) {
            return; // Netty's epoll library is built for these two only
        }
        assertEquals(2, carried);
        String out = run("-Djava.library.path=" + dir, "-Djna.boot.library.path=" + dir, "-Djna.debug_load.jna=true",
                "-Dio.netty.native.workdir=" + dir.resolve("not-there/nor-here"));
        assertTrue(out.contains("transport: native epoll (" + arch + ")"), out);
        assertTrue(out.contains("Found jnidispatch at " + dir.resolve("libjnidispatch.so")), out);
    }
}
