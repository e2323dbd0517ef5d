package io.jl2tp.app.harness;

import io.jl2tp.app.harness.lac.HarnessLac;
import io.jl2tp.app.harness.lac.HarnessLacConfig;
import io.jl2tp.app.harness.lac.LacReport;
import io.jl2tp.app.harness.lns.HarnessLns;
import io.jl2tp.app.harness.lns.HarnessLnsConfig;
import io.jl2tp.app.harness.scenario.ScenarioParser;
import io.jl2tp.testkit.RequiresRoot;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The pcap files of a harness LNS and a harness LAC, read back by tshark: the whole exchange
 * decodes as L2TP (SCCRQ to CDN), the CDN carries RFC 3145's disconnect code, the echoes are
 * there inside PPP, and nothing is malformed.
 */
@Timeout(90)
class HarnessPcapTest {

    @Test
    @RequiresRoot(commands = "tshark")
    void bothSidesPcapsDecodeInTshark(@TempDir Path dir) throws Exception {
        Path lnsPcap = dir.resolve("lns.pcap");
        Path lacPcap = dir.resolve("lac.pcap");
        int port;
        try (HarnessLns lns = HarnessLns.start(new HarnessLnsConfig().user("alice", "s3cret").pcap(lnsPcap)
                .scenario(ScenarioParser.parse("after 2s cdn result 3 error 0 disconnect 12 \"bye\"", "test")))) {
            port = lns.port();
            try (HarnessLac lac = HarnessLac.start(new HarnessLacConfig().pcap(lacPcap)
                    .lns(new InetSocketAddress(InetAddress.getLoopbackAddress(), port)).sessionsPerTunnel(2)
                    .user("alice", "s3cret").pings(1))) {
                HarnessLac.Result r = lac.awaitSettled(Duration.ofSeconds(30));
                assertEquals(2, r.reachedUp(), LacReport.text(r, true));
                long deadline = System.nanoTime() + 20_000_000_000L;
                while (lac.result().endedAfterUp().values().stream().mapToInt(Integer::intValue).sum() < 2 && System.nanoTime() < deadline) {
                    Thread.sleep(50);
                }
            }
        }
        String decodeAs = "udp.port==" + port + ",l2tp";
        for (Path file : List.of(lnsPcap, lacPcap)) {
            List<String> types = PcapWriterTest.tshark(file, "-d", decodeAs, "-Y", "l2tp.avp.message_type", "-T", "fields",
                    "-e", "l2tp.avp.message_type");
            for (String t : List.of("1", "2", "3", "10", "11", "12", "14", "4")) {
                assertTrue(types.contains(t), file.getFileName() + ": message type " + t + " in " + types);
            }
            List<String> disconnect = PcapWriterTest.tshark(file, "-d", decodeAs, "-Y", "l2tp.avp.disconnect_code", "-T",
                    "fields", "-e", "l2tp.avp.disconnect_code");
            assertEquals(List.of("12", "12"), disconnect, file.getFileName() + ": the CDNs' PPP Disconnect Cause Code");
            List<String> echo = PcapWriterTest.tshark(file, "-d", decodeAs, "-Y", "icmp.type == 8 || icmp.type == 0", "-T",
                    "fields", "-e", "icmp.type");
            assertEquals(List.of("0", "0", "8", "8"), echo.stream().sorted().toList(), file.getFileName() + ": the echoes");
            List<String> bad = PcapWriterTest.tshark(file, "-d", decodeAs, "-Y", "_ws.malformed || _ws.expert.severity == error");
            assertTrue(bad.isEmpty(), file.getFileName() + ": " + String.join("\n", bad));
        }
    }
}
