package io.jl2tp.app.xl2tpd;

import io.jl2tp.app.lns.LnsServer;
import io.jl2tp.l2tp.tunnel.TunnelConfig;
import io.jl2tp.ppp.options.PppSettings;
import io.jl2tp.ppp.options.SecretsFile;
import io.jl2tp.testkit.Await;
import io.jl2tp.testkit.Capture;
import io.jl2tp.testkit.NetNs;
import io.jl2tp.testkit.RequiresRoot;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code jl2tp xl2tpd} against jl2tp's own LNS, which demands PAP, CHAP-MD5 or MS-CHAPv2, with
 * tunnel authentication (challenge = yes, secret from the auth file) and hidden AVPs on both
 * sides: dial through the FIFO, ping, hang up; tshark checks the capture with the secret.
 */
@RequiresRoot(commands = {"ip", "ping", "tcpdump", "tshark"})
class Xl2tpdAgainstOwnLnsTest {

    private static final String SECRET = "tunnelsecret";

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"pap", "chap", "mschapv2"})
    void dialsWithTunnelAuthAndHiddenAvps(String auth, @TempDir Path tmp) throws Exception {
        SecretsFile users = SecretsFile.parse("alice * s3cret\n", "users", p -> {
            throw new IllegalStateException();
        });
        PppSettings.Builder lnsPpp = PppSettings.builder().ipv6cp(v -> v.enabled(true)).auth(a -> {
            a.auth(true);
            switch (auth) {
                case "pap" -> a.requirePap(true);
                case "chap" -> a.requireChap(true);
                default -> a.requireMschapV2(true);
            }
        });
        try (NetNs lnsNs = NetNs.create("xlns"); NetNs lacNs = NetNs.create("xlac"); Xl2tpdProcess d = new Xl2tpdProcess(tmp)) {
            NetNs.veth(lacNs, "wan", "203.0.113.1/24", lnsNs, "wan", "203.0.113.2/24");
            LnsServer lns = new LnsServer(new LnsServer.Config(new InetSocketAddress("203.0.113.2", 1701),
                    TunnelConfig.defaults("jl2tp-lns").withSecret(SECRET.getBytes(StandardCharsets.US_ASCII), true)
                            .withHidden(true), lnsPpp.build(), users,
                    (Inet4Address) InetAddress.getByName("198.51.100.1"), LnsServer.range("198.51.100.", 128, 130),
                    List.of((Inet4Address) InetAddress.getByName("198.51.100.53"))), e -> { });
            lnsNs.run(lns::start);
            try {
                Path options = d.write("options", "name alice\nnoauth\n+ipv6\nipv6cp-use-ipaddr\nusepeerdns\nifname l2tp0\n",
                        "rw-r--r--");
                d.write("ppp/chap-secrets", "alice * s3cret\n", "rw-------");
                Path tunnelSecrets = d.write("l2tp-secrets", "# them us secret\n* * " + SECRET + "\n", "rw-------");
                Path conf = d.write("xl2tpd.conf", String.join("\n",
                        "[global]",
                        "auth file = " + tunnelSecrets,
                        "[lac own]",
                        "lns = 203.0.113.2",
                        "challenge = yes",
                        "hidden bit = yes",
                        "length bit = yes",
                        "redial = yes",
                        "redial timeout = 5",
                        "pppoptfile = " + options,
                        ""), "rw-r--r--");
                try (Capture capture = Capture.start(lacNs, "wan", tmp.resolve("own.pcap"), "udp port 1701")) {
                    d.start(lacNs, conf);
                    d.control("c own");
                    d.await(30, "IPCP up", () -> lacNs.run(5, TimeUnit.SECONDS, "ip", "addr", "show", "dev", "l2tp0")
                            .output().contains("198.51.100.128 peer 198.51.100.1/32"));
                    NetNs.Result ping = lacNs.run(20, TimeUnit.SECONDS, "ping", "-c", "3", "-W", "2", "198.51.100.1");
                    assertEquals(0, ping.status(), ping.output());
                    String log = d.log();
                    assertTrue(log.contains(switch (auth) {
                        case "pap" -> "PAP authentication succeeded";
                        // [lac] proxy auth is on by default and this LNS trusts the LAC (the
                        // tunnel is authenticated): the CHAP response rides in the ICCN and no
                        // Challenge comes (RFC 2661 §4.4.5, docs/ppp-auth.md).
                        case "chap" -> "CHAP: authenticated by proxy in the ICCN";
                        default -> "MS-CHAP-v2 authentication succeeded";
                    }), Xl2tpdProcess.tail(log));
                    // usepeerdns: pppd's resolv.conf, where pppd writes it.
                    d.await(10, "resolv.conf", () -> java.nio.file.Files.exists(d.pppDir.resolve("resolv.conf")));
                    assertEquals("nameserver 198.51.100.53\n", java.nio.file.Files.readString(d.pppDir.resolve("resolv.conf")));
                    assertTrue(!log.contains("s3cret") && !log.contains(SECRET), "no secret in the log");
                    d.control("d own");
                    d.await(15, "hang-up", () -> lacNs.run(5, TimeUnit.SECONDS, "ip", "link", "show", "l2tp0").status() != 0);
                    Await.until(Duration.ofSeconds(15), "the StopCCN and its acknowledgement in the capture",
                            () -> stopCcnAcknowledged(capture));
                    capture.close();
                    List<String> problems = capture.problems(SECRET);
                    assertTrue(problems.isEmpty(), String.join("\n", problems));
                    String summary = String.join("\n", capture.summary(SECRET));
                    assertTrue(summary.contains("SCCRQ") && summary.contains("StopCCN"), summary);
                }
                assertEquals(0, d.terminate(10), Xl2tpdProcess.tail(d.log()));
            } finally {
                lns.close();
            }
        }
    }

    /**
     * The capture so far (tcpdump writes each packet at once) holds a StopCCN and, after it, a ZLB
     * from its receiver: the acknowledgement (RFC 2661 §5.8). tshark may trip over a packet
     * half-written at the end of the file; that counts as "not yet".
     */
    private static boolean stopCcnAcknowledged(Capture capture) {
        List<String> lines;
        try {
            lines = capture.summary(SECRET);
        } catch (Exception e) {
            return false;
        }
        String stopReceiver = null;
        for (String line : lines) {
            String[] f = line.trim().split("\\s+");
            if (f.length < 5) {
                continue;
            }
            if (line.contains("StopCCN")) {
                stopReceiver = f[4];
            } else if (stopReceiver != null && line.contains("ZLB") && f[2].equals(stopReceiver)) {
                return true;
            }
        }
        return false;
    }
}
