package io.jl2tp.app.harness.conformance;

/**
 * One conformance scenario: an identifier, the RFC clause it checks, what the LNS must do, and
 * the script. The script returns the passing detail, throws {@link Failed} when the LNS does not
 * do what the clause says, and {@link Skipped} when the target cannot be tested for it (no
 * tunnel secret given, the LNS does not use the feature).
 *
 * @param id       short stable name ({@code retransmit-backoff}), used in reports and deviation lists
 * @param clause   the RFC and section ({@code RFC 2661 §5.8})
 * @param expected the outcome the clause requires, one line
 * @param body     the script
 */
public record Scenario(String id, String clause, String expected, Body body) {

    /** A scenario's script, run against a fresh LAC on the target. */
    @FunctionalInterface
    public interface Body {
        String run(Target target) throws Exception;
    }

    /** The target cannot be tested for this scenario; the message says why. */
    static final class Skipped extends Exception {
        Skipped(String why) {
            super(why, null, false, false);
        }
    }
}
