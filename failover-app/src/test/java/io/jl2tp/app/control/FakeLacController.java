package io.jl2tp.app.control;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The control tests' controller: LACs {@code aaisp} and {@code backup}, a fixed status, and every
 * call recorded in order as text ({@code "connect aaisp alice s3cret"}), to be awaited with
 * {@link #next(int)} — an event, not a sleep.
 */
public final class FakeLacController implements LacController {

    private final BlockingQueue<String> calls = new LinkedBlockingQueue<>();
    private final List<String> status;

    public FakeLacController(String... status) {
        this.status = List.of(status);
    }

    @Override
    public void connect(String name, String user, String password) throws ControlException {
        if (!available().contains(name)) {
            throw new ControlException("no such LAC '" + name + "'");
        }
        calls.add("connect " + name + " " + user + " " + password);
    }

    @Override
    public void disconnect(String name) {
        calls.add("disconnect " + name);
    }

    @Override
    public void add(String name, String settings) {
        calls.add("add " + name + " " + settings);
    }

    @Override
    public void remove(String name) {
        calls.add("remove " + name);
    }

    @Override
    public List<String> status(String name) {
        return status;
    }

    @Override
    public List<String> available() {
        return List.of("aaisp", "backup");
    }

    /** The next {@code n} calls, waiting for each (at most 10 s); fails if they do not come. */
    public List<String> next(int n) throws InterruptedException {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String c = calls.poll(Duration.ofSeconds(10).toMillis(), TimeUnit.MILLISECONDS);
            if (c == null) {
                throw new AssertionError("expected " + n + " controller calls, got " + out);
            }
            out.add(c);
        }
        return out;
    }

    /** Calls made and not yet taken with {@link #next(int)}. */
    public List<String> pending() {
        return new ArrayList<>(calls);
    }
}
