package io.jl2tp.ppp.auth;

import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.IntConsumer;

/**
 * The one timer of a PAP or CHAP instance, as pppd's {@code upap.c} / {@code chap-new.c} keep
 * one: a request that is retransmitted every {@link AuthConfig#restart()} until it is answered
 * or has been sent {@link AuthConfig#maxTransmits()} times (PAP's Authenticate-Request,
 * RFC 1334 §2.2.1; CHAP's Challenge, RFC 1994 §4.1, and the CHAP peer's Response until a
 * Success or Failure comes, §4.2), or a single delayed task (PAP's wait for
 * the peer's request, CHAP's re-challenge). Arming one cancels the other.
 *
 * <p>Threads: the owning protocol's event loop only (the loop also runs the timer).
 */
final class RetryTimer {

    /** Sends one transmission of the request; {@code attempt} counts from 1. */
    @FunctionalInterface
    interface Transmit {
        void send(int attempt);
    }

    private final ScheduledExecutorService loop;
    private final AuthConfig config;
    private ScheduledFuture<?> timer;         // the pending expiry, null when idle
    private Transmit transmit;                // the request being retransmitted, null if none
    private IntConsumer exhausted;            // called with the count when no answer came
    private int transmits;                    // transmissions of the current request

    RetryTimer(ScheduledExecutorService loop, AuthConfig config) {
        this.loop = loop;
        this.config = config;
    }

    /**
     * Sends a new request now and retransmits it on each restart expiry; after
     * {@code maxTransmits} unanswered transmissions calls {@code exhausted} with that count.
     */
    void request(Transmit send, IntConsumer exhausted) {
        cancel();
        this.transmit = send;
        this.exhausted = exhausted;
        this.transmits = 0;
        sendAndArm();
    }

    /** Runs {@code task} once after {@code delay} (zero: never), replacing any pending request. */
    void after(Duration delay, Runnable task) {
        cancel();
        if (!delay.isZero()) {
            timer = loop.schedule(() -> {
                timer = null;
                task.run();
            }, delay.toNanos(), TimeUnit.NANOSECONDS);
        }
    }

    /** Answered, failed or stopped: nothing more is sent or called. Idempotent. */
    void cancel() {
        transmit = null;
        exhausted = null;
        if (timer != null) {
            timer.cancel(false);
            timer = null;
        }
    }

    private void sendAndArm() {
        transmits++;
        transmit.send(transmits);
        if (transmit != null) { // the send may have cancelled us (a synchronous failure)
            timer = loop.schedule(this::expired, config.restart().toNanos(), TimeUnit.NANOSECONDS);
        }
    }

    private void expired() {
        timer = null;
        if (transmit == null) {
            return;
        }
        if (transmits >= config.maxTransmits()) {
            IntConsumer giveUp = exhausted;
            int n = transmits;
            cancel();
            giveUp.accept(n);
            return;
        }
        sendAndArm();
    }
}
