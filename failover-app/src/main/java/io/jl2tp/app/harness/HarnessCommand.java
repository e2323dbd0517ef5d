package io.jl2tp.app.harness;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.util.concurrent.Callable;

/** {@code jl2tp harness}: tools for testing L2TP equipment (jl2tp's own and anyone's). */
@Command(name = "harness", mixinStandardHelpOptions = true,
        subcommands = {ImpairCommand.class, LnsHarnessCommand.class, LacHarnessCommand.class, CtlHarnessCommand.class,
            io.jl2tp.app.harness.conformance.ConformanceCommand.class, CommandLine.HelpCommand.class},
        description = {"The protocol test harness: tools for testing LACs and LNSs, jl2tp's own or anyone's.",
            "  impair   a UDP relay: loss, duplication, reordering, delay, rate, black hole",
            "  lns      an LNS to test LACs with: user-space calls, scripted misbehaviour",
            "  lac      a LAC to test LNSs with: N tunnels x M calls, pings, UDP streams",
            "  load     the same as lac (the load generator: --tunnels, --sessions, --rate)",
            "  ctl      one command to a running harness lns or lac (its control socket)",
            "  conformance  RFC conformance suite for an LNS or LAC (table, JSON, JUnit)"})
public final class HarnessCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().getErr().println("jl2tp harness: a subcommand is required (impair, lns, lac or load, ctl, conformance); see jl2tp harness --help");
        return 2;
    }
}
