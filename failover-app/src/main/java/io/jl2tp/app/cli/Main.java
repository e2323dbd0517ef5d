package io.jl2tp.app.cli;

import io.jl2tp.app.demo.DemoCommand;
import io.jl2tp.app.harness.HarnessCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code jl2tp}: a pure-Java L2TPv2/PPP client (and LNS) that replaces xl2tpd + pppd.
 * Subcommands are registered here, in one place ({@link #SUBCOMMANDS}, {@link #subcommand}).
 */
@Command(name = "jl2tp", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = {"Pure-Java L2TPv2 (RFC 2661) + PPP client and LNS: a drop-in for xl2tpd + pppd,",
            "with no kernel PPP or L2TP modules (one JVM is the LAC, the PPP peer and a TUN interface)."},
        footer = {"", "Examples:", "  sudo jl2tp demo", "  sudo jl2tp dial --lns 194.4.172.12 --user me@a.1 \\",
            "      --password-file /etc/jl2tp/pw --ipv6 --usepeerdns --defaultroute"})
public final class Main {

    private Main() {
    }

    public static void main(String[] args) {
        String pattern = io.jl2tp.app.log.Logging.pattern(System.getenv());
        if (pattern != null) {
            System.setProperty("jl2tp.log.pattern", pattern); // before logback starts
        }
        System.exit(commandLine(args.length > 0 ? args[0] : null).execute(args));
    }

    /**
     * picocli's switch for its built-in type converters. It registers those of java.sql and
     * java.time types by reflection whenever a CommandLine is made ({@code Class.forName}, which
     * also initialises them: 37 classes at every start of {@code xl2tpd --check}); no jl2tp option
     * has such a type ({@code PicocliConvertersTest}).
     */
    static final String CONVERTER_EXCLUDES = "picocli.converters.excludes";
    static final String NO_SQL_OR_TIME_CONVERTERS = "java\\.sql\\..*,java\\.time\\..*";

    /** The subcommands' names, in the order the help lists them. */
    static final java.util.List<String> SUBCOMMANDS = java.util.List.of("demo", "dial", "xl2tpd", "control", "lns", "harness", "help");

    /** A new instance of the subcommand {@code name}, one of {@link #SUBCOMMANDS}. */
    static Object subcommand(String name) {
        return switch (name) {
            case "demo" -> new DemoCommand();
            case "dial" -> new DialCommand();
            case "xl2tpd" -> new Xl2tpdCommand();
            case "control" -> new ControlCommand();
            case "lns" -> new LnsCommand();
            case "harness" -> new HarnessCommand();
            case "help" -> new CommandLine.HelpCommand();
            default -> throw new IllegalArgumentException("no subcommand " + name);
        };
    }

    /** The whole command tree: every subcommand. */
    static CommandLine commandLine() {
        return commandLine(null);
    }

    /**
     * The command tree for a command line whose first argument is {@code first}: when that names
     * a subcommand exactly (and not {@code help}, which needs the others), the tree holds only
     * that one, as nothing else can run. picocli builds each command's model by reflection when
     * it is added (annotation proxies, every option's type loaded): the daemon ({@code xl2tpd})
     * skips the harness's, the demo's and the others' (issue #14: ~150 classes fewer at start,
     * docs/benchmarks.md "Footprint and start-up"). Any other first argument (an option, a typo
     * picocli suggests a correction for, none) gets all of them.
     */
    static CommandLine commandLine(String first) {
        if (System.getProperty(CONVERTER_EXCLUDES) == null) {
            System.setProperty(CONVERTER_EXCLUDES, NO_SQL_OR_TIME_CONVERTERS);
        }
        CommandLine root = new CommandLine(new Main());
        boolean one = first != null && !first.equals("help") && SUBCOMMANDS.contains(first);
        for (String name : SUBCOMMANDS) {
            if (!one || name.equals(first)) {
                root.addSubcommand(name, subcommand(name));
            }
        }
        reflow(root);
        return root.setCaseInsensitiveEnumValuesAllowed(true)
                .setExecutionExceptionHandler((e, cl, parsed) -> {
                    // What went wrong, in one line a user can act on; the stack trace is for DEBUG.
                    Throwable t = e instanceof java.util.concurrent.ExecutionException && e.getCause() != null ? e.getCause() : e;
                    cl.getErr().println("jl2tp " + cl.getCommandName() + ": " + describe(t));
                    org.slf4j.LoggerFactory.getLogger(Main.class).debug("jl2tp {} failed", cl.getCommandName(), e);
                    return 1;
                });
    }

    /**
     * What went wrong, in words: a file-system exception's message is only the path
     * ({@code /var/run/xl2tpd}), so its kind is said too.
     */
    static String describe(Throwable t) {
        if (t instanceof java.nio.file.FileSystemException f) {
            String what = t instanceof java.nio.file.AccessDeniedException ? "permission denied"
                    : t instanceof java.nio.file.NoSuchFileException ? "no such file or directory"
                    : t instanceof java.nio.file.NotDirectoryException ? "not a directory"
                    : t instanceof java.nio.file.FileAlreadyExistsException ? "already exists (and is in the way)"
                    : t instanceof java.nio.file.DirectoryNotEmptyException ? "directory not empty"
                    : f.getReason() != null ? f.getReason() : t.getClass().getSimpleName();
            return f.getFile() + (f.getOtherFile() != null ? " -> " + f.getOtherFile() : "") + ": " + what;
        }
        String m = t.getMessage();
        return m == null || m.isBlank() ? t.getClass().getSimpleName() : m;
    }

    /**
     * Joins the hand-broken lines of every command's description into paragraphs for picocli
     * to wrap at the terminal's width, so help text is never cut mid-sentence; an empty line
     * ends a paragraph, and indented lines (examples, command tables) are kept as they are.
     */
    static void reflow(CommandLine cl) {
        CommandLine.Model.UsageMessageSpec u = cl.getCommandSpec().usageMessage();
        u.description(paragraphs(u.description()));
        u.footer(paragraphs(u.footer()));
        cl.getSubcommands().values().forEach(Main::reflow);
    }

    static String[] paragraphs(String[] lines) {
        java.util.List<String> out = new java.util.ArrayList<>();
        StringBuilder p = null;
        for (String l : lines) {
            boolean prose = !l.isEmpty() && !l.startsWith(" ");
            if (prose && p != null) {
                p.append(' ').append(l.strip());
                continue;
            }
            if (p != null) {
                out.add(p.toString());
                p = null;
            }
            if (prose && !l.endsWith(":")) {
                p = new StringBuilder(l.strip());
            } else {
                out.add(l);
            }
        }
        if (p != null) {
            out.add(p.toString());
        }
        return out.toArray(String[]::new);
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
