package io.jl2tp.ppp;

import io.jl2tp.ppp.fsm.State;
import io.jl2tp.ppp.options.PppSettings;
import io.jl2tp.testkit.VirtualScheduler;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * l2tpns's real LCP Configure-Request (captured in l2tp-core's l2tpns-plain.hex): MRU 1462, Auth
 * CHAP/MD5, Magic, MRRU (17) and Endpoint Discriminator (19). We must Configure-Reject 17 and 19
 * together and come up when it asks again without them.
 */
class L2tpnsLcpReplayTest {

    // ConfReq id=1: <mru 1462> <auth chap MD5> <magic 0x...> <mrru 1614> <endpoint ...>
    private static final String L2TPNS_CONFREQ = "ff03c0210101001e" + "010405b6" + "0305c22305" + "05066b065cd1"
            + "1104064e" + "130702c6336401";

    @Test
    void rejectsMrruAndEndpointDiscriminatorThenComesUp() throws Exception {
        VirtualScheduler clock = new VirtualScheduler();
        List<String> sent = new ArrayList<>();
        List<PppEvent> events = new ArrayList<>();
        PppLink link = new PppLink(PppSettings.builder().auth(a -> a.name("alice")).build(),
                new PppLink.Settings("lac", io.jl2tp.ppp.auth.SecretProvider.fixed(io.jl2tp.ppp.auth.Secret.of("s3cret")),
                        io.jl2tp.ppp.auth.SecretProvider.none(), null, ""),
                clock, f -> {
                    sent.add(ByteBufUtil.hexDump(f));
                    f.release();
                }, events::add, io.netty.buffer.UnpooledByteBufAllocator.DEFAULT, new Random(3));
        clock.execute(link::start);
        clock.runPending();
        link.input(frame(L2TPNS_CONFREQ));
        String rej = sent.stream().filter(s -> s.startsWith("ff03c02104")).findFirst().orElseThrow();
        assertEquals("ff03c02104" + "01" + "000f" + "1104064e" + "130702c6336401", rej,
                "Configure-Reject carries exactly MRRU and Endpoint Discriminator, in order");
        // l2tpns asks again without them: Ack
        String opts2 = "010405b6" + "0305c22305" + "05066b065cd1";
        link.input(frame("ff03c021" + "01" + "02" + String.format("%04x", 4 + opts2.length() / 2) + opts2));
        assertTrue(sent.stream().anyMatch(s -> s.equals("ff03c02102020013" + opts2)), sent.toString());
        // and acks our request
        String ourReq = sent.stream().filter(s -> s.startsWith("ff03c02101")).reduce((a, b) -> b).orElseThrow();
        link.input(frame("ff03c02102" + ourReq.substring(10)));
        clock.advance(10, TimeUnit.MILLISECONDS);
        assertEquals(State.OPENED, link.lcp().state());
        assertEquals(1462, link.peerMru());
        assertEquals(PppEvent.Phase.AUTHENTICATE, link.phase(), "CHAP next, as l2tpns demanded");
    }

    private static ByteBuf frame(String hex) {
        return Unpooled.wrappedBuffer(HexFormat.of().parseHex(hex));
    }
}
