package io.jl2tp.l2tp.netty;

import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Waits for a condition on an endpoint's event loop: the loop itself evaluates it (so it reads
 * loop-confined state safely) every few milliseconds and completes a future the test thread
 * blocks on — no sleeping test thread, and the wait ends the moment the condition holds.
 */
final class LoopWait {

    private LoopWait() {
    }

    /** True once {@code condition} held on {@code loop}; false if {@code deadline} passed first. */
    static boolean until(ScheduledExecutorService loop, Callable<Boolean> condition, Duration deadline)
            throws InterruptedException {
        CompletableFuture<Boolean> done = new CompletableFuture<>();
        ScheduledFuture<?> check = loop.scheduleWithFixedDelay(() -> {
            try {
                if (condition.call()) {
                    done.complete(true);
                }
            } catch (Exception e) {
                done.completeExceptionally(e);
            }
        }, 0, 5, TimeUnit.MILLISECONDS);
        try {
            return done.get(deadline.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            return false;
        } catch (java.util.concurrent.ExecutionException e) {
            throw new AssertionError(e.getCause());
        } finally {
            check.cancel(false);
        }
    }
}
