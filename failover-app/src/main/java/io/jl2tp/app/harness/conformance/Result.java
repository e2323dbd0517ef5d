package io.jl2tp.app.harness.conformance;

/**
 * A scenario's outcome.
 *
 * @param scenario the scenario
 * @param verdict  its verdict after known deviations were applied
 * @param detail   what was observed, one line
 * @param seconds  how long it ran
 */
public record Result(Scenario scenario, Verdict verdict, String detail, double seconds) {
}
