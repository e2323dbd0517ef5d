package io.jl2tp.testkit;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.PriorityQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.Delayed;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.LongSupplier;

/**
 * A single-threaded {@link ScheduledExecutorService} that runs in virtual time: nothing runs
 * until the test calls {@link #runPending()} or {@link #advance}. Tasks due at the same
 * instant run in submission order. Not thread-safe: drive it from the test thread only.
 *
 * <p>Production code takes a {@code ScheduledExecutorService} (a Netty event loop is one) and
 * a nanosecond clock ({@link #nanoClock()}), so retransmission, HELLO, restart timers and
 * back-off can be tested to the millisecond without sleeping.
 */
public final class VirtualScheduler implements ScheduledExecutorService {

    private final PriorityQueue<Task<?>> queue = new PriorityQueue<>();
    private long nowNanos;
    private long seq;
    private boolean shutdown;

    /** Current virtual time in nanoseconds since the scheduler was created. */
    public long nanoTime() {
        return nowNanos;
    }

    /** Current virtual time in milliseconds. */
    public long millis() {
        return TimeUnit.NANOSECONDS.toMillis(nowNanos);
    }

    /** A clock view for code that wants a {@code LongSupplier} of nanoseconds. */
    public LongSupplier nanoClock() {
        return this::nanoTime;
    }

    /** Runs every task that is due now (including ones they schedule for now). */
    public int runPending() {
        int ran = 0;
        while (!queue.isEmpty() && queue.peek().due <= nowNanos) {
            Task<?> t = queue.poll();
            if (!t.isCancelled()) {
                t.run();
                ran++;
            }
        }
        return ran;
    }

    /** Moves time forward by {@code amount}, running tasks at their due times in order. */
    public int advance(long amount, TimeUnit unit) {
        long target = nowNanos + unit.toNanos(amount);
        int ran = 0;
        while (true) {
            Task<?> next = queue.peek();
            if (next == null || next.due > target) {
                break;
            }
            queue.poll();
            if (next.isCancelled()) {
                continue;
            }
            nowNanos = Math.max(nowNanos, next.due);
            next.run();
            ran++;
        }
        nowNanos = target;
        return ran;
    }

    /** Runs tasks until the queue is empty or {@code limit} of virtual time has passed. */
    public int advanceUntilIdle(long limit, TimeUnit unit) {
        long target = nowNanos + unit.toNanos(limit);
        int ran = 0;
        while (true) {
            Task<?> next = queue.peek();
            while (next != null && next.isCancelled()) {
                queue.poll();
                next = queue.peek();
            }
            if (next == null || next.due > target) {
                break;
            }
            ran += advance(next.due - nowNanos, TimeUnit.NANOSECONDS);
        }
        return ran;
    }

    /** Number of scheduled tasks not yet run or cancelled. */
    public int pendingTasks() {
        int n = 0;
        for (Task<?> t : queue) {
            if (!t.isCancelled()) {
                n++;
            }
        }
        return n;
    }

    /** Virtual time, in ns, at which the next live task is due, or -1 if none. */
    public long nextDueNanos() {
        long best = -1;
        for (Task<?> t : queue) {
            if (!t.isCancelled() && (best < 0 || t.due < best)) {
                best = t.due;
            }
        }
        return best;
    }

    private <V> Task<V> enqueue(Callable<V> c, long delayNanos, long periodNanos) {
        if (shutdown) {
            throw new java.util.concurrent.RejectedExecutionException("shut down");
        }
        Task<V> t = new Task<>(c, nowNanos + Math.max(0, delayNanos), periodNanos, seq++);
        queue.add(t);
        return t;
    }

    @Override
    public ScheduledFuture<?> schedule(Runnable command, long delay, TimeUnit unit) {
        return enqueue(() -> {
            command.run();
            return null;
        }, unit.toNanos(delay), 0);
    }

    @Override
    public <V> ScheduledFuture<V> schedule(Callable<V> callable, long delay, TimeUnit unit) {
        return enqueue(callable, unit.toNanos(delay), 0);
    }

    @Override
    public ScheduledFuture<?> scheduleAtFixedRate(Runnable command, long initialDelay, long period, TimeUnit unit) {
        return enqueue(() -> {
            command.run();
            return null;
        }, unit.toNanos(initialDelay), unit.toNanos(period));
    }

    @Override
    public ScheduledFuture<?> scheduleWithFixedDelay(Runnable command, long initialDelay, long delay, TimeUnit unit) {
        return scheduleAtFixedRate(command, initialDelay, delay, unit);
    }

    @Override
    public void execute(Runnable command) {
        schedule(command, 0, TimeUnit.NANOSECONDS);
    }

    @Override
    public <T> Future<T> submit(Callable<T> task) {
        return schedule(task, 0, TimeUnit.NANOSECONDS);
    }

    @Override
    public <T> Future<T> submit(Runnable task, T result) {
        return schedule(() -> {
            task.run();
            return result;
        }, 0, TimeUnit.NANOSECONDS);
    }

    @Override
    public Future<?> submit(Runnable task) {
        return schedule(task, 0, TimeUnit.NANOSECONDS);
    }

    @Override
    public void shutdown() {
        shutdown = true;
    }

    @Override
    public List<Runnable> shutdownNow() {
        shutdown = true;
        List<Runnable> left = new ArrayList<>(queue);
        queue.clear();
        return left;
    }

    @Override
    public boolean isShutdown() {
        return shutdown;
    }

    @Override
    public boolean isTerminated() {
        return shutdown && queue.isEmpty();
    }

    @Override
    public boolean awaitTermination(long timeout, TimeUnit unit) {
        return isTerminated();
    }

    @Override
    public <T> List<Future<T>> invokeAll(Collection<? extends Callable<T>> tasks) {
        throw new UnsupportedOperationException("invokeAll is not supported in virtual time");
    }

    @Override
    public <T> List<Future<T>> invokeAll(Collection<? extends Callable<T>> tasks, long timeout, TimeUnit unit) {
        throw new UnsupportedOperationException("invokeAll is not supported in virtual time");
    }

    @Override
    public <T> T invokeAny(Collection<? extends Callable<T>> tasks) {
        throw new UnsupportedOperationException("invokeAny is not supported in virtual time");
    }

    @Override
    public <T> T invokeAny(Collection<? extends Callable<T>> tasks, long timeout, TimeUnit unit) {
        throw new UnsupportedOperationException("invokeAny is not supported in virtual time");
    }

    private final class Task<V> implements ScheduledFuture<V>, Runnable {
        private final Callable<V> callable;
        private long due;
        private final long period;
        private final long order;
        private boolean cancelled;
        private boolean done;
        private V result;
        private Throwable failure;

        Task(Callable<V> callable, long due, long period, long order) {
            this.callable = callable;
            this.due = due;
            this.period = period;
            this.order = order;
        }

        @Override
        public void run() {
            try {
                result = callable.call();
            } catch (Throwable t) {
                failure = t;
                done = true;
                throw t instanceof RuntimeException re ? re : new IllegalStateException(t);
            }
            if (period > 0 && !cancelled) {
                due += period;
                queue.add(this);
            } else {
                done = true;
            }
        }

        @Override
        public long getDelay(TimeUnit unit) {
            return unit.convert(due - nowNanos, TimeUnit.NANOSECONDS);
        }

        @Override
        public int compareTo(Delayed o) {
            Task<?> other = (Task<?>) o;
            int c = Long.compare(due, other.due);
            return c != 0 ? c : Long.compare(order, other.order);
        }

        @Override
        public boolean cancel(boolean mayInterruptIfRunning) {
            if (done) {
                return false;
            }
            cancelled = true;
            done = true;
            return true;
        }

        @Override
        public boolean isCancelled() {
            return cancelled;
        }

        @Override
        public boolean isDone() {
            return done;
        }

        @Override
        public V get() throws ExecutionException {
            if (!done) {
                throw new IllegalStateException("virtual task not run yet; advance the scheduler");
            }
            if (failure != null) {
                throw new ExecutionException(failure);
            }
            return result;
        }

        @Override
        public V get(long timeout, TimeUnit unit) throws ExecutionException, TimeoutException {
            if (!done) {
                throw new TimeoutException("virtual task not run yet");
            }
            return get();
        }
    }
}
