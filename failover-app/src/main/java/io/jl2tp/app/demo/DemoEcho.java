package io.jl2tp.app.demo;

import io.jl2tp.tun.linux.IcmpProber;
import com.sun.jna.LastErrorException;
import com.sun.jna.Memory;
import io.jl2tp.tun.linux.LibC;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * The demo's own ping: ICMP (RFC 792) or ICMPv6 (RFC 4443 §4.1) echo requests from a raw
 * socket bound to one interface with SO_BINDTODEVICE, each waited for in turn, so the demo
 * needs no {@code ping} program (a fresh machine with a JDK may not have iputils). The socket
 * is opened in the calling thread's network namespace: call it inside {@link DemoLab#in}.
 * Needs CAP_NET_RAW.
 */
final class DemoEcho {

    private static final int ENETUNREACH = 101;

    private static final int AF_INET = LibC.AF_INET;
    private static final int AF_INET6 = LibC.AF_INET6;
    private static final int IPPROTO_ICMP = 1;
    private static final int IPPROTO_ICMPV6 = 58;
    private static final int SOL_SOCKET = 1;
    private static final int SO_BINDTODEVICE = 25;
    private static final int ICMP6_FILTER = 1;
    private static final short POLLIN = 1;
    private static final int MSG_DONTWAIT = 0x40;
    private static final int ECHO_REQUEST_V4 = 8;
    private static final int ECHO_REPLY_V4 = 0;
    private static final int ECHO_REQUEST_V6 = 128;
    private static final int ECHO_REPLY_V6 = 129;

    /** What {@code ping -c N} prints at the end: echoes sent, replies received, their mean round trip. */
    record Result(int sent, int received, double averageMs) {

        @Override
        public String toString() {
            return received + "/" + sent + " replies" + (received > 0 ? String.format(Locale.ROOT, ", average %.3f ms", averageMs) : "");
        }
    }

    private DemoEcho() {
    }

    /**
     * Sends {@code count} echo requests to {@code target} through {@code ifname}, one every
     * {@code interval}, each answered or not within {@code timeout}. A link-local IPv6 target
     * needs no scope id: the socket is bound to the interface.
     */
    static Result ping(InetAddress target, String ifname, int count, Duration interval, Duration timeout) throws IOException {
        boolean v6 = target instanceof Inet6Address;
        if (!v6 && !(target instanceof Inet4Address)) {
            throw new IOException("not an IP address: " + target);
        }
        int fd;
        try {
            fd = LibC.socket(v6 ? AF_INET6 : AF_INET, LibC.SOCK_RAW | LibC.SOCK_CLOEXEC, v6 ? IPPROTO_ICMPV6 : IPPROTO_ICMP);
        } catch (LastErrorException e) {
            throw new IOException("raw ICMP socket: errno " + e.getErrorCode() + " (needs CAP_NET_RAW)");
        }
        try {
            byte[] name = (ifname + "\0").getBytes(StandardCharsets.US_ASCII);
            Memory ifnameC = new Memory(name.length);
            ifnameC.write(0, name, 0, name.length);
            LibC.setsockopt(fd, SOL_SOCKET, SO_BINDTODEVICE, ifnameC, name.length);
            if (v6) {
                // RFC 3542 §3.2: pass only Echo Replies (a raw ICMPv6 socket sees NDP and the rest too).
                Memory filter = new Memory(32);
                for (int i = 0; i < 8; i++) {
                    filter.setInt(i * 4, -1);
                }
                filter.setInt((ECHO_REPLY_V6 >> 5) * 4, ~(1 << (ECHO_REPLY_V6 & 31)));
                LibC.setsockopt(fd, IPPROTO_ICMPV6, ICMP6_FILTER, filter, 32);
            }
            Memory addr = sockaddr(target);
            int id = new SecureRandom().nextInt(1, 0x10000);
            Memory out = new Memory(64);
            Memory in = new Memory(1500);
            Memory pfd = new Memory(8);
            int received = 0;
            long totalNanos = 0;
            for (int seq = 1; seq <= count; seq++) {
                byte[] echo = echoRequest(v6, id, seq);
                out.write(0, echo, 0, echo.length);
                long sent = System.nanoTime();
                // The kernel installs the route to an IPv6 point-to-point peer from its address
                // work queue a moment after the address was added (when duplicate address
                // detection ends, at once on a NOARP link): ENETUNREACH until then, so the first
                // echo waits up to a second for it.
                long routeDeadline = sent + TimeUnit.SECONDS.toNanos(1);
                while (true) {
                    try {
                        LibC.sendto(fd, out, echo.length, 0, addr, (int) addr.size());
                        break;
                    } catch (LastErrorException e) {
                        if (e.getErrorCode() != ENETUNREACH || seq > 1 || System.nanoTime() > routeDeadline) {
                            throw new IOException("sendto " + target.getHostAddress() + " via " + ifname + ": errno "
                                    + e.getErrorCode());
                        }
                        try {
                            Thread.sleep(5);
                        } catch (InterruptedException ie) {
                            Thread.currentThread().interrupt();
                            throw new IOException("interrupted", ie);
                        }
                        sent = System.nanoTime();
                    }
                }
                long deadline = sent + timeout.toNanos();
                boolean answered = false;
                while (!answered) {
                    long left = deadline - System.nanoTime();
                    if (left <= 0) {
                        break;
                    }
                    pfd.setInt(0, fd);
                    pfd.setShort(4, POLLIN);
                    pfd.setShort(6, (short) 0);
                    if (LibC.poll(pfd, 1, (int) Math.max(1, left / 1_000_000)) <= 0 || (pfd.getShort(6) & POLLIN) == 0) {
                        continue;
                    }
                    long len;
                    try {
                        len = LibC.recv(fd, in, in.size(), MSG_DONTWAIT);
                    } catch (LastErrorException e) {
                        continue;
                    }
                    if (isReply(v6, in.getByteArray(0, (int) len), target, id, seq)) {
                        answered = true;
                        received++;
                        totalNanos += System.nanoTime() - sent;
                    }
                }
                // Pace the echoes as ping -i does; late replies to earlier ones are dropped by seq.
                long next = sent + interval.toNanos();
                while (seq < count && System.nanoTime() < next) {
                    pfd.setInt(0, -1); // poll on no descriptor: a timed wait without a busy loop
                    LibC.poll(pfd, 1, (int) Math.max(1, (next - System.nanoTime()) / 1_000_000));
                }
            }
            return new Result(count, received, received == 0 ? 0 : totalNanos / 1e6 / received);
        } catch (LastErrorException e) {
            throw new IOException("echo socket on " + ifname + ": errno " + e.getErrorCode());
        } finally {
            LibC.close(fd);
        }
    }

    /** sockaddr_in (16 octets) or sockaddr_in6 (28 octets; scope id 0, the bound interface decides). */
    static Memory sockaddr(InetAddress target) {
        byte[] a = target.getAddress();
        Memory m = new Memory(a.length == 4 ? 16 : 28);
        m.clear();
        m.setShort(0, (short) (a.length == 4 ? AF_INET : AF_INET6));
        m.write(a.length == 4 ? 4 : 8, a, 0, a.length);
        return m;
    }

    /**
     * An echo request with our identifier and sequence number and 8 octets of data. ICMP's
     * checksum is ours (RFC 792); ICMPv6's covers a pseudo-header and the kernel fills it in
     * for raw ICMPv6 sockets (RFC 3542 §3.1), so it stays zero here.
     */
    static byte[] echoRequest(boolean v6, int id, int seq) {
        byte[] p = new byte[16];
        p[0] = (byte) (v6 ? ECHO_REQUEST_V6 : ECHO_REQUEST_V4);
        p[4] = (byte) (id >> 8);
        p[5] = (byte) id;
        p[6] = (byte) (seq >> 8);
        p[7] = (byte) seq;
        byte[] data = "jl2tp-demo".getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(data, 0, p, 8, 8);
        if (!v6) {
            int sum = IcmpProber.checksum(p);
            p[2] = (byte) (sum >> 8);
            p[3] = (byte) sum;
        }
        return p;
    }

    /**
     * Our echo reply: a raw IPv4 socket hands over the IP header too (the sender must be the
     * target); a raw ICMPv6 socket only the ICMPv6 message, which reaches this socket only as an
     * Echo Reply (the filter) arriving on the bound interface, matched by identifier and sequence.
     */
    static boolean isReply(boolean v6, byte[] pkt, InetAddress target, int id, int seq) {
        int off = 0;
        if (!v6) {
            if (pkt.length < 20 || (pkt[0] >> 4) != 4) {
                return false;
            }
            off = (pkt[0] & 0x0f) * 4;
        }
        if (pkt.length < off + 8) {
            return false;
        }
        if (!v6 && !Arrays.equals(Arrays.copyOfRange(pkt, 12, 16), target.getAddress())) {
            return false;
        }
        int type = pkt[off] & 0xff;
        int rid = ((pkt[off + 4] & 0xff) << 8) | (pkt[off + 5] & 0xff);
        int rseq = ((pkt[off + 6] & 0xff) << 8) | (pkt[off + 7] & 0xff);
        return type == (v6 ? ECHO_REPLY_V6 : ECHO_REPLY_V4) && rid == id && rseq == seq;
    }
}
