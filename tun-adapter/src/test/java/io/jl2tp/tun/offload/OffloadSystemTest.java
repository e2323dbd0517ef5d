package io.jl2tp.tun.offload;

import io.jl2tp.testkit.NetNs;
import io.jl2tp.testkit.RequiresRoot;
import io.jl2tp.tun.linux.LinuxTunDevice;
import io.jl2tp.tun.netlink.RtNetlink;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import org.junit.jupiter.api.Test;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** What the kernel makes of a coalesced UDP write (USO) to a real TUN. */
@RequiresRoot(commands = {"ip"})
class OffloadSystemTest {

    @Test
    void aCoalescedUdpWriteArrivesAsTheSameDatagramsAtASocket() throws Exception {
        try (NetNs ns = NetNs.create("uso");
             LinuxTunDevice tun = ns.call(() -> LinuxTunDevice.open("jtu", false, true));
             RtNetlink nl = ns.call(RtNetlink::open)) {
            // USO needs Linux 6.2; an older kernel leaves UDP to one write per datagram (Gro's
            // udp flag off), which the unit tests cover.
            assumeTrue(tun.udpSegmentation(), "this kernel has no USO on TUN (Linux < 6.2)");
            int idx = nl.linkIndex("jtu");
            nl.addAddress(idx, InetAddress.getByName("198.51.100.128"), 32, InetAddress.getByName("198.51.100.1"));
            nl.setLinkUp(idx, true);
            DatagramSocket socket = ns.call(() -> new DatagramSocket(new InetSocketAddress("198.51.100.128", 5201)));
            socket.setSoTimeout(5000);
            Random r = new Random(12);
            List<byte[]> payloads = new ArrayList<>();
            Gro gro = new Gro(PooledByteBufAllocator.DEFAULT, true);
            for (int i = 0; i < 7; i++) {
                byte[] payload = OffloadTest.random(r, i < 6 ? 1200 : 77);
                payloads.add(payload);
                byte[] d = OffloadTest.udp(false, 40 + i, payload, false);
                ByteBuf b = PooledByteBufAllocator.DEFAULT.directBuffer(16 + d.length);
                b.writerIndex(16).readerIndex(16).writeBytes(d);
                gro.write(b, tun::write);
                b.release();
            }
            int[] writes = {0};
            gro.flush(buf -> {
                writes[0]++;
                tun.write(buf);
            });
            assertEquals(1, writes[0], "one write");
            assertEquals(7, gro.merged());
            for (int i = 0; i < 7; i++) {
                DatagramPacket p = new DatagramPacket(new byte[2000], 2000);
                socket.receive(p);
                assertArrayEquals(payloads.get(i), Arrays.copyOf(p.getData(), p.getLength()), "datagram " + i);
                assertEquals(40001, p.getPort());
            }
            socket.close();
            gro.close();
        }
    }
}
