package io.jl2tp.app.dial;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;
import java.util.OptionalLong;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.DoubleSupplier;

/**
 * One LAC's life, for {@code jl2tp dial} and for each [lac] of {@code jl2tp xl2tpd}: dial, wait
 * for the session to end, dial again per the {@link RedialPolicy} until deactivated or out of
 * attempts. At most one {@link Dialer} exists at a time, and the next one is created only after
 * the previous one has released everything it owned ({@link Dialer#down()}), so a LAC that
 * redials for a night holds the same threads and descriptors as after its first attempt.
 *
 * <p>Dials run on {@code scheduler}; {@link #activate} and {@link #deactivate} may be called from
 * any thread (control FIFO, signal handler).
 */
public final class Redialer {

    /** Where the LAC is in its dial/redial cycle; {@link #toString} is the word the status lines show. */
    public enum State {
        IDLE("idle"), DIALING("dialing"), UP("up"), DOWN("down"), WAITING("waiting to redial");

        private final String word;

        State(String word) {
            this.word = word;
        }

        @Override
        public String toString() {
            return word;
        }
    }


    private static final Logger log = LoggerFactory.getLogger(Redialer.class);

    /** Builds the dialer's configuration afresh for each attempt (secrets and options files are re-read). */
    @FunctionalInterface
    public interface ConfigSource {
        Dialer.Config get() throws Exception;
    }

    /** What the redialer reports (on its threads; keep it short). */
    public interface Listener {
        /** A session reached IPCP up. */
        default void up(Dialer.Status status) {
        }

        /** No further attempt will be made: redial off, or max redials reached. */
        default void gaveUp(String why) {
        }
    }

    private final String name;
    private final ConfigSource config;
    private final RedialPolicy policy;
    private final ScheduledExecutorService scheduler;
    private final Listener listener;
    private final DoubleSupplier random;
    private volatile boolean active;
    private volatile Dialer dialer;
    private volatile int failures;
    private volatile State state = State.IDLE;
    private volatile Instant since = Instant.now();
    private volatile String lastError;
    private volatile boolean routesEnabled = true;
    private int generation;          // bumped by activate/deactivate: stale scheduled dials bail out

    public Redialer(String name, ConfigSource config, RedialPolicy policy, ScheduledExecutorService scheduler,
                    Listener listener) {
        this(name, config, policy, scheduler, listener, () -> ThreadLocalRandom.current().nextDouble());
    }

    Redialer(String name, ConfigSource config, RedialPolicy policy, ScheduledExecutorService scheduler,
             Listener listener, DoubleSupplier random) {
        this.name = name;
        this.config = config;
        this.policy = policy;
        this.scheduler = scheduler;
        this.listener = listener;
        this.random = random;
    }

    /** Dials now (no redial wait) unless active already; returns false if it was. */
    public synchronized boolean activate() {
        if (active) {
            return false;
        }
        active = true;
        failures = 0;
        int g = ++generation;
        scheduler.execute(() -> dial(g));
        return true;
    }

    /** Stops redialling and hangs the session up (LCP Terminate, CDN, StopCCN, hooks); returns when it is released. */
    public void deactivate(String why) {
        synchronized (this) {
            active = false;
            generation++;
        }
        Dialer d = dialer;
        if (d != null) {
            d.hangUp(why, 2000);
        }
        setState(State.IDLE);
    }

    /**
     * Withdraws the session's routes, keeping the session ({@code false}), or installs them again
     * ({@code true}); a session dialled later starts with the setting.
     */
    public void routesEnabled(boolean enabled) {
        routesEnabled = enabled;
        Dialer d = dialer;
        if (d != null) {
            d.routesEnabled(enabled);
        }
    }

    private void setState(State s) {
        state = s;
        since = Instant.now();
    }

    private void dial(int g) {
        synchronized (this) {
            if (!active || g != generation || dialer != null) {
                return; // deactivated, superseded, or a session already exists
            }
        }
        Dialer d;
        try {
            d = new Dialer(config.get(), e -> { });
            d.standby(standby);
            dialer = d;
            d.routesEnabled(routesEnabled); // after publishing d: a concurrent routesEnabled() sees one or the other
            setState(State.DIALING);
            d.start();
        } catch (Exception e) {
            lastError = e.getMessage();
            log.warn("{}: cannot dial: {}", name, e.getMessage());
            dialer = null;
            scheduleRedial();
            return;
        }
        d.ipUp().whenComplete((up, err) -> {
            if (err == null) {
                failures = 0;
                setState(State.UP);
                listener.up(d.status());
            }
        });
        d.down().whenComplete((why, err) -> {
            lastError = why;
            if (dialer == d) {
                dialer = null;
            }
            if (active) {
                setState(State.DOWN);
                scheduleRedial();
            }
        });
    }

    private void scheduleRedial() {
        String gaveUp = null;
        synchronized (this) {
            if (!active) {
                return;
            }
            failures++;
            OptionalLong wait = policy.delayMillis(failures, random);
            if (wait.isEmpty()) {
                gaveUp = policy.enabled() ? "max redials reached (" + (failures - 1) + ")" : "redial off";
                active = false;
                generation++;
                setState(State.IDLE);
            } else {
                setState(State.WAITING);
                log.info("{}: redialling in {} ms", name, wait.getAsLong());
                int g = generation;
                scheduler.schedule(() -> dial(g), wait.getAsLong(), TimeUnit.MILLISECONDS);
            }
        }
        if (gaveUp != null) {
            log.info("{}: not redialling: {}", name, gaveUp);
            listener.gaveUp(gaveUp);
        }
    }

    /** The warm standby whose tunnel the next dial takes its call into (null: none). */
    public void standby(StandbyTunnel s) {
        this.standby = s;
    }

    private volatile StandbyTunnel standby;

    /** True while dialling, up or waiting to redial. */
    public boolean active() {
        return active;
    }

    /** The current session's dialer, or null. */
    public Dialer dialer() {
        return dialer;
    }

    /** Failed attempts since the last session that came up. */
    public int failures() {
        return failures;
    }

    /** idle, dialing, up, down, waiting to redial. */
    public State state() {
        return state;
    }

    /** When {@link #state()} was entered. */
    public Instant since() {
        return since;
    }

    /** Why the last session ended (or the last dial failed), or null. */
    public String lastError() {
        return lastError;
    }

    /** The policy in force. */
    public RedialPolicy policy() {
        return policy;
    }
}
