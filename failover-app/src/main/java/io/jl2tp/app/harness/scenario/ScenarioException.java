package io.jl2tp.app.harness.scenario;

/** A scenario line that cannot be used; the message is one line: {@code file:line: problem}. */
public final class ScenarioException extends Exception {

    public ScenarioException(String source, int line, String problem) {
        super(source + ":" + line + ": " + problem);
    }
}
