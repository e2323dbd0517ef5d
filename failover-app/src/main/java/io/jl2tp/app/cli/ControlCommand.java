package io.jl2tp.app.cli;

import io.jl2tp.app.control.ReplyFifo;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * {@code jl2tp control}: xl2tpd-control for the control FIFO of {@code jl2tp xl2tpd} (or of
 * xl2tpd itself — the protocol is the same): writes {@code @REPLY CMD} and prints the reply.
 */
@Command(name = "control", mixinStandardHelpOptions = true,
        description = {"Send a command to a running 'jl2tp xl2tpd' through its control FIFO, as xl2tpd-control does.",
            "",
            "Commands:",
            "  connect-lac NAME [USER [PASSWORD]]   dial (c NAME)",
            "  disconnect-lac NAME                  hang up and stop redialling (d NAME)",
            "  add-lac NAME KEY=VALUE...            add or replace a LAC (a NAME);",
            "                                       keys as in xl2tpd.conf",
            "  remove-lac NAME                      hang up and forget a LAC (r NAME)",
            "  status-lac NAME                      phase, addresses, uptime, counters",
            "                                       (s NAME)",
            "  status [NAME]                        the same, with the failover state;",
            "                                       every LAC without NAME (s)",
            "  available                            the configured LACs (x)"},
        footer = {"", "Exit status: 0 when the daemon answered OK, 1 when it answered with an error, 2 when it did not answer.",
            "", "Example:", "  jl2tp control -c /run/xl2tpd/control status-lac aaisp"})
public final class ControlCommand implements Callable<Integer> {

    @Option(names = {"-c", "--control"}, paramLabel = "FIFO", description = "control FIFO (default: ${DEFAULT-VALUE})")
    Path control = Path.of("/var/run/xl2tpd/l2tp-control");

    @Option(names = {"-t", "--timeout"}, paramLabel = "SECONDS", description = "how long to wait for the reply (default: ${DEFAULT-VALUE})")
    int timeout = 10;

    @Parameters(index = "0", paramLabel = "COMMAND", description = "connect-lac, disconnect-lac, add-lac, remove-lac, status-lac, status, available")
    String command;

    @Parameters(index = "1..*", paramLabel = "ARGS", description = "the LAC's name, then the command's arguments")
    List<String> args = new ArrayList<>();

    /** The FIFO line for an xl2tpd-control command, or an exception saying what is wrong. */
    static String toFifoCommand(String command, List<String> args) {
        String name = args.isEmpty() ? null : args.get(0);
        List<String> rest = args.size() > 1 ? args.subList(1, args.size()) : List.of();
        switch (command) {
            case "available":
                expect(args.isEmpty(), "available takes no arguments");
                return "x";
            case "connect-lac":
                expect(name != null && rest.size() <= 2, "usage: connect-lac NAME [USER [PASSWORD]]");
                return ("c " + name + " " + String.join(" ", rest)).strip();
            case "disconnect-lac":
                expect(name != null && rest.isEmpty(), "usage: disconnect-lac NAME");
                return "d " + name;
            case "remove-lac":
                expect(name != null && rest.isEmpty(), "usage: remove-lac NAME");
                return "r " + name;
            case "status-lac":
                expect(name != null && rest.isEmpty(), "usage: status-lac NAME");
                return "s " + name;
            case "status":
                expect(rest.isEmpty(), "usage: status [NAME]");
                return name == null ? "s" : "s " + name;
            case "add-lac":
                expect(name != null, "usage: add-lac NAME KEY=VALUE...");
                for (String kv : rest) {
                    expect(kv.contains("=") && !kv.contains(";"), "add-lac: '" + kv + "' is not KEY=VALUE");
                }
                return "a " + name + " " + String.join(";", rest);
            default:
                throw new IllegalArgumentException("unknown command '" + command
                        + "' (connect-lac, disconnect-lac, add-lac, remove-lac, status-lac, status, available)");
        }
    }

    private static void expect(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException(message);
        }
    }

    @Override
    public Integer call() throws Exception {
        String line;
        try {
            line = toFifoCommand(command, args);
            for (String a : args) {
                expect(!a.contains("\n"), "arguments cannot contain newlines");
            }
        } catch (IllegalArgumentException e) {
            System.err.println("jl2tp control: " + e.getMessage());
            return 2;
        }
        if (!Files.exists(control)) {
            System.err.println("jl2tp control: " + control + " does not exist: is 'jl2tp xl2tpd' running? (-c names the FIFO)");
            return 2;
        }
        Path dir = control.toAbsolutePath().getParent();
        Path reply = dir.resolve("jl2tp-control-" + ProcessHandle.current().pid() + ".out");
        try (ReplyFifo fifo = ReplyFifo.create(reply)) {
            // Opening a FIFO for writing blocks until a reader has it open: bound it.
            await(CompletableFuture.runAsync(() -> write(control, "@" + reply + " " + line + "\n")),
                    "nobody reads " + control);
            String text = fifo.read(Duration.ofSeconds(timeout));
            List<String> lines = text.lines().toList();
            if (lines.isEmpty()) {
                System.err.println("jl2tp control: empty reply");
                return 2;
            }
            if (!lines.get(0).startsWith("00")) {
                System.err.println("jl2tp control: " + lines.get(0).replaceFirst("^\\d+ ?", ""));
                return 1;
            }
            List<String> shown = shown(lines.subList(1, lines.size()));
            shown.forEach(System.out::println);
            if (shown.isEmpty()) {
                System.out.println("OK");
            }
            return 0;
        } catch (TimeoutException e) {
            String what = e.getMessage() != null && e.getMessage().startsWith("nobody") ? e.getMessage() : "no reply from the daemon";
            System.err.println("jl2tp control: " + what + " within " + timeout + " s");
            return 2;
        }
    }

    /**
     * The reply's lines after {@code 00 OK} as a user reads them: {@code 00 STATUS line} → line,
     * {@code 00 AVAILABLE lac.N.name=NAME} → NAME (the counts are dropped); anything else as is.
     */
    static List<String> shown(List<String> reply) {
        List<String> out = new ArrayList<>();
        for (String l : reply) {
            if (l.startsWith("00 STATUS ")) {
                out.add(l.substring("00 STATUS ".length()));
            } else if (l.matches("00 AVAILABLE lac\\.\\d+\\.name=.*")) {
                out.add(l.substring(l.indexOf('=') + 1));
            } else if (!l.startsWith("00 AVAILABLE ")) {
                out.add(l);
            }
        }
        return out;
    }

    private <T> T await(CompletableFuture<T> f, String what) throws Exception {
        try {
            return f.get(timeout, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            throw new TimeoutException(what);
        } catch (java.util.concurrent.ExecutionException e) {
            throw e.getCause() instanceof Exception ex ? ex : e;
        }
    }

    private static void write(Path fifo, String text) {
        try {
            Files.writeString(fifo, text, StandardCharsets.UTF_8, StandardOpenOption.WRITE);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
