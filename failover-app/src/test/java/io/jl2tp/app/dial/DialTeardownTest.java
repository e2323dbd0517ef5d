package io.jl2tp.app.dial;

import io.jl2tp.app.lns.LnsServer;
import io.jl2tp.l2tp.tunnel.SessionConfig;
import io.jl2tp.l2tp.tunnel.TunnelConfig;
import io.jl2tp.ppp.options.PppSettings;
import io.jl2tp.app.config.PppdOptions;
import io.jl2tp.ppp.options.SecretsFile;
import io.jl2tp.testkit.NetNs;
import io.jl2tp.testkit.RequiresRoot;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * How a session ends, as under pppd (issue 12) and without blocking the event loop (issue 11
 * row 11): ip-down runs while the interface still exists (down); PEERNAME is the name the peer
 * authenticated with; the L2TP event loop answers while the session is being released; the
 * interface is gone once {@link Dialer#down()} completes.
 */
@RequiresRoot(commands = {"ip"})
class DialTeardownTest {

    private static final InetSocketAddress LNS = new InetSocketAddress("203.0.113.2", 1701);

    @TempDir
    Path ppp;

    private void script(String name, String body) throws Exception {
        Path p = ppp.resolve(name);
        Files.writeString(p, "#!/bin/sh\n" + body);
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwx------"));
    }

    /** Waits for a file a script writes, up to a generous deadline. */
    private static boolean appears(Path file) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!Files.exists(file) && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        return Files.exists(file);
    }

    @Test
    void ipDownSeesTheInterfaceDownPeernameIsTheAuthenticatedPeerAndTheLoopStaysFree() throws Exception {
        SecretsFile secrets = SecretsFile.parse("alice * s3cret\njl2tp-lns * lnssecret\n", "secrets", p -> {
            throw new IllegalStateException();
        });
        Path out = ppp.resolve("out");
        Files.createDirectory(out);
        script("ip-up", "echo \"$PEERNAME\" > " + out + "/peername\n");
        // ip-down records the interface as it finds it, then holds the teardown until released.
        script("ip-down", "ip -o link show \"$1\" > " + out + "/link 2>&1; echo $? > " + out + "/status; touch " + out
                + "/started\nwhile [ ! -e " + out + "/release ]; do sleep 0.05; done\n");
        try (NetNs lnsNs = NetNs.create("tlns"); NetNs lacNs = NetNs.create("tlac");
             HookRunner hooks = new HookRunner(ppp, Duration.ofSeconds(60))) {
            NetNs.veth(lacNs, "wan", "203.0.113.1/24", lnsNs, "wan", "203.0.113.2/24");
            LnsServer lns = new LnsServer(new LnsServer.Config(LNS, TunnelConfig.defaults("jl2tp-lns"),
                    PppSettings.builder().auth(a -> a.auth(true).requireChap(true)).build(), secrets,
                    (Inet4Address) InetAddress.getByName("198.51.100.1"), LnsServer.range("198.51.100.", 128, 130), List.of()),
                    e -> { });
            lnsNs.run(lns::start);
            // The LAC authenticates the LNS too (pppd 'auth' + 'require-chap'): PEERNAME is its name.
            Dialer dialer = new Dialer(new Dialer.Config("teardown", LNS, TunnelConfig.defaults("jl2tp-lac"),
                    SessionConfig.defaults(), PppdOptions.DEFAULTS.withPpp(b -> b.auth(a -> a.name("alice").auth(true).requireChap(true)))
                    .withApp(a -> a.ifname("l2tp-td")), secrets, "jl2tp-lac", hooks), e -> { });
            try {
                lacNs.run(dialer::start);
                dialer.ipUp().get(20, TimeUnit.SECONDS);
                assertTrue(appears(out.resolve("peername")), "ip-up ran");
                assertEquals("jl2tp-lns", Files.readString(out.resolve("peername")).strip(), "PEERNAME");

                CompletableFuture<Void> hangUp = CompletableFuture.runAsync(() -> dialer.hangUp("test over", 2000));
                assertTrue(appears(out.resolve("started")), "ip-down started");
                assertEquals("0", Files.readString(out.resolve("status")).strip(),
                        "the interface exists while ip-down runs: " + Files.readString(out.resolve("link")));
                assertFalse(Files.readString(out.resolve("link")).contains(",UP"), "and it is down: "
                        + Files.readString(out.resolve("link")));
                assertEquals("loop", dialer.onLoop(() -> "loop").get(5, TimeUnit.SECONDS),
                        "the L2TP event loop answers while the session is being released");
                assertFalse(dialer.down().isDone(), "down() waits for the release");

                Files.createFile(out.resolve("release"));
                hangUp.get(30, TimeUnit.SECONDS);
                assertTrue(dialer.down().isDone());
                assertTrue(lacNs.run(5, TimeUnit.SECONDS, "ip", "link", "show", "l2tp-td").status() != 0,
                        "the interface is gone once the session is released");
            } finally {
                if (!Files.exists(out.resolve("release"))) {
                    Files.createFile(out.resolve("release"));
                }
                dialer.hangUp("test over", 2000);
                lns.close();
            }
        }
    }
}
