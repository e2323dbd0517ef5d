package io.jl2tp.app.failover;

/**
 * mwan3-style hysteresis for the optional probe through the primary link: {@code down} lost
 * probes in a row make it fail, {@code up} answered probes in a row make it recover; anything in
 * between keeps the last verdict. Starts healthy (the link's own state decides at start-up).
 */
public final class ProbeHysteresis {

    private final int down;
    private final int up;
    private boolean healthy = true;
    private int lostInRow;
    private int answeredInRow;

    public ProbeHysteresis(int down, int up) {
        if (down < 1 || up < 1) {
            throw new IllegalArgumentException("probe down and probe up must be >= 1");
        }
        this.down = down;
        this.up = up;
    }

    /** Records one probe's outcome; returns the verdict after it. */
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
