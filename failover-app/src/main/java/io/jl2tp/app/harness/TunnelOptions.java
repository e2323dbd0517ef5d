package io.jl2tp.app.harness;

import io.jl2tp.app.harness.ImpairCommand.BadFlag;
import io.jl2tp.app.harness.scenario.Scenario;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The flags {@code harness lns} and {@code harness lac} share (a picocli mixin): the tunnel
 * secret and hidden AVPs, HELLO interval, receive window, the misbehaviour scenario and the
 * control socket — declared and checked once. The calling thread.
 */
final class TunnelOptions {

    @Option(names = "--tunnel-secret", paramLabel = "SECRET", description = "tunnel secret (RFC 2661 §5.1.1)")
    String tunnelSecret;

    @Option(names = "--tunnel-secret-file", paramLabel = "FILE", description = "the tunnel secret from a file (mode 0600)")
    Path tunnelSecretFile;

    @Option(names = "--hidden-avps", description = "hide AVPs with the tunnel secret (RFC 2661 §4.3)")
    boolean hidden;

    @Option(names = "--hello", paramLabel = "SECONDS", description = "HELLO interval, 0 for none (default 60)")
    String hello;

    @Option(names = "--rws", paramLabel = "N", description = "receive window size announced (default 8)")
    String rws;

    @Option(names = "--scenario", paramLabel = "FILE", description = "misbehaviour, one directive a line")
    Path scenario;

    @Option(names = "--misbehave", paramLabel = "LINE", description = "one more directive (repeatable)")
    List<String> misbehave = new ArrayList<>();

    @Option(names = "--control", paramLabel = "PATH", description = "control socket (Unix stream socket) to create")
    Path control;

    /** The checked values: {@code hello} and {@code receiveWindow} null when not given. */
    record Checked(String tunnelSecret, boolean hiddenAvps, Duration hello, Integer receiveWindow, Scenario scenario) {
    }

    Checked check() throws BadFlag {
        if (tunnelSecret != null && tunnelSecretFile != null) {
            throw new BadFlag("--tunnel-secret and --tunnel-secret-file: give one");
        }
        String ts = tunnelSecretFile != null ? HarnessFlags.secretFile("--tunnel-secret-file", tunnelSecretFile) : tunnelSecret;
        if (hidden && ts == null) {
            throw new BadFlag("--hidden-avps needs a tunnel secret (RFC 2661 §4.3)");
        }
        Duration h = hello == null ? null : Duration.ofSeconds(HarnessFlags.integer("--hello", hello, 0, 86_400));
        Integer w = rws == null ? null : HarnessFlags.integer("--rws", rws, 1, 65_535);
        return new Checked(ts, hidden, h, w, HarnessFlags.scenario(scenario, misbehave));
    }
}
