package io.jl2tp.app.cli;

import io.jl2tp.app.demo.DemoCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code jl2tp}: a pure-Java L2TPv2/PPP client (and LNS) that replaces xl2tpd + pppd.
 * Subcommands are registered here, in one place.
 */
@Command(name = "jl2tp", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        subcommands = {DemoCommand.class, DialCommand.class, Xl2tpdCommand.class, ControlCommand.class, LnsCommand.class, CommandLine.HelpCommand.class},
        description = {"Pure-Java L2TPv2 (RFC 2661) + PPP client and LNS: a drop-in for xl2tpd + pppd,",
            "with no kernel PPP or L2TP modules (one JVM is the LAC, the PPP peer and a TUN interface)."},
        footer = {"", "Examples:", "  sudo jl2tp demo", "  sudo jl2tp dial --lns 194.4.172.12 --user me@a.1 --password-file /etc/jl2tp/pw"
                + " --ipv6 --usepeerdns --defaultroute"})
public final class Main {

    private Main() {
    }

    public static void main(String[] args) {
        if (System.getenv("INVOCATION_ID") != null || System.getenv("JOURNAL_STREAM") != null) {
            System.setProperty("jl2tp.log.pattern", "%msg%n"); // journald stamps lines itself
        }
        System.exit(commandLine().execute(args));
    }

    /** The command tree, as {@link #main} runs it. */
    static CommandLine commandLine() {
        return new CommandLine(new Main()).setCaseInsensitiveEnumValuesAllowed(true)
                .setExecutionExceptionHandler((e, cl, parsed) -> {
                    // What went wrong, in one line a user can act on; the stack trace is for DEBUG.
                    Throwable t = e instanceof java.util.concurrent.ExecutionException && e.getCause() != null ? e.getCause() : e;
                    cl.getErr().println("jl2tp " + cl.getCommandName() + ": " + (t.getMessage() != null ? t.getMessage() : t));
                    org.slf4j.LoggerFactory.getLogger(Main.class).debug("jl2tp {} failed", cl.getCommandName(), e);
                    return 1;
                });
    }

    /** Version from the jar manifest. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = Main.class.getPackage().getImplementationVersion();
            return new String[] {"jl2tp " + (v == null ? "0.1.0-SNAPSHOT" : v)};
        }
    }
}
