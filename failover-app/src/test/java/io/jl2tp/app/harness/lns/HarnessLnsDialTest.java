package io.jl2tp.app.harness.lns;

import io.jl2tp.testkit.NetNs;
import io.jl2tp.testkit.RequiresRoot;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code jl2tp dial} against {@code jl2tp harness lns}, both as processes in their own network
 * namespaces: the kernel's ping through the dialer's interface is answered by the harness's
 * user-space terminator, the control socket reports the call, and the scripted StopCCN with
 * result 6 and its message shows up in the dialer's log.
 */
@RequiresRoot(commands = {"ip", "ping"})
@Timeout(180)
class HarnessLnsDialTest {

    @Test
    void dialerSeesTheScriptedStopCcnAndItsPingsAreAnsweredInUserSpace(@TempDir Path dir) throws Exception {
        Path password = dir.resolve("password");
        Files.writeString(password, "s3cret\n");
        Files.setPosixFilePermissions(password, PosixFilePermissions.fromString("rw-------"));
        Path control = dir.resolve("lns.ctl");
        Path lnsLog = dir.resolve("lns.log");
        Path dialLog = dir.resolve("dial.log");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String cp = System.getProperty("java.class.path");
        Process lns = null;
        Process dial = null;
        try (NetNs lnsNs = NetNs.create("hlns"); NetNs lacNs = NetNs.create("hlac")) {
            NetNs.veth(lacNs, "wan", "203.0.113.1/24", lnsNs, "wan", "203.0.113.2/24");
            lns = new ProcessBuilder("ip", "netns", "exec", lnsNs.name(), java, "-cp", cp, "io.jl2tp.app.cli.Main", "harness",
                    "lns", "--listen", "203.0.113.2:1701", "--user", "alice:s3cret", "--control", control.toString(),
                    "--misbehave", "after 12s stopccn result 6 error 0 \"harness maintenance\"", "--duration", "120s")
                    .redirectErrorStream(true).redirectOutput(lnsLog.toFile()).start();
            lns.getOutputStream().close();
            await(60, "the harness LNS to listen", () -> read(lnsLog).contains("harness lns: listening on 203.0.113.2:1701"));
            dial = new ProcessBuilder("ip", "netns", "exec", lacNs.name(), java, "-cp", cp, "io.jl2tp.app.cli.Main", "dial",
                    "--lns", "203.0.113.2", "--user", "alice", "--password-file", password.toString(), "--ifname", "l2tp-h3",
                    "--no-redial").redirectErrorStream(true).redirectOutput(dialLog.toFile()).start();
            dial.getOutputStream().close();
            await(60, "the dialer's interface", () -> lacNs.run(5, TimeUnit.SECONDS, "ip", "-4", "addr", "show", "dev", "l2tp-h3")
                    .output().contains("100.64.0.2 peer 100.64.0.1"));
            NetNs.Result ping = lacNs.run(20, TimeUnit.SECONDS, "ping", "-c", "3", "-W", "2", "100.64.0.1");
            assertEquals(0, ping.status(), ping.output());
            String status = command(control, "status");
            assertTrue(status.startsWith("tunnels 1/1 sessions 1/1 echo-answered 3"), status);
            assertTrue(status.contains("user alice") && status.contains("ipv4 100.64.0.1->100.64.0.2"), status);
            await(60, "the dialer to log the StopCCN", () -> read(dialLog).contains("result 6"));
            String log = read(dialLog);
            assertTrue(log.contains("closed by peer: result 6 (requester is being shut down): harness maintenance"), log);
            assertTrue(dial.waitFor(30, TimeUnit.SECONDS), "the dialer exits without --redial");
        } finally {
            for (Process p : new Process[] {dial, lns}) {
                if (p != null) {
                    p.destroy();
                    if (!p.waitFor(10, TimeUnit.SECONDS)) {
                        p.destroyForcibly();
                    }
                }
            }
        }
    }

    /** One command through the control socket; the reply up to its empty line. */
    static String command(Path socket, String line) throws IOException {
        try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            ch.connect(UnixDomainSocketAddress.of(socket));
            ch.write(ByteBuffer.wrap((line + "\n").getBytes(StandardCharsets.UTF_8)));
            ByteBuffer in = ByteBuffer.allocate(1 << 16);
            StringBuilder out = new StringBuilder();
            while (!out.toString().endsWith("\n\n") && ch.read(in) > 0) {
                in.flip();
                out.append(StandardCharsets.UTF_8.decode(in));
                in.clear();
            }
            return out.toString().strip();
        }
    }

    static String read(Path p) {
        try {
            return Files.exists(p) ? Files.readString(p) : "";
        } catch (IOException e) {
            return "";
        }
    }

    static void await(int seconds, String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + seconds + " s waiting for " + what);
            }
            Thread.sleep(100);
        }
    }
}
