package io.jl2tp.testkit;

import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * The one "poll until a deadline" of the test suite, for conditions that have no event to wait
 * on (a file another process creates, an interface the kernel lists). The deadline is generous
 * and only bounds a failure; nothing is asserted about how long success took.
 */
public final class Await {

    private static final long POLL_MILLIS = 20;

    private Await() {
    }

    /** Waits until {@code condition} holds; fails naming {@code what} after {@code timeout}. */
    public static void until(Duration timeout, String what, BooleanSupplier condition) throws InterruptedException {
        until(timeout, what, condition, () -> "");
    }

    /**
     * Waits until {@code condition} holds; after {@code timeout} fails naming {@code what}, with
     * {@code diagnostics} (e.g. a daemon's log) appended. {@code diagnostics} may itself throw
     * an {@link AssertionError} to stop the wait early (a process that died).
     */
    public static void until(Duration timeout, String what, BooleanSupplier condition, Supplier<String> diagnostics)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                String d = diagnostics.get();
                throw new AssertionError("timed out after " + timeout.toSeconds() + " s waiting for " + what
                        + (d.isEmpty() ? "" : "\n" + d));
            }
            Thread.sleep(POLL_MILLIS);
        }
    }

    /** Waits until {@code value} gives a non-null result and returns it. */
    public static <T> T value(Duration timeout, String what, Supplier<T> value) throws InterruptedException {
        Object[] box = new Object[1];
        until(timeout, what, () -> (box[0] = value.get()) != null);
        @SuppressWarnings("unchecked")
        T t = (T) box[0];
        return t;
    }
}
