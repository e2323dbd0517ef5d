package io.jl2tp.l2tp.tunnel;

import io.jl2tp.l2tp.wire.ControlMessage;
import io.jl2tp.l2tp.wire.MessageType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * HELLO (RFC 2661 §6.5): after the configured idle period without anything from the peer, an
 * established tunnel sends HELLO; its acknowledgement (or the retry limit, §5.8) settles whether
 * the peer is alive. Peers must not expect a fixed interval. Threads: the endpoint's event loop.
 */
final class KeepAlive {

    private static final Logger log = LoggerFactory.getLogger(KeepAlive.class);

    private static final long RECHECK_NANOS = TimeUnit.SECONDS.toNanos(1);

    private final Tunnel tunnel;
    private long lastRxNanos;
    private ScheduledFuture<?> timer;

    KeepAlive(Tunnel tunnel) {
        this.tunnel = tunnel;
        this.lastRxNanos = tunnel.endpoint().nanoTime();
    }

    /** Anything from the peer is a sign of life. */
    void touch() {
        lastRxNanos = tunnel.endpoint().nanoTime();
    }

    /** Starts checking (on entering established). */
    void start() {
        long interval = tunnel.config().helloInterval().toNanos();
        if (interval <= 0) {
            return;
        }
        long idle = tunnel.endpoint().nanoTime() - lastRxNanos;
        // Idle long enough but the transport still busy (a message unacknowledged): look again
        // in a second rather than every millisecond until it drains (§6.5: no fixed interval).
        long delay = interval > idle ? interval - idle : RECHECK_NANOS;
        timer = tunnel.endpoint().loop().schedule(this::check, delay, TimeUnit.NANOSECONDS);
    }

    /** Stops checking (on leaving established). */
    void stop() {
        if (timer != null) {
            timer.cancel(false);
            timer = null;
        }
    }

    private void check() {
        timer = null;
        if (tunnel.state() != Tunnel.State.ESTABLISHED) {
            return;
        }
        long idle = tunnel.endpoint().nanoTime() - lastRxNanos;
        if (idle >= tunnel.config().helloInterval().toNanos() && tunnel.transport().idle()) {
            log.debug("{}idle for {} s, sending HELLO", tunnel.logPrefix(), TimeUnit.NANOSECONDS.toSeconds(idle));
            tunnel.sendControl(ControlMessage.of(MessageType.HELLO, tunnel.peerId(), 0, List.of()));
            lastRxNanos = tunnel.endpoint().nanoTime(); // next HELLO one interval later unless the peer stays silent
        }
        start();
    }
}
