package io.jl2tp.app.failover;

/**
 * mwan3-style hysteresis for the optional probe through the primary link. Each round pings
 * every target once; the round succeeds if at least {@code reliability} of them answer (mwan3's
 * {@code reliability}, k of n). {@code down} failed rounds in a row make the probe fail,
 * {@code up} successful rounds in a row make it recover; anything in between keeps the last
 * verdict. Starts healthy (the link's own state decides at start-up).
 */
public final class ProbeHysteresis {

    private final int down;
    private final int up;
    private final int reliability;
    private boolean healthy = true;
    private int lostInRow;
    private int answeredInRow;

    /** One target (or any one of several) answering makes a round succeed. */
    public ProbeHysteresis(int down, int up) {
        this(down, up, 1);
    }

    /** @param reliability how many targets must answer in a round for it to succeed (≥ 1) */
    public ProbeHysteresis(int down, int up, int reliability) {
        if (down < 1 || up < 1) {
            throw new IllegalArgumentException("probe down and probe up must be >= 1");
        }
        if (reliability < 1) {
            throw new IllegalArgumentException("probe reliability must be >= 1");
        }
        this.down = down;
        this.up = up;
        this.reliability = reliability;
    }

    /** Whether a round in which {@code answered[i]} says if target i answered succeeds (k of n). */
    public boolean roundSucceeded(boolean[] answered) {
        return answering(answered) >= reliability;
    }

    /** How many targets answered in a round. */
    public static int answering(boolean[] answered) {
        int n = 0;
        for (boolean a : answered) {
            if (a) {
                n++;
            }
        }
        return n;
    }

    /** Records one round over several targets; returns the verdict after it. */
    public boolean record(boolean[] answered) {
        return record(roundSucceeded(answered));
    }

    /** Records one round's outcome (succeeded or not); returns the verdict after it. */
    public boolean record(boolean answered) {
        if (answered) {
            lostInRow = 0;
            if (++answeredInRow >= up) {
                healthy = true;
            }
        } else {
            answeredInRow = 0;
            if (++lostInRow >= down) {
                healthy = false;
            }
        }
        return healthy;
    }

    /** Forgets the counts (the link went down and came back: probing starts afresh, healthy). */
    public void reset() {
        healthy = true;
        lostInRow = 0;
        answeredInRow = 0;
    }

    public boolean healthy() {
        return healthy;
    }
}
