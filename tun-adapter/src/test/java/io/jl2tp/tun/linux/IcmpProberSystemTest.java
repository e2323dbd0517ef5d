package io.jl2tp.tun.linux;

import io.jl2tp.testkit.NetNs;
import io.jl2tp.testkit.RequiresRoot;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.net.InetAddress;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

/**
 * ICMP and ICMPv6 echo probes for real: a router namespace whose "primary" link leads to an ISP
 * namespace that answers on one address family, with the other target on the same link but
 * absent (no host answers ARP / neighbour solicitation for it).
 */
@RequiresRoot(commands = {"ip"})
class IcmpProberSystemTest {

    @ParameterizedTest(name = "v4 target {0}, v6 target {1}")
    @CsvSource({"198.51.100.10,2001:db8:9::99,true,false", "198.51.100.13,2001:db8:9::10,false,true",
                "198.51.100.10,2001:db8:9::10,true,true"})
    void eachTargetIsJudgedOnItsOwn(String v4, String v6, boolean v4Answers, boolean v6Answers) throws Exception {
        try (NetNs rtr = NetNs.create("prb"); NetNs isp = NetNs.create("pisp")) {
            NetNs.veth(rtr, "primary", "198.51.100.9/29", isp, "isp", "198.51.100.10/29");
            rtr.ip("-6", "addr", "add", "2001:db8:9::9/64", "dev", "primary", "nodad");
            isp.ip("-6", "addr", "add", "2001:db8:9::10/64", "dev", "isp", "nodad");
            // A second way out that the routing table prefers: the probe must still use "primary".
            NetNs.veth(rtr, "other", "203.0.113.1/24", isp, "other-isp", null);
            rtr.ip("route", "add", "198.51.100.10/32", "dev", "other");
            rtr.ip("-6", "route", "add", "2001:db8:9::10/128", "dev", "other");
            BlockingQueue<boolean[]> rounds = new LinkedBlockingQueue<>();
            IcmpProber prober = rtr.call(() -> IcmpProber.start("primary",
                    List.of(InetAddress.getByName(v4), InetAddress.getByName(v6)), Duration.ofMillis(700), rounds::add));
            try {
                assertNotNull(rounds.poll(20, TimeUnit.SECONDS), "a first round (neighbour resolution may spoil it)");
                for (int i = 0; i < 3; i++) {
                    boolean[] r = rounds.poll(20, TimeUnit.SECONDS);
                    assertNotNull(r, "round " + i);
                    assertEquals(Arrays.toString(new boolean[] {v4Answers, v6Answers}), Arrays.toString(r), "round " + i);
                }
            } finally {
                prober.close();
            }
        }
    }
}
