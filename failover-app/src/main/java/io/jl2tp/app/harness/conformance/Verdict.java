package io.jl2tp.app.harness.conformance;

/** A scenario's verdict in a report. */
public enum Verdict {
    /** The LNS did what the clause requires. */
    PASS,
    /** It did not. */
    FAIL,
    /** It did not, and this is a known deviation of the implementation (see {@link KnownDeviations}). */
    KNOWN,
    /** It did, although listed as a known deviation: the list is out of date. */
    XPASS,
    /** Not testable on this target (the detail says why). */
    SKIP;

    /** True if this verdict makes the run fail; in strict mode known deviations do too. */
    public boolean failsRun(boolean strict) {
        return this == FAIL || (strict && this == KNOWN);
    }
}
