package io.jl2tp.app.harness.session;

import io.jl2tp.tun.testing.Packets;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;

/**
 * ICMP Echo Request packets (RFC 792, RFC 4443 §4.1) built by hand for the user-space sessions,
 * and the few header fields the terminator reads. Stateless; any thread.
 */
public final class IcmpEcho {

    private IcmpEcho() {
    }

    /** An IPv4 or IPv6 Echo Request from {@code src} to {@code dst} (same family) with {@code payload} octets of data. */
    public static byte[] request(InetAddress src, InetAddress dst, int id, int seq, int payload) {
        if (src instanceof Inet4Address && dst instanceof Inet4Address) {
            return request4(src.getAddress(), dst.getAddress(), id, seq, payload);
        }
        if (src instanceof Inet6Address && dst instanceof Inet6Address) {
            return request6(src.getAddress(), dst.getAddress(), id, seq, payload);
        }
        throw new IllegalArgumentException("mixed address families");
    }

    private static byte[] request4(byte[] s, byte[] d, int id, int seq, int payload) {
        byte[] p = new byte[28 + payload];
        p[0] = 0x45;
        put16(p, 2, p.length);
        put16(p, 4, seq);
        p[6] = 0x40; // DF
        p[8] = 64;
        p[9] = 1;
        System.arraycopy(s, 0, p, 12, 4);
        System.arraycopy(d, 0, p, 16, 4);
        put16(p, 10, Packets.checksum(p, 0, 20, 0));
        p[20] = 8;
        put16(p, 24, id);
        put16(p, 26, seq);
        fill(p, 28);
        put16(p, 22, Packets.checksum(p, 20, p.length - 20, 0));
        return p;
    }

    private static byte[] request6(byte[] s, byte[] d, int id, int seq, int payload) {
        byte[] p = new byte[48 + payload];
        p[0] = 0x60;
        put16(p, 4, 8 + payload);
        p[6] = 58;
        p[7] = 64;
        System.arraycopy(s, 0, p, 8, 16);
        System.arraycopy(d, 0, p, 24, 16);
        p[40] = (byte) 128;
        put16(p, 44, id);
        put16(p, 46, seq);
        fill(p, 48);
        int pseudo = 0;
        for (int i = 8; i < 40; i += 2) {
            pseudo += ((p[i] & 0xff) << 8) | (p[i + 1] & 0xff);
        }
        pseudo += 8 + payload + 58;
        put16(p, 42, Packets.checksum(p, 40, 8 + payload, pseudo));
        return p;
    }

    private static void fill(byte[] p, int from) {
        for (int i = from; i < p.length; i++) {
            p[i] = (byte) (i - from);
        }
    }

    private static void put16(byte[] p, int off, int v) {
        p[off] = (byte) (v >> 8);
        p[off + 1] = (byte) v;
    }

    /** ICMP type of an IPv4 packet, or -1 if not ICMP (or a fragment). */
    static int icmp4Type(byte[] p) {
        if (p.length < 28 || (p[0] & 0xf0) != 0x40 || p[9] != 1) {
            return -1;
        }
        int ihl = (p[0] & 0xf) * 4;
        return ihl + 8 <= p.length ? p[ihl] & 0xff : -1;
    }

    /** ICMPv6 type of an IPv6 packet without extension headers, or -1. */
    static int icmp6Type(byte[] p) {
        if (p.length < 48 || (p[0] & 0xf0) != 0x60 || p[6] != 58) {
            return -1;
        }
        return p[40] & 0xff;
    }

    /** Offset of the ICMP header. */
    static int icmpOffset(byte[] p) {
        return (p[0] & 0xf0) == 0x40 ? (p[0] & 0xf) * 4 : 40;
    }
}
