package io.jl2tp.app.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 14: the router JVM settings live in one file, dist/jvm.options, and the launcher, the
 * systemd unit and the Nix package all run java through dist/jl2tp-java, which reads it and lets
 * JL2TP_JAVA_OPTS override it.
 */
class JvmSettingsTest {

    private static final Path ROOT = Path.of(System.getProperty("user.dir")).getParent();
    private static final Path DIST = ROOT.resolve("dist");

    /** The unit's command lines with their continuation lines joined. */
    private static List<String> unitLines() throws IOException {
        String text = Files.readString(DIST.resolve("systemd/jl2tp.service")).replace("\\\n", " ");
        return text.lines().filter(l -> !l.startsWith("#")).toList();
    }

    @Test
    void jvmOptionsIsAnArgumentFileThisJdkAccepts() throws Exception {
        Path opts = DIST.resolve("jvm.options");
        List<String> settings = Files.readAllLines(opts).stream().filter(l -> !l.isBlank() && !l.startsWith("#")).toList();
        assertTrue(settings.containsAll(List.of("-XX:+UseSerialGC", "-Xmx40m", "-Xss256k", "-XX:ReservedCodeCacheSize=20m",
                "-XX:MaxMetaspaceSize=48m")), settings.toString());
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(java, "@" + opts, "-XX:+PrintFlagsFinal", "-version").redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), out);
        assertTrue(out.matches("(?s).*\\bUseSerialGC\\s+= true.*"), "the argument file's options took effect");
        assertTrue(out.matches("(?s).*\\bMaxHeapSize\\s+= 41943040\\b.*"), "-Xmx40m");
    }

    @Test
    void launcherUnitAndNixPackageAllRunJl2tpJava() throws Exception {
        List<String> exec = unitLines().stream().filter(l -> l.startsWith("ExecStart")).toList();
        assertEquals(2, exec.size(), exec.toString());
        for (String l : exec) {
            assertTrue(l.matches("ExecStart(Pre)?=/usr/local/lib/jl2tp/jl2tp-java /usr/local/lib/jl2tp/jl2tp.jar +xl2tpd .*"), l);
            assertFalse(l.matches(".* -(X|D[a-z]).*"), "JVM options belong in jvm.options or JL2TP_JAVA_OPTS: " + l);
        }
        String unit = Files.readString(DIST.resolve("systemd/jl2tp.service"));
        assertTrue(unit.contains("install -Dm644 dist/jvm.options /usr/local/lib/jl2tp/jvm.options"), "the unit's install steps");
        assertTrue(unit.contains("install -Dm755 dist/jl2tp-java /usr/local/lib/jl2tp/jl2tp-java"), "the unit's install steps");
        assertTrue(unit.contains("\nCacheDirectory=jl2tp\n"), "the archive's directory ($CACHE_DIRECTORY)");

        String launcher = Files.readString(ROOT.resolve("jl2tp"));
        assertTrue(launcher.contains("exec \"$HERE/dist/jl2tp-java\" \"$JAR\" \"$@\""), "./jl2tp runs dist/jl2tp-java");
        assertFalse(launcher.lines().anyMatch(l -> l.startsWith("exec java")), "./jl2tp starts no JVM of its own");

        String nix = Files.readString(DIST.resolve("nixos/jl2tp-package.nix"));
        assertTrue(nix.contains("install -Dm644 dist/jvm.options $out/share/jl2tp/jvm.options"), nix);
        assertTrue(nix.contains("makeWrapper $out/share/jl2tp/jl2tp-java $out/bin/jl2tp"), nix);
        assertFalse(nix.contains("-XX:"), "no JVM options of its own in the Nix package");
    }

    /** jl2tp-java's command line, with a stand-in java that prints its arguments. */
    private static List<String> runnerArgs(Path tmp, String javaOpts, String cds) throws Exception {
        Path fake = tmp.resolve("java");
        Files.writeString(fake, "#!/bin/sh\nfor a in \"$@\"; do echo \"$a\"; done\n");
        Files.setPosixFilePermissions(fake, PosixFilePermissions.fromString("rwx------"));
        Path jar = Files.writeString(tmp.resolve("jl2tp.jar"), "");
        ProcessBuilder pb = new ProcessBuilder(DIST.resolve("jl2tp-java").toString(), jar.toString(), "xl2tpd", "--check");
        pb.environment().put("JAVA", fake.toString());
        pb.environment().put("JL2TP_CDS", cds);
        pb.environment().put("JL2TP_CACHE_DIR", tmp.toString());
        if (javaOpts != null) {
            pb.environment().put("JL2TP_JAVA_OPTS", javaOpts);
        } else {
            pb.environment().remove("JL2TP_JAVA_OPTS");
        }
        Process p = pb.redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), out);
        return new ArrayList<>(out.lines().toList());
    }

    @Test
    void javaOptsComeAfterTheFileSoTheyOverrideIt(@TempDir Path tmp) throws Exception {
        List<String> args = runnerArgs(tmp, "-Xmx64m -Dx=y", "no");
        Path jar = tmp.resolve("jl2tp.jar").toRealPath();
        assertEquals(List.of("@" + DIST.resolve("jvm.options").toRealPath(), "-Xmx64m", "-Dx=y", "-jar", jar.toString(), "xl2tpd",
                "--check"), args);
        assertEquals(List.of("@" + DIST.resolve("jvm.options").toRealPath(), "-jar", jar.toString(), "xl2tpd", "--check"),
                runnerArgs(tmp, null, "no"));
    }

    @Test
    void aFailedArchiveBuildLeavesNoFileAndRunsWithout(@TempDir Path tmp) throws Exception {
        // The stand-in java writes no archive: jl2tp-java must neither pass -XX:SharedArchiveFile
        // nor leave temporary files behind.
        List<String> args = runnerArgs(tmp, null, "yes");
        assertFalse(args.stream().anyMatch(a -> a.startsWith("-XX:SharedArchiveFile") || a.startsWith("-XX:AOTCache=")), args.toString());
        try (var files = Files.list(tmp)) {
            assertEquals(List.of("java", "jl2tp.jar"), files.map(f -> f.getFileName().toString()).sorted().toList());
        }
    }

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

    private static String runProbe(boolean shippedOptions) throws Exception {
        Path options = DIST.resolve("jvm.options");
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

    /**
     * With the shipped settings, JNA binds libc without running {@code /sbin/ldconfig -p} in a child
     * process to build its library search path (a fork and exec at every start, and a
     * process-reaper thread for the daemon's life).
     */
    @Test
    void withTheShippedOptionsJnaBindsLibcWithoutRunningLdconfig() throws Exception {
        assertEquals("pid=true reaper=false path=[]", runProbe(true));
    }

    @Test
    void withoutThemJnaRunsLdconfig() throws Exception {
        // the witness works: JNA's default does start a child process and fills in the path
        String out = runProbe(false);
        assertTrue(out.startsWith("pid=true reaper=true path=[/"), out);
    }
}
