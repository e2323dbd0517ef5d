package io.jl2tp.app.harness.conformance;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The conformance suite for an LNS: every scenario in order, each on a fresh tunnel from a fresh
 * UDP port, with the known deviations of the implementation under test applied to the verdicts.
 *
 * <p>Threads: {@link #run} runs the scenarios one after another on the calling thread.
 */
public final class ConformanceSuite {

    private ConformanceSuite() {
    }

    /** Every scenario, in the order they run. */
    public static List<Scenario> scenarios() {
        List<Scenario> all = new ArrayList<>(TunnelScenarios.all());
        all.addAll(TransportScenarios.all());
        all.addAll(PppScenarios.all());
        return List.copyOf(all);
    }

    /**
     * Runs {@code scenarios} against {@code target}; {@code known} are the ids expected to fail.
     * Each result goes to {@code progress} as it is known.
     */
    public static List<Result> run(Target target, List<Scenario> scenarios, Set<String> known, Consumer<Result> progress) {
        List<Result> out = new ArrayList<>();
        for (Scenario s : scenarios) {
            Result r = runOne(target, s, known.contains(s.id()));
            out.add(r);
            progress.accept(r);
        }
        return out;
    }

    static Result runOne(Target target, Scenario s, boolean knownDeviation) {
        long t0 = System.nanoTime();
        Verdict v;
        String detail;
        try {
            detail = s.body().run(target);
            v = knownDeviation ? Verdict.XPASS : Verdict.PASS;
        } catch (Failed e) {
            detail = e.getMessage();
            v = knownDeviation ? Verdict.KNOWN : Verdict.FAIL;
        } catch (Scenario.Skipped e) {
            detail = e.getMessage();
            v = Verdict.SKIP;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            detail = "interrupted";
            v = Verdict.FAIL;
        } catch (Exception e) {
            detail = "harness error: " + e;
            v = Verdict.FAIL;
        }
        return new Result(s, v, detail, (System.nanoTime() - t0) / 1e9);
    }
}
