package io.jl2tp.ppp;

import io.jl2tp.ppp.fsm.CpFsm;
import io.jl2tp.ppp.fsm.State;
import io.jl2tp.ppp.lcp.Lcp;
import io.jl2tp.ppp.options.LcpSettings;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.IntConsumer;
import java.util.function.LongSupplier;

/**
 * LCP echo keepalive, as pppd's {@code lcp.c} ({@code lcp_echo_lowerup}, {@code LcpEchoCheck},
 * {@code lcp_received_echo_reply}): every {@code lcp-echo-interval} seconds an Echo-Request
 * (RFC 1661 §5.8) while LCP is Opened; after {@code lcp-echo-failure} unanswered ones the link
 * is declared dead. With {@code lcp-echo-adaptive}, frames received since the last tick prove
 * the peer alive and no echo is sent.
 *
 * <p>Threads: every method runs on the link's event loop, which also runs the timer; no
 * other thread touches this object.
 */
final class Keepalive {

    private final LcpSettings settings;
    private final Lcp lcp;
    private final CpFsm lcpFsm;
    private final ScheduledExecutorService loop;
    private final LongSupplier rxFrames;      // frames received so far (all protocols)
    private final IntConsumer peerDead;       // called once with the unanswered count

    private ScheduledFuture<?> timer;         // the periodic tick, null when stopped
    private int pending;                      // Echo-Requests sent and not answered
    private long rxAtLastTick;                // rxFrames at the previous tick

    Keepalive(LcpSettings settings, Lcp lcp, CpFsm lcpFsm, ScheduledExecutorService loop, LongSupplier rxFrames,
              IntConsumer peerDead) {
        this.settings = settings;
        this.lcp = lcp;
        this.lcpFsm = lcpFsm;
        this.loop = loop;
        this.rxFrames = rxFrames;
        this.peerDead = peerDead;
    }

    /** LCP is up: start the ticks (if {@code lcp-echo-interval} is set). */
    void start() {
        stop();
        int interval = settings.echoInterval();
        if (interval <= 0) {
            return;
        }
        pending = 0;
        rxAtLastTick = rxFrames.getAsLong();
        timer = loop.scheduleAtFixedRate(this::tick, interval, interval, TimeUnit.SECONDS);
    }

    /** An Echo-Reply arrived: the peer is alive. */
    void replied() {
        pending = 0;
    }

    /** LCP is down or the link ends: no more ticks. Idempotent. */
    void stop() {
        if (timer != null) {
            timer.cancel(false);
            timer = null;
        }
    }

    private void tick() {
        if (lcpFsm.state() != State.OPENED) {
            return;
        }
        long rx = rxFrames.getAsLong();
        boolean traffic = rx != rxAtLastTick;
        rxAtLastTick = rx;
        if (settings.echoAdaptive() && traffic) {
            pending = 0; // traffic proves the peer is alive: no echo needed
            return;
        }
        if (settings.echoFailure() > 0 && pending >= settings.echoFailure()) {
            stop();
            peerDead.accept(pending);
            return;
        }
        pending++;
        lcp.sendEchoRequest();
    }
}
