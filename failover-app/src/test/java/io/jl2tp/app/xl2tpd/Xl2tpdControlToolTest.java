package io.jl2tp.app.xl2tpd;

import io.jl2tp.app.lns.LnsServer;
import io.jl2tp.l2tp.tunnel.TunnelConfig;
import io.jl2tp.ppp.options.PppSettings;
import io.jl2tp.ppp.options.SecretsFile;
import io.jl2tp.testkit.DebianPackage;
import io.jl2tp.testkit.NetNs;
import io.jl2tp.testkit.RequiresRoot;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 12 bug 2: Debian's real {@code xl2tpd-control} (from the xl2tpd .deb, unpacked, not
 * installed) drives {@code jl2tp xl2tpd}, a daemon process dialling jl2tp's own LNS across two
 * namespaces. The tool writes its command without a newline and reads the reply from
 * {@code /var/run/xl2tpd/xl2tpd-control-PID.out} for 1 s; its exit status is the reply's code
 * (0 = {@code 00 OK}, 1 = {@code 01 …}, 253 = no reply), and {@code -d} prints the reply.
 */
@RequiresRoot(commands = {"ip", "ping"})
class Xl2tpdControlToolTest {

    private record Tool(int status, String output) {
    }

    private static Tool tool(Path binary, Path fifo, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(binary.toString(), "-d", "-c", fifo.toString()));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes());
        assertTrue(p.waitFor(30, TimeUnit.SECONDS), "xl2tpd-control did not exit");
        return new Tool(p.exitValue(), out);
    }

    @Test
    void debiansXl2tpdControlConnectsReportsAndDisconnects(@TempDir Path tmp) throws Exception {
        Path xl2tpdControl = DebianPackage.file("xl2tpd", "usr/sbin/xl2tpd-control");
        // The tool's reply FIFO lives in /var/run/xl2tpd (compiled in): make the directory if
        // this machine has none (nothing of xl2tpd is installed), and remove only what we made.
        Path runDir = Path.of("/var/run/xl2tpd");
        boolean madeRunDir = !Files.isDirectory(runDir);
        if (madeRunDir) {
            Files.createDirectories(runDir);
        }
        SecretsFile users = SecretsFile.parse("alice * s3cret\n", "users", p -> {
            throw new IllegalStateException();
        });
        try (NetNs lnsNs = NetNs.create("xclns"); NetNs lacNs = NetNs.create("xclac"); Xl2tpdProcess d = new Xl2tpdProcess(tmp)) {
            NetNs.veth(lacNs, "wan", "203.0.113.1/24", lnsNs, "wan", "203.0.113.2/24");
            LnsServer lns = new LnsServer(new LnsServer.Config(new InetSocketAddress("203.0.113.2", 1701),
                    TunnelConfig.defaults("jl2tp-lns"), PppSettings.builder().auth(a -> a.auth(true).requirePap(true)).build(), users,
                    (Inet4Address) InetAddress.getByName("198.51.100.1"), LnsServer.range("198.51.100.", 128, 130),
                    List.of()), e -> { });
            lnsNs.run(lns::start);
            try {
                Path options = d.write("options", "name alice\nnoauth\nifname l2tp0\n", "rw-r--r--");
                d.write("ppp/pap-secrets", "alice * s3cret\n", "rw-------");
                Path conf = d.write("xl2tpd.conf", String.join("\n",
                        "[global]",
                        "auth file = " + d.write("l2tp-secrets", "", "rw-------"),
                        "[lac own]",
                        "lns = 203.0.113.2",
                        "pppoptfile = " + options,
                        ""), "rw-r--r--");
                d.start(lacNs, conf);

                Tool available = tool(xl2tpdControl, d.control, "available");
                assertEquals(0, available.status(), available.output() + Xl2tpdProcess.tail(d.log()));
                assertTrue(available.output().contains("00 AVAILABLE lac.0.name=own"), available.output());

                Tool connect = tool(xl2tpdControl, d.control, "connect-lac", "own");
                assertEquals(0, connect.status(), connect.output() + Xl2tpdProcess.tail(d.log()));
                d.await(30, "IPCP up", () -> lacNs.run(5, TimeUnit.SECONDS, "ip", "addr", "show", "dev", "l2tp0")
                        .output().contains("198.51.100.128 peer 198.51.100.1/32"));
                NetNs.Result ping = lacNs.run(20, TimeUnit.SECONDS, "ping", "-c", "1", "-W", "5", "198.51.100.1");
                assertEquals(0, ping.status(), ping.output());

                Tool status = tool(xl2tpdControl, d.control, "status-lac", "own");
                assertEquals(0, status.status(), status.output());
                assertTrue(status.output().contains("00 OK") && status.output().contains("00 STATUS state: up"),
                        status.output());

                Tool again = tool(xl2tpdControl, d.control, "connect-lac", "own");
                assertEquals(1, again.status(), "already active is an error reply: " + again.output());
                Tool nope = tool(xl2tpdControl, d.control, "connect-lac", "nope");
                assertEquals(1, nope.status(), nope.output());

                Tool disconnect = tool(xl2tpdControl, d.control, "disconnect-lac", "own");
                assertEquals(0, disconnect.status(), disconnect.output() + Xl2tpdProcess.tail(d.log()));
                d.await(15, "hang-up", () -> lacNs.run(5, TimeUnit.SECONDS, "ip", "link", "show", "l2tp0").status() != 0);
                Tool after = tool(xl2tpdControl, d.control, "status-lac", "own");
                assertEquals(0, after.status(), after.output());
                assertTrue(!after.output().contains("state: up"), after.output());
                assertEquals(0, d.terminate(10), Xl2tpdProcess.tail(d.log()));
            } finally {
                lns.close();
            }
        } finally {
            if (madeRunDir) {
                try (var left = Files.list(runDir)) {
                    if (left.findAny().isEmpty()) {
                        Files.delete(runDir);
                    }
                }
            }
        }
    }
}
