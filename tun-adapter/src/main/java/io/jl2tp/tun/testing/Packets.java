package io.jl2tp.tun.testing;

import java.util.Arrays;

/** Hand-built IP packets for tests: ICMP/ICMPv6 echo requests and the matching replies. */
public final class Packets {

    private Packets() {
    }

    /** True for an ICMPv4 Echo Request (type 8). */
    public static boolean isIcmpEchoRequest(byte[] p) {
        return p.length >= 28 && (p[0] >> 4) == 4 && p[9] == 1 && p[(p[0] & 0xf) * 4] == 8;
    }

    /** True for an ICMPv6 Echo Request (type 128). */
    public static boolean isIcmp6EchoRequest(byte[] p) {
        return p.length >= 48 && ((p[0] & 0xff) >> 4) == 6 && p[6] == 58 && (p[40] & 0xff) == 128;
    }

    /** The Echo Reply answering an ICMPv4 or ICMPv6 Echo Request (addresses swapped, checksums fixed). */
    public static byte[] echoReply(byte[] req) {
        byte[] p = req.clone();
        if (((p[0] & 0xff) >> 4) == 4) {
            int ihl = (p[0] & 0xf) * 4;
            swap(p, 12, 16, 4);
            p[ihl] = 0; // Echo Reply
            p[ihl + 2] = 0;
            p[ihl + 3] = 0;
            int c = checksum(p, ihl, p.length - ihl, 0);
            p[ihl + 2] = (byte) (c >> 8);
            p[ihl + 3] = (byte) c;
            p[10] = 0;
            p[11] = 0;
            int h = checksum(p, 0, ihl, 0);
            p[10] = (byte) (h >> 8);
            p[11] = (byte) h;
            return p;
        }
        swap(p, 8, 24, 16);
        p[40] = (byte) 129;
        p[42] = 0;
        p[43] = 0;
        int len = p.length - 40;
        int pseudo = 0;
        for (int i = 8; i < 40; i += 2) {
            pseudo += ((p[i] & 0xff) << 8) | (p[i + 1] & 0xff);
        }
        pseudo += len + 58;
        int c = checksum(p, 40, len, pseudo);
        p[42] = (byte) (c >> 8);
        p[43] = (byte) c;
        return p;
    }

    private static void swap(byte[] p, int a, int b, int n) {
        byte[] t = Arrays.copyOfRange(p, a, a + n);
        System.arraycopy(p, b, p, a, n);
        System.arraycopy(t, 0, p, b, n);
    }

    /** The Internet checksum (RFC 1071) of p[off, off+len) plus an initial sum. */
    public static int checksum(byte[] p, int off, int len, int initial) {
        long sum = initial;
        for (int i = 0; i + 1 < len; i += 2) {
            sum += ((p[off + i] & 0xff) << 8) | (p[off + i + 1] & 0xff);
        }
        if ((len & 1) != 0) {
            sum += (p[off + len - 1] & 0xff) << 8;
        }
        while ((sum >> 16) != 0) {
            sum = (sum & 0xffff) + (sum >> 16);
        }
        return (int) (~sum & 0xffff);
    }
}
