package io.jl2tp.app.harness;

import io.jl2tp.testkit.RequiresRoot;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The libpcap output, byte for byte and through tshark, the independent decoder. */
class PcapWriterTest {

    /**
     * A minimal SCCRQ (RFC 2661 §6.1): T, L, S set, version 2, tunnel 0, Ns 0 Nr 0, and the
     * mandatory Message Type, Protocol Version, Framing Capabilities, Host Name and Assigned
     * Tunnel ID AVPs.
     */
    static final byte[] SCCRQ = HexFormat.of().parseHex(
            "c802" + "0039" + "0000" + "0000" + "0000" + "0000"
                    + "8008" + "0000" + "0000" + "0001"          // Message Type = 1 (SCCRQ)
                    + "8008" + "0000" + "0002" + "0100"          // Protocol Version 1.0
                    + "800a" + "0000" + "0003" + "00000003"      // Framing Capabilities: sync + async
                    + "800b" + "0000" + "0007" + "6a6c327470"    // Host Name "jl2tp"
                    + "8008" + "0000" + "0009" + "1234");        // Assigned Tunnel ID 0x1234

    @Test
    void fileAndRecordHeadersAreClassicLibpcapWithRawIp() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (PcapWriter w = PcapWriter.to(bytes)) {
            w.udp(1_700_000_000_123_456L, new InetSocketAddress("203.0.113.1", 40000), new InetSocketAddress("203.0.113.2", 1701),
                    ByteBuffer.wrap(SCCRQ));
        }
        ByteBuffer b = ByteBuffer.wrap(bytes.toByteArray()).order(ByteOrder.LITTLE_ENDIAN);
        assertEquals(0xa1b2c3d4, b.getInt());
        assertEquals(2, b.getShort());
        assertEquals(4, b.getShort());
        b.getInt();
        b.getInt();
        assertEquals(65535, b.getInt());
        assertEquals(PcapWriter.LINKTYPE_RAW, b.getInt());
        assertEquals(1_700_000_000, b.getInt());
        assertEquals(123_456, b.getInt());
        int total = 20 + 8 + SCCRQ.length;
        assertEquals(total, b.getInt());
        assertEquals(total, b.getInt());
        b.order(ByteOrder.BIG_ENDIAN);
        assertEquals(0x45, b.get() & 0xff);
        b.get();
        assertEquals(total, b.getShort() & 0xffff);
        // The IPv4 header sums to 0xffff with its checksum (RFC 791).
        byte[] ip = new byte[20];
        System.arraycopy(bytes.toByteArray(), 24 + 16, ip, 0, 20);
        long sum = 0;
        for (int i = 0; i < 20; i += 2) {
            sum += ((ip[i] & 0xff) << 8) | (ip[i + 1] & 0xff);
        }
        while (sum >> 16 != 0) {
            sum = (sum & 0xffff) + (sum >> 16);
        }
        assertEquals(0xffff, sum);
        assertEquals(24 + 16 + total, bytes.size());
    }

    @Test
    @RequiresRoot(commands = "tshark")
    void tsharkDecodesL2tpOverIpv4AndIpv6WithValidChecksums(@TempDir Path tmp) throws Exception {
        Path file = tmp.resolve("l2tp.pcap");
        byte[] zlb = HexFormat.of().parseHex("c802000c12340000" + "00010001");
        try (PcapWriter w = PcapWriter.create(file)) {
            long t = System.currentTimeMillis() * 1000;
            w.udp(t, new InetSocketAddress("203.0.113.1", 40000), new InetSocketAddress("203.0.113.2", 1701),
                    ByteBuffer.wrap(SCCRQ));
            w.udp(t + 10, new InetSocketAddress("203.0.113.2", 1701), new InetSocketAddress("203.0.113.1", 40000),
                    ByteBuffer.wrap(zlb));
            w.udp(t + 20, new InetSocketAddress(InetAddress.getByName("2001:db8::1"), 40001),
                    new InetSocketAddress(InetAddress.getByName("2001:db8::2"), 1701), ByteBuffer.wrap(SCCRQ));
            w.udp(t + 30, new InetSocketAddress("203.0.113.1", 40002), new InetSocketAddress("203.0.113.2", 40003),
                    ByteBuffer.wrap(new byte[] {1, 2, 3})); // odd length: the checksum's padding
        }
        List<String> summary = tshark(file, "-T", "fields", "-e", "ip.src", "-e", "ipv6.src", "-e", "udp.dstport",
                "-e", "l2tp.avp.message_type", "-e", "l2tp.avp.host_name");
        assertEquals(4, summary.size(), String.join("\n", summary));
        assertTrue(summary.get(0).startsWith("203.0.113.1\t\t1701\t1\tjl2tp"), summary.get(0));
        assertTrue(summary.get(1).startsWith("203.0.113.2\t\t40000"), summary.get(1));
        assertTrue(summary.get(2).startsWith("\t2001:db8::1\t1701\t1\tjl2tp"), summary.get(2));
        List<String> bad = tshark(file, "-o", "ip.check_checksum:TRUE", "-o", "udp.check_checksum:TRUE",
                "-Y", "_ws.malformed || ip.checksum.status == \"Bad\" || udp.checksum.status == \"Bad\"");
        assertTrue(bad.isEmpty(), String.join("\n", bad));
        List<String> good = tshark(file, "-o", "udp.check_checksum:TRUE", "-Y", "udp.checksum.status == \"Good\"");
        assertEquals(4, good.size(), "every UDP checksum verifies: " + String.join("\n", good));
    }

    static List<String> tshark(Path file, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("tshark", "-n", "-r", file.toString()));
        cmd.addAll(List.of(args));
        Path out = Files.createTempFile("jl2tp-tshark-", ".txt");
        try {
            Process p = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(ProcessBuilder.Redirect.DISCARD).start();
            assertTrue(p.waitFor(120, TimeUnit.SECONDS), "tshark finished");
            assertEquals(0, p.exitValue(), "tshark " + cmd);
            return Files.readString(out, StandardCharsets.UTF_8).lines().filter(l -> !l.isBlank()).toList();
        } finally {
            Files.deleteIfExists(out);
        }
    }
}
