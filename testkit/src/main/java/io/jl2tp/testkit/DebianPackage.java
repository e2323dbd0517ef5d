package io.jl2tp.testkit;

import org.opentest4j.TestAbortedException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A program taken out of a Debian package without installing it, for tests that must talk to
 * the real thing (Debian's {@code xl2tpd-control}): {@code apt-get download PACKAGE} and
 * {@code dpkg-deb -x} into {@code $JL2TP_DEBS/PACKAGE} (default {@code /tmp/jl2tp-debs}),
 * where test.sh has usually put it already. Nothing is installed and no service starts.
 * When it cannot be had the test is skipped with the reason, and fails under {@code CI=true}.
 */
public final class DebianPackage {

    private DebianPackage() {
    }

    /** The directory packages are extracted into. */
    public static Path root() {
        String env = System.getenv("JL2TP_DEBS");
        return Path.of(env != null && !env.isEmpty() ? env : "/tmp/jl2tp-debs");
    }

    /**
     * The file {@code relative} (e.g. {@code usr/sbin/xl2tpd-control}) of package {@code pkg},
     * extracted if it is not there yet.
     */
    public static Path file(String pkg, String relative) {
        Path dir = root().resolve(pkg);
        Path f = dir.resolve(relative);
        if (Files.isExecutable(f) || Files.isRegularFile(f)) {
            return f;
        }
        String problem = extract(pkg, dir);
        if (problem == null && !Files.exists(f)) {
            problem = pkg + " has no " + relative;
        }
        if (problem != null) {
            String why = "needs " + relative + " from Debian's " + pkg + " package: " + problem;
            if ("true".equals(System.getenv("CI"))) {
                throw new AssertionError("CI=true and the test " + why);
            }
            System.err.println("SKIPPED (" + why + ")");
            throw new TestAbortedException(why);
        }
        return f;
    }

    /** Downloads and unpacks {@code pkg} into {@code dir}; returns what went wrong, or null. */
    private static String extract(String pkg, Path dir) {
        try {
            Path work = Files.createTempDirectory("jl2tp-deb-");
            try {
                NetNs.Result dl = run(work, "apt-get", "download", "-q", pkg);
                if (dl.status() != 0) {
                    return "apt-get download " + pkg + " failed: " + dl.output().strip();
                }
                Path deb;
                try (var files = Files.list(work)) {
                    deb = files.filter(p -> p.getFileName().toString().endsWith(".deb")).findFirst().orElse(null);
                }
                if (deb == null) {
                    return "apt-get download " + pkg + " left no .deb";
                }
                Files.createDirectories(dir);
                NetNs.Result x = run(work, "dpkg-deb", "-x", deb.toString(), dir.toString());
                return x.status() == 0 ? null : "dpkg-deb -x failed: " + x.output().strip();
            } finally {
                try (var files = Files.list(work)) {
                    for (Path p : files.toList()) {
                        Files.deleteIfExists(p);
                    }
                }
                Files.deleteIfExists(work);
            }
        } catch (IOException | InterruptedException e) {
            return e.toString();
        }
    }

    private static NetNs.Result run(Path cwd, String... cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(List.of(cmd)).directory(cwd.toFile()).redirectErrorStream(true).start();
        p.getOutputStream().close();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            return new NetNs.Result(-1, String.join(" ", cmd) + ": timed out");
        }
        return new NetNs.Result(p.exitValue(), new String(p.getInputStream().readAllBytes()));
    }
}
