package io.jl2tp.app.dial;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * Runs pppd's hook scripts ({@code ip-up}, {@code ip-down}, {@code ipv6-up}, {@code ipv6-down},
 * …) from the ppp directory (default {@code /etc/ppp}) the way pppd does, so that a user's
 * existing scripts work unchanged:
 *
 * <ul>
 *   <li>arguments {@code ifname tty speed local remote ipparam} (pppd.8 "SCRIPTS");</li>
 *   <li>an otherwise empty environment with pppd's variables ({@link HookEnv#toEnvironment}), and
 *       pppd's PATH followed by the daemon's own;</li>
 *   <li>stdin, stdout and stderr on /dev/null;</li>
 *   <li>one script at a time, in order: an {@code ip-down} never overtakes its {@code ip-up}.</li>
 * </ul>
 *
 * A missing or non-executable script is skipped silently, as pppd does. Scripts run on a
 * dedicated thread so that protocol event loops never block on them; a script that runs longer
 * than the timeout is killed and logged.
 */
public final class HookRunner implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(HookRunner.class);

    /** pppd sets this PATH for its scripts (pppd/main.c, script_setenv). */
    static final String SCRIPT_PATH = "/usr/local/sbin:/usr/sbin:/usr/bin:/sbin:/bin";

    /**
     * The PATH scripts get: pppd's, then the directories of the daemon's own {@code daemonPath}
     * that pppd's lacks — so that tools a service manager put on jl2tp's PATH (the NixOS
     * module's {@code path}) reach the scripts, while pppd's directories keep precedence.
     */
    static String scriptPath(String daemonPath) {
        java.util.LinkedHashSet<String> dirs = new java.util.LinkedHashSet<>(List.of(SCRIPT_PATH.split(":")));
        if (daemonPath != null) {
            for (String d : daemonPath.split(":")) {
                if (!d.isBlank() && d.startsWith("/")) {
                    dirs.add(d);
                }
            }
        }
        return String.join(":", dirs);
    }

    private final Path pppDir;
    private final Duration timeout;
    private final ExecutorService runner;

    /**
     * @param pppDir  directory holding the scripts (pppd: /etc/ppp)
     * @param timeout how long one script may run before it is killed
     */
    public HookRunner(Path pppDir, Duration timeout) {
        this.pppDir = pppDir;
        this.timeout = timeout;
        this.runner = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "ppp-hooks");
            t.setDaemon(true);
            return t;
        });
    }

    /** The directory scripts are taken from. */
    public Path pppDir() {
        return pppDir;
    }

    /**
     * Queues {@code script} (a name such as {@code ip-up}) with pppd's arguments and environment.
     * The future completes with the exit status, or -1 if the script is absent, timed out or
     * could not be started; it never completes exceptionally.
     */
    public CompletableFuture<Integer> run(String script, HookEnv env) {
        CompletableFuture<Integer> done = new CompletableFuture<>();
        try {
            runner.execute(() -> done.complete(runNow(script, env)));
        } catch (java.util.concurrent.RejectedExecutionException e) {
            done.complete(-1);
        }
        return done;
    }

    private int runNow(String script, HookEnv env) {
        Path file = pppDir.resolve(script);
        if (!Files.isRegularFile(file) || !Files.isExecutable(file)) {
            log.debug("no executable {}, skipped", file);
            return -1;
        }
        List<String> cmd = new ArrayList<>();
        cmd.add(file.toString());
        cmd.addAll(env.arguments());
        ProcessBuilder pb = new ProcessBuilder(cmd)
                .directory(new File("/"))
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(ProcessBuilder.Redirect.DISCARD);
        Map<String, String> e = pb.environment();
        e.clear();
        e.putAll(env.toEnvironment());
        log.info("Script {} started (pid will follow)", file);
        try {
            Process p = pb.start();
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                log.warn("Script {} timed out after {} s, killed", file, timeout.toSeconds());
                return -1;
            }
            int status = p.exitValue();
            log.info("Script {} finished (pid {}), status = 0x{}", file, p.pid(), Integer.toHexString(status));
            return status;
        } catch (IOException ex) {
            log.warn("Script {} could not be run: {}", file, ex.getMessage());
            return -1;
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    /** Waits for queued scripts (up to the timeout each) and stops the runner thread. */
    @Override
    public void close() {
        runner.shutdown();
        try {
            if (!runner.awaitTermination(timeout.toMillis() + 1000, TimeUnit.MILLISECONDS)) {
                runner.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            runner.shutdownNow();
        }
    }

    /**
     * What pppd tells a script: positional arguments and environment variables.
     *
     * @param ifname      interface name ({@code IFNAME}, {@code $1})
     * @param tty         the "tty" ({@code DEVICE}, {@code $2}); for L2TP there is none: empty
     * @param speed       link speed ({@code SPEED}, {@code $3}); 0 for L2TP, as with pppol2tp
     * @param local       local IPv4 or link-local IPv6 address ({@code $4})
     * @param remote      remote IPv4 or link-local IPv6 address ({@code $5})
     * @param ipparam     pppd's {@code ipparam} ({@code $6}, {@code IPPARAM}); may be empty
     * @param ipv6        true for ipv6-up/-down: addresses go to LLLOCAL/LLREMOTE
     * @param extra       further variables (PEERNAME, DNS1, DNS2, CONNECT_TIME, BYTES_SENT, …)
     */
    public record HookEnv(String ifname, String tty, int speed, String local, String remote, String ipparam,
                          boolean ipv6, Map<String, String> extra) {

        /** The six positional arguments pppd passes. */
        public List<String> arguments() {
            return List.of(ifname, tty, Integer.toString(speed), local, remote, ipparam == null ? "" : ipparam);
        }

        /** The environment pppd builds (pppd.8 "SCRIPTS"), in a stable order. */
        public Map<String, String> toEnvironment() {
            Map<String, String> env = new LinkedHashMap<>();
            env.put("PATH", scriptPath(System.getenv("PATH")));
            env.put("DEVICE", tty);
            env.put("IFNAME", ifname);
            if (ipv6) {
                env.put("LLLOCAL", local);
                env.put("LLREMOTE", remote);
            } else {
                env.put("IPLOCAL", local);
                env.put("IPREMOTE", remote);
            }
            env.put("SPEED", Integer.toString(speed));
            env.put("ORIG_UID", "0");
            env.put("PPPLOGNAME", "root");
            if (ipparam != null && !ipparam.isEmpty()) {
                env.put("IPPARAM", ipparam);
            }
            env.putAll(extra);
            return env;
        }
    }
}
