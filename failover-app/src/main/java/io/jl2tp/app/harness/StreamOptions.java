package io.jl2tp.app.harness;

import io.jl2tp.app.harness.ImpairCommand.BadFlag;
import io.jl2tp.app.harness.session.StreamConfig;
import picocli.CommandLine.Option;

import java.time.Duration;

/**
 * The traffic-stream flags of {@code harness lns} and {@code harness lac} (a picocli mixin):
 * {@code --stream RATE[:SIZE]} and {@code --stream-duration TIME}. The calling thread.
 */
final class StreamOptions {

    @Option(names = "--stream", paramLabel = "RATE[:SIZE]", description = "once IPCP is up, send RATE sequence-numbered"
            + " UDP packets/s (1-" + StreamConfig.MAX_RATE + ") of SIZE payload octets (default " + StreamConfig.DEFAULT_SIZE
            + ") to the peer's PPP address, port 65056, per session; report what arrives from the peer")
    String stream;

    @Option(names = "--stream-duration", paramLabel = "TIME", description = "how long each session's stream runs (default 10s)")
    String duration;

    /** The streams, or null without {@code --stream}. */
    StreamConfig check() throws BadFlag {
        if (stream == null) {
            if (duration != null) {
                throw new BadFlag("--stream-duration needs --stream RATE[:SIZE]");
            }
            return null;
        }
        Duration d = StreamConfig.DEFAULT_DURATION;
        if (duration != null) {
            long n = ImpairCommand.nanos("--stream-duration", duration);
            if (n <= 0) {
                throw new BadFlag("--stream-duration " + duration + ": must be more than 0");
            }
            d = Duration.ofNanos(n);
        }
        try {
            return StreamConfig.parse(stream, d);
        } catch (IllegalArgumentException e) {
            throw new BadFlag("--stream " + stream + ": " + e.getMessage());
        }
    }
}
