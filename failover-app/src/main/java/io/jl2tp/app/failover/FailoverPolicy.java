package io.jl2tp.app.failover;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * When to dial the backup session and when to hang it up: state + event → actions, with no I/O
 * and no clock (timers are actions, their expiry an event), so that every sequence is a plain
 * unit test.
 *
 * <pre>
 *                  primary down (or unknown at start → down)
 *    ┌──────────┐ ───────────── Dial ─────────────────────▶ ┌──────────────┐
 *    │  STANDBY │                                            │    ACTIVE    │◀─┐ primary down:
 *    │ (no call)│ ◀──── HangUp ── hold timer expired ─────── │ (dialling or │  │ CancelHold
 *    └──────────┘       (primary stayed up `hold up` s)      │  connected)  │──┘
 *         ▲                                                  └──────────────┘
 *         │                                                    │ primary up: StartHold(hold up)
 *         └────────── manual 'd NAME' (HangUp) ────────────────┘   and Routes(primary)
 * </pre>
 *
 * Traffic follows the primary's health at once ({@link Routes}): when it comes back, the
 * default routes through the tunnel are withdrawn while the session lingers for {@code hold up},
 * and a relapse within the hold puts them back without a new call.
 *
 * The session is dialled at most once per outage: redialling a lost session is the LAC's own
 * business (its redial policy), so the policy only ever has zero or one session. A manual
 * {@code c}/{@code d} overrides until the primary's next change of state.
 */
public final class FailoverPolicy {

    /** The primary link as the watcher sees it. */
    public enum Primary { UNKNOWN, UP, DOWN }

    /** Inputs. */
    public sealed interface Event {
    }

    /** The primary link is usable ({@code up}) or not; repeated states are harmless. */
    public record PrimaryChanged(boolean up) implements Event {
    }

    /** The hold timer numbered {@code token} expired. */
    public record HoldExpired(long token) implements Event {
    }

    /** An operator's {@code c NAME} ({@code connect}) or {@code d NAME}. */
    public record Manual(boolean connect) implements Event {
    }

    /** The LAC stopped on its own (max redials reached, or redial = no): no session any more. */
    public record GaveUp() implements Event {
    }

    /** Outputs, to be carried out in order. */
    public sealed interface Action {
    }

    /** Dial the LAC now (no redial wait). */
    public record Dial(String reason) implements Action {
    }

    /** Hang the session up cleanly. */
    public record HangUp(String reason) implements Action {
    }

    /** Start timer {@code token}; its expiry is {@link HoldExpired}. */
    public record StartHold(long token, Duration after) implements Action {
    }

    /** Forget timer {@code token}. */
    public record CancelHold(long token) implements Action {
    }

    /**
     * Route traffic through the session ({@code true}) or leave it to the primary
     * ({@code false}) while the session lingers for {@code hold up}: traffic follows the
     * primary's health at once, the session only after the hold.
     */
    public record Routes(boolean viaTunnel) implements Action {
    }

    private final Duration holdUp;
    private Primary primary = Primary.UNKNOWN;
    private volatile boolean active;          // volatile: status and metrics read it from other threads
    private volatile long holdToken; // the pending hold timer, 0 when none
    private long nextToken = 1;
    private volatile int failovers;
    private boolean routes = true; // what the last Routes action said (sessions start with routes)

    /** @param holdUp how long the primary must stay up before the backup session is hung up */
    public FailoverPolicy(Duration holdUp) {
        if (holdUp.isNegative()) {
            throw new IllegalArgumentException("hold up must be >= 0");
        }
        this.holdUp = holdUp;
    }

    /** Feeds one event; returns what to do, in order. */
    public List<Action> on(Event event) {
        List<Action> out = new ArrayList<>(2);
        if (event instanceof PrimaryChanged p) {
            primaryChanged(p.up(), out);
        } else if (event instanceof HoldExpired h) {
            if (h.token() == holdToken) {
                holdToken = 0;
                if (active && primary == Primary.UP) {
                    active = false;
                    out.add(new HangUp("primary link stable for " + holdUp.toSeconds() + " s"));
                }
            }
        } else if (event instanceof GaveUp) {
            cancelHold(out);
            active = false;
        } else if (event instanceof Manual m) {
            cancelHold(out);
            if (m.connect() && !active) {
                active = true;
                out.add(new Dial("connect requested"));
            }
            if (m.connect()) {
                routes(true, out);
            } else if (!m.connect() && active) {
                active = false;
                out.add(new HangUp("disconnect requested"));
            }
        }
        return out;
    }

    private void primaryChanged(boolean up, List<Action> out) {
        Primary now = up ? Primary.UP : Primary.DOWN;
        if (now == primary) {
            return;
        }
        primary = now;
        if (!up) {
            cancelHold(out);
            if (!active) {
                active = true;
                failovers++;
                out.add(new Dial("primary link down"));
            }
            routes(true, out);
        } else if (active && holdToken == 0) {
            holdToken = nextToken++;
            out.add(new StartHold(holdToken, holdUp));
            routes(false, out);
        }
    }

    private void routes(boolean viaTunnel, List<Action> out) {
        if (routes != viaTunnel) {
            routes = viaTunnel;
            out.add(new Routes(viaTunnel));
        }
    }

    private void cancelHold(List<Action> out) {
        if (holdToken != 0) {
            out.add(new CancelHold(holdToken));
            holdToken = 0;
        }
    }

    /** The primary link's state. */
    public Primary primary() {
        return primary;
    }

    /** Whether the backup session should exist (dialling, up, or redialling). */
    public boolean active() {
        return active;
    }

    /** Whether a hang-up is pending on the hold timer. */
    public boolean holding() {
        return holdToken != 0;
    }

    /** How many times the primary's loss started the backup session. */
    public int failovers() {
        return failovers;
    }
}
