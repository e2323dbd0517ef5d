package io.jl2tp.app.harness;

import io.jl2tp.app.harness.ImpairCommand.BadFlag;
import io.jl2tp.app.harness.scenario.Directive;
import io.jl2tp.app.harness.scenario.Scenario;
import io.jl2tp.app.harness.scenario.ScenarioException;
import io.jl2tp.app.harness.scenario.ScenarioParser;
import io.jl2tp.app.harness.session.ControlSocket;
import io.jl2tp.ppp.options.PppConfigException;
import io.jl2tp.ppp.options.SecretsFile;
import sun.misc.Signal;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * What {@code harness lns} and {@code harness lac} share: the scenario from {@code --scenario}
 * and {@code --misbehave}, numbers and secrets from flags, and running until a signal or
 * {@code --duration} with the control socket open. Stateless; the calling thread.
 */
final class HarnessFlags {

    private HarnessFlags() {
    }

    /** The scenario file (if any) plus each {@code --misbehave} line, in that order. */
    static Scenario scenario(Path file, List<String> lines) throws BadFlag {
        try {
            Scenario s = file == null ? Scenario.NONE : ScenarioParser.parseFile(file);
            List<Directive> more = new ArrayList<>();
            for (int i = 0; i < lines.size(); i++) {
                Directive d = ScenarioParser.line(lines.get(i), "--misbehave", i + 1);
                if (d != null) {
                    more.add(d);
                }
            }
            return s.plus(more);
        } catch (ScenarioException e) {
            throw new BadFlag(e.getMessage());
        }
    }

    static int integer(String flag, String v, int min, int max) throws BadFlag {
        if (v == null) {
            throw new BadFlag(flag + ": needs a value");
        }
        try {
            long n = Long.parseLong(v.strip());
            if (n < min || n > max) {
                throw new BadFlag(flag + " " + v + ": out of range " + min + "-" + max);
            }
            return (int) n;
        } catch (NumberFormatException e) {
            throw new BadFlag(flag + " " + v + ": not an integer");
        }
    }

    /** The first line of a secret file (mode 0600, as pppd's files). */
    static String secretFile(String flag, Path file) throws BadFlag {
        try {
            String s = SecretsFile.readSecretFile(file).lines().findFirst().orElse("").strip();
            if (s.isEmpty()) {
                throw new BadFlag(flag + " " + file + ": empty, no secret");
            }
            return s;
        } catch (PppConfigException e) {
            throw new BadFlag(flag + " " + e.getMessage());
        }
    }

    /** Rejects what picocli could not match, naming the first word. */
    static void noUnmatched(List<String> unmatched) throws BadFlag {
        if (!unmatched.isEmpty()) {
            throw new BadFlag((unmatched.get(0).startsWith("-") ? "unknown option " : "unexpected argument ") + unmatched.get(0)
                    + " (see --help)");
        }
    }

    /**
     * Serves {@code control} (if given) with {@code handler} and waits for SIGTERM/SIGINT, for
     * {@code runForNanos} (if > 0), or for {@code done} to reach zero, whichever comes first.
     */
    static void run(Path control, Function<String, String> handler, long runForNanos, CountDownLatch done, PrintWriter err)
            throws InterruptedException, IOException {
        ControlSocket socket = control == null ? null : ControlSocket.open(control, handler);
        try {
            CountDownLatch stop = new CountDownLatch(1);
            Signal.handle(new Signal("TERM"), s -> stop.countDown());
            Signal.handle(new Signal("INT"), s -> stop.countDown());
            Thread watcher = null;
            if (done != null) {
                watcher = new Thread(() -> {
                    try {
                        done.await();
                        stop.countDown();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }, "harness-done");
                watcher.setDaemon(true);
                watcher.start();
            }
            if (runForNanos > 0) {
                stop.await(runForNanos, TimeUnit.NANOSECONDS);
            } else {
                stop.await();
            }
            if (watcher != null) {
                watcher.interrupt();
            }
        } finally {
            if (socket != null) {
                socket.close();
            }
        }
    }
}
