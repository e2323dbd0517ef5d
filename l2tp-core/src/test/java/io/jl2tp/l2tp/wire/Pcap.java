package io.jl2tp.l2tp.wire;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;

/** Writes UDP datagrams as a raw-IPv4 pcap file (LINKTYPE_RAW) for tshark. */
final class Pcap {

    private Pcap() {
    }

    static byte[] udp(List<byte[]> payloads, int srcPort, int dstPort) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteBuffer gh = ByteBuffer.allocate(24).order(ByteOrder.LITTLE_ENDIAN);
        gh.putInt(0xa1b2c3d4).putShort((short) 2).putShort((short) 4).putInt(0).putInt(0).putInt(65535).putInt(101);
        out.writeBytes(gh.array());
        int t = 0;
        for (byte[] p : payloads) {
            int len = 20 + 8 + p.length;
            ByteBuffer ip = ByteBuffer.allocate(len);
            ip.put((byte) 0x45).put((byte) 0).putShort((short) len).putShort((short) 1).putShort((short) 0)
                    .put((byte) 64).put((byte) 17).putShort((short) 0)
                    .put(new byte[] {(byte) 198, 51, 100, 1}).put(new byte[] {(byte) 198, 51, 100, 2});
            int sum = 0;
            for (int i = 0; i < 20; i += 2) {
                sum += ((ip.get(i) & 0xff) << 8) | (ip.get(i + 1) & 0xff);
            }
            while ((sum >> 16) != 0) {
                sum = (sum & 0xffff) + (sum >> 16);
            }
            ip.putShort(10, (short) ~sum);
            ip.putShort((short) srcPort).putShort((short) dstPort).putShort((short) (8 + p.length)).putShort((short) 0);
            ip.put(p);
            ByteBuffer rh = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN);
            rh.putInt(t++).putInt(0).putInt(len).putInt(len);
            out.writeBytes(rh.array());
            out.writeBytes(ip.array());
        }
        return out.toByteArray();
    }
}
