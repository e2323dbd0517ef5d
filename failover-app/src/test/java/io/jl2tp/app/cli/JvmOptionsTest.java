package io.jl2tp.app.cli;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The shipped JVM settings (dist/jvm.options, which the launcher, the systemd unit and the Nix
 * package pass to java): a JVM started with them binds libc through JNA without JNA running
 * {@code /sbin/ldconfig -p} in a child process to build its library search path (a fork and
 * exec at every start, and a process-reaper thread for the daemon's life).
 */
class JvmOptionsTest {

    /** Binds libc as jl2tp does and reports what JNA left behind. */
    public static final class Probe {
        public static void main(String[] args) {
            int pid = io.jl2tp.tun.linux.LibC.getpid();
            boolean reaper = Thread.getAllStackTraces().keySet().stream()
                    .anyMatch(t -> t.getName().contains("process reaper"));
            System.out.println("pid=" + (pid == ProcessHandle.current().pid())
                    + " reaper=" + reaper
                    + " path=[" + System.getProperty("jna.platform.library.path") + "]");
        }
    }

    private static String run(boolean shippedOptions) throws Exception {
        Path options = Path.of(System.getProperty("user.dir")).getParent().resolve("dist/jvm.options");
        assertTrue(Files.isRegularFile(options), options.toString());
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        if (shippedOptions) {
            cmd.add("@" + options);
        }
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), Probe.class.getName()));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), out);
        return out;
    }

    @Test
    void withTheShippedOptionsJnaBindsLibcWithoutRunningLdconfig() throws Exception {
        assertEquals("pid=true reaper=false path=[]", run(true));
    }

    @Test
    void withoutThemJnaRunsLdconfig() throws Exception {
        // the witness works: JNA's default does start a child process and fills in the path
        String out = run(false);
        assertTrue(out.startsWith("pid=true reaper=true path=[/"), out);
    }
}
