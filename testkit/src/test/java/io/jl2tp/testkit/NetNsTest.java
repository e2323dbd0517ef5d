package io.jl2tp.testkit;

import org.junit.jupiter.api.Test;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class NetNsTest {

    @Test
    void socketsOpenedInsideCallLiveInTheNamespace() throws Exception {
        assumeTrue(NetNs.isRoot() || !"true".equals(System.getenv("CI")), "needs root");
        if (!NetNs.isRoot()) {
            throw new org.opentest4j.TestAbortedException("needs root (skipped outside CI)");
        }
        try (NetNs a = NetNs.create("t-a"); NetNs b = NetNs.create("t-b")) {
            NetNs.veth(a, "va", "198.51.100.1/24", b, "vb", "198.51.100.2/24");
            // 198.51.100.1 exists only in a: binding to it outside the namespace must fail.
            assertThrows(SocketException.class, () -> new DatagramSocket(new InetSocketAddress("198.51.100.1", 0)).close());
            try (DatagramSocket sa = a.call(() -> new DatagramSocket(new InetSocketAddress("198.51.100.1", 0)));
                 DatagramSocket sb = b.call(() -> new DatagramSocket(new InetSocketAddress("198.51.100.2", 4000)))) {
                byte[] msg = {1, 2, 3};
                sa.send(new DatagramPacket(msg, msg.length, InetAddress.getByName("198.51.100.2"), 4000));
                sb.setSoTimeout(5000);
                DatagramPacket in = new DatagramPacket(new byte[16], 16);
                sb.receive(in);
                assertArrayEquals(msg, java.util.Arrays.copyOf(in.getData(), in.getLength()));
            }
        }
    }
}
