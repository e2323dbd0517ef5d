package io.jl2tp.app.harness;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code jl2tp harness ctl}: one command to a running harness LNS or LAC through its control socket. */
@Command(name = "ctl", mixinStandardHelpOptions = true,
        description = {"Send one command to the --control socket of a running 'jl2tp harness lns' or 'lac' and print the reply.",
            "Commands: status; stopccn result R [error E] [\"msg\"]; cdn result R [error E] [disconnect CODE] [q931 CAUSE]"
                + " [\"msg\"]; lcp-terminate [\"msg\"]; send sli|wen|csurq|hello|unknown-mbit-avp.",
            "Prefix 'tunnel ID' or 'session ID' to act on one. Exit status 1 if the reply is an error."},
        footer = {"", "Example:", "  jl2tp harness ctl --control lns.ctl cdn result 3 disconnect 12 '\"admin reset\"'"})
public final class CtlHarnessCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--control", required = true, paramLabel = "PATH", description = "the control socket")
    Path control;

    @Parameters(arity = "1..*", paramLabel = "WORD", description = "the command")
    List<String> words = new ArrayList<>();

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        String reply;
        try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            ch.connect(UnixDomainSocketAddress.of(control));
            ch.write(ByteBuffer.wrap((String.join(" ", words) + "\n").getBytes(StandardCharsets.UTF_8)));
            ByteBuffer in = ByteBuffer.allocate(1 << 16);
            StringBuilder b = new StringBuilder();
            while (!b.toString().endsWith("\n\n") && ch.read(in) > 0) {
                in.flip();
                b.append(StandardCharsets.UTF_8.decode(in));
                in.clear();
            }
            reply = b.toString().strip();
        } catch (IOException e) {
            err.println("jl2tp harness ctl: " + control + ": " + (e.getMessage() == null ? e.toString() : e.getMessage()));
            err.flush();
            return 2;
        }
        out.println(reply);
        out.flush();
        return reply.startsWith("error:") ? 1 : 0;
    }
}
