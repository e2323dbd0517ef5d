package io.jl2tp.app.dial;

import io.jl2tp.app.lns.LnsServer;
import io.jl2tp.l2tp.tunnel.SessionConfig;
import io.jl2tp.l2tp.tunnel.TunnelConfig;
import io.jl2tp.app.config.PppdAppOptions;
import io.jl2tp.app.config.PppdOptions;
import io.jl2tp.ppp.options.PppSettings;
import io.jl2tp.ppp.options.SecretsFile;
import io.jl2tp.testkit.Capture;
import io.jl2tp.testkit.NetNs;
import io.jl2tp.testkit.RequiresRoot;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The tunnel's MTU and TCP MSS clamping, end to end: the dialer against jl2tp's LNS over a
 * 1500-octet veth (IPv4 or IPv6 transport), with captures outside (the L2TP datagrams) and
 * inside (the TCP handshake on each end's tunnel interface).
 *
 * <ul>
 *   <li>the interface MTU is the path's minus L2TP + PPP + UDP + IP (1456 / 1436), and a
 *       full-size packet through the tunnel leaves in one datagram of at most 1500 octets;</li>
 *   <li>a host that advertises MSS 1460 (a LAN PC behind the router; here a route's advmss) and a
 *       server behind the LNS whose own MTU is 1500 both get MTU − 40 in the other's SYN, so bulk
 *       TCP both ways is never fragmented outside; with clamping off the same transfer is.</li>
 * </ul>
 */
@RequiresRoot(commands = {"ip", "ping", "tcpdump", "tshark", "python3"})
class DialMtuAndMssSystemTest {

    private static final String TUN = "l2tp-aaisp";
    private static final String SERVER = "198.51.100.2";

    /** Accepts one connection on SERVER:5001, reads to EOF, sends 200000 octets back. */
    private static final String SERVER_PY = String.join("\n",
            "import socket",
            "s = socket.socket()",
            "s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)",
            "s.bind(('" + SERVER + "', 5001))",
            "s.listen(1)",
            "print('listening', flush=True)",
            "c, _ = s.accept()",
            "n = 0",
            "while True:",
            "    d = c.recv(65536)",
            "    if not d: break",
            "    n += len(d)",
            "c.sendall(b'y' * 200000)",
            "c.close()",
            "print('got', n, flush=True)");

    /** Sends 200000 octets, half-closes, reads the answer to EOF. */
    private static final String CLIENT_PY = String.join("\n",
            "import socket",
            "c = socket.create_connection(('" + SERVER + "', 5001), timeout=20)",
            "c.sendall(b'x' * 200000)",
            "c.shutdown(socket.SHUT_WR)",
            "n = 0",
            "while True:",
            "    d = c.recv(65536)",
            "    if not d: break",
            "    n += len(d)",
            "print('got', n)");

    @ParameterizedTest(name = "{0} transport, MSS clamping {1}")
    @CsvSource({"ipv4,true", "ipv6,true", "ipv4,false"})
    void fullSizePacketsCrossA1500OctetPathInOnePiece(String transport, boolean clamp, @TempDir Path tmp) throws Exception {
        boolean v6 = transport.equals("ipv6");
        String lnsAddr = v6 ? "2001:db8:5::2" : "203.0.113.2";
        int expectedMtu = 1500 - (v6 ? 40 : 20) - 8 - 12 - 4;
        SecretsFile users = SecretsFile.parse("alice * s3cret\n", "users", p -> {
            throw new IllegalStateException();
        });
        if (!clamp) {
            System.setProperty(KernelLink.MSS_CLAMP_PROPERTY, "false");
        }
        // Datagrams one by one: a capture on the sending veth sees a UDP_SEGMENT run before it is
        // cut (design note 11), and this test measures each datagram on the wire.
        System.setProperty("jl2tp.udp.gso.off", "true");
        try (NetNs lnsNs = NetNs.create("mlns"); NetNs lacNs = NetNs.create("mlac")) {
            NetNs.veth(lacNs, "wan", "203.0.113.1/24", lnsNs, "wan", "203.0.113.2/24");
            lacNs.ip("-6", "addr", "add", "2001:db8:5::1/64", "dev", "wan", "nodad");
            lnsNs.ip("-6", "addr", "add", "2001:db8:5::2/64", "dev", "wan", "nodad");
            lacNs.ip("link", "set", "wan", "mtu", "1500");
            lnsNs.ip("link", "set", "wan", "mtu", "1500");
            lnsNs.ip("addr", "add", SERVER + "/32", "dev", "lo");
            LnsServer lns = new LnsServer(new LnsServer.Config(new InetSocketAddress(lnsAddr, 1701),
                    TunnelConfig.defaults("jl2tp-lns"), PppSettings.builder().auth(a -> a.auth(true).requireChap(true)).build(), users,
                    (Inet4Address) InetAddress.getByName("198.51.100.1"), LnsServer.range("198.51.100.", 128, 130),
                    List.of()), e -> { });
            lnsNs.run(lns::start);
            PppdOptions lacPpp = new PppdOptions(PppSettings.builder().auth(a -> a.name("alice")).build(),
                    PppdAppOptions.builder().ifname(TUN).build(), List.of());
            Dialer dialer = new Dialer(new Dialer.Config("test", new InetSocketAddress(lnsAddr, 1701),
                    TunnelConfig.defaults("jl2tp-lac"), SessionConfig.defaults(), lacPpp, users, "jl2tp-lac", null), e -> { });
            Process server = null;
            try {
                lacNs.run(dialer::start);
                dialer.ipUp().get(20, TimeUnit.SECONDS);
                String link = lacNs.exec("ip", "-o", "link", "show", "dev", TUN);
                assertTrue(link.contains(" mtu " + expectedMtu + " "), link);

                try (Capture outer = Capture.start(lacNs, "wan", tmp.resolve("outer.pcap"), "udp port 1701 or ip[6:2] & 0x3fff != 0 or ip6[6] == 44");
                     Capture lacSide = Capture.start(lacNs, TUN, tmp.resolve("lac.pcap"), "tcp port 5001");
                     Capture lnsSide = Capture.start(lnsNs, "any", tmp.resolve("lns.pcap"), "tcp port 5001")) {
                    NetNs.Result fits = lacNs.run(20, TimeUnit.SECONDS, "ping", "-M", "do", "-c", "2", "-W", "3", "-s",
                            Integer.toString(expectedMtu - 28), "198.51.100.1");
                    assertEquals(0, fits.status(), fits.output());
                    NetNs.Result tooBig = lacNs.run(20, TimeUnit.SECONDS, "ping", "-M", "do", "-c", "1", "-W", "3", "-s",
                            Integer.toString(expectedMtu - 27), "198.51.100.1");
                    assertNotEquals(0, tooBig.status(), tooBig.output());
                    assertTrue(tooBig.output().contains("mtu=" + expectedMtu), tooBig.output());

                    // A PC behind the router would advertise 1460: a route's advmss does the same here.
                    lacNs.ip("route", "add", SERVER + "/32", "dev", TUN, "advmss", "1460");
                    server = lnsNs.start("python3", "-c", SERVER_PY);
                    String first = new String(server.getInputStream().readNBytes("listening\n".length()));
                    assertEquals("listening\n", first);
                    NetNs.Result client = lacNs.run(60, TimeUnit.SECONDS, "python3", "-c", CLIENT_PY);
                    assertEquals(0, client.status(), client.output());
                    assertTrue(client.output().contains("got 200000"), client.output());
                    assertTrue(server.waitFor(20, TimeUnit.SECONDS));
                    outer.close();
                    lacSide.close();
                    lnsSide.close();

                    int mss = clamp ? expectedMtu - 40 : 1460;
                    // The client's SYN as the server receives it, the server's SYN-ACK as the client does.
                    assertEquals(List.of(SERVER + "\t" + mss), synMss(lnsSide.file(), "198.51.100.128"), "SYN at the LNS");
                    assertEquals(List.of("198.51.100.128\t" + mss), synMss(lacSide.file(), SERVER), "SYN-ACK at the LAC");

                    List<String> fragments = tshark(outer.file(), "ip.flags.mf == 1 || ip.frag_offset > 0 || ipv6.fragment",
                            "frame.len");
                    if (clamp) {
                        assertEquals(List.of(), fragments, "no outer datagram is fragmented");
                        int largest = tshark(outer.file(), "udp", "frame.len").stream().mapToInt(Integer::parseInt).max().orElse(0);
                        assertTrue(largest - 14 <= 1500 && largest - 14 >= 1490, "largest outer IP packet " + (largest - 14));
                    } else {
                        assertFalse(fragments.isEmpty(), "without clamping the server's 1460-octet segments do not fit");
                    }
                }
            } finally {
                if (server != null) {
                    server.destroyForcibly();
                }
                dialer.hangUp("test finished", 2000);
                lns.close();
            }
        } finally {
            System.clearProperty(KernelLink.MSS_CLAMP_PROPERTY);
            System.clearProperty("jl2tp.udp.gso.off");
        }
    }

    /** "dst \t mss" of each SYN from {@code src} in a capture. */
    private static List<String> synMss(Path pcap, String src) {
        List<String> out = new ArrayList<>();
        for (String l : tshark(pcap, "tcp.flags.syn == 1 && ip.src == " + src, "ip.dst", "tcp.options.mss_val")) {
            out.add(l);
        }
        return out;
    }

    private static List<String> tshark(Path pcap, String filter, String... fields) {
        List<String> cmd = new ArrayList<>(List.of("tshark", "-n", "-r", pcap.toString(), "-Y", filter, "-T", "fields",
                "-E", "occurrence=f"));
        for (String f : fields) {
            cmd.add("-e");
            cmd.add(f);
        }
        NetNs.Result r = NetNs.hostRun(120, TimeUnit.SECONDS, cmd.toArray(String[]::new));
        assertEquals(0, r.status(), r.output());
        List<String> lines = new ArrayList<>();
        for (String l : r.output().split("\n")) {
            if (!l.isBlank() && !l.startsWith("Running as user")) {
                lines.add(l.strip());
            }
        }
        return lines;
    }
}
