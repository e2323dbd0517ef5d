package io.jl2tp.tun.linux;

import com.sun.jna.LastErrorException;
import com.sun.jna.Memory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;

/**
 * ICMP and ICMPv6 echo probes through one interface (mwan3's way of catching a link that is up
 * but dead): raw sockets bound to the interface with SO_BINDTODEVICE, so the probes leave
 * through it whatever the routing table prefers. Every interval one echo request goes to each
 * target; the round's result says which of them answered within that interval. Needs
 * CAP_NET_RAW. One thread; results go to the callback.
 *
 * <p>Each request carries the target's index in its data, and a reply counts only if it comes
 * from that target with our identifier, sequence number and data (RFC 792 echo; RFC 4443 §4.1/4.2).
 */
public final class IcmpProber implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(IcmpProber.class);
    private static final int IPPROTO_ICMP = 1;
    private static final int IPPROTO_ICMPV6 = 58;
    private static final int SOL_SOCKET = 1;
    private static final int SO_BINDTODEVICE = 25;
    private static final int POLLIN = 1;
    private static final int MSG_DONTWAIT = 0x40;
    private static final int ECHO_REQUEST = 8;
    private static final int ECHO_REPLY = 0;
    private static final int ECHO6_REQUEST = 128;
    private static final int ECHO6_REPLY = 129;
    private static final int LENGTH = 16; // 8-octet ICMP header + 8 octets of data (marker, target index)

    private final int fd4;
    private final int fd6;
    private final List<InetAddress> targets;
    private final Duration interval;
    private final Consumer<boolean[]> results;
    private final int id = ThreadLocalRandom.current().nextInt(1, 0x10000);
    private final Thread thread;
    private final String ifname;
    private final Memory ifnameC;
    private volatile boolean closed;

    private IcmpProber(int fd4, int fd6, List<InetAddress> targets, Duration interval, Consumer<boolean[]> results,
                       String ifname) {
        byte[] name = (ifname + "\0").getBytes(StandardCharsets.US_ASCII);
        this.ifname = ifname;
        this.ifnameC = new Memory(name.length);
        this.ifnameC.write(0, name, 0, name.length);
        this.fd4 = fd4;
        this.fd6 = fd6;
        this.targets = targets;
        this.interval = interval;
        this.results = results;
        this.thread = new Thread(this::loop, "probe-" + ifname);
        this.thread.setDaemon(true);
    }

    /** One IPv4 target; the callback gets whether it answered. */
    public static IcmpProber start(String ifname, InetAddress target, Duration interval, Consumer<Boolean> results)
            throws IOException {
        return start(ifname, List.of(target), interval, answered -> results.accept(answered[0]));
    }

    /**
     * Opens the sockets (in the calling thread's namespace) and starts probing {@code targets}
     * (IPv4 and IPv6) through {@code ifname}, which need not exist yet: a probe sent while it is
     * missing is unanswered. The callback gets, per round, which targets answered (in order).
     */
    public static IcmpProber start(String ifname, List<InetAddress> targets, Duration interval, Consumer<boolean[]> results)
            throws IOException {
        if (targets.isEmpty()) {
            throw new IllegalArgumentException("no probe targets");
        }
        LinuxTunDevice.validateName(ifname);
        boolean any4 = targets.stream().anyMatch(t -> t instanceof Inet4Address);
        boolean any6 = targets.stream().anyMatch(t -> t instanceof Inet6Address);
        int fd4 = any4 ? open(LibC.AF_INET, IPPROTO_ICMP, "socket(AF_INET, SOCK_RAW, ICMP) for the probe") : -1;
        int fd6;
        try {
            fd6 = any6 ? open(LibC.AF_INET6, IPPROTO_ICMPV6, "socket(AF_INET6, SOCK_RAW, ICMPV6) for the probe") : -1;
        } catch (IOException e) {
            closeQuietly(fd4);
            throw e;
        }
        IcmpProber p = new IcmpProber(fd4, fd6, List.copyOf(targets), interval, results, ifname);
        p.thread.start();
        return p;
    }

    private static int open(int family, int protocol, String what) throws NativeIoException {
        try {
            return LibC.socket(family, LibC.SOCK_RAW | LibC.SOCK_CLOEXEC, protocol);
        } catch (LastErrorException e) {
            throw new NativeIoException(what, e.getErrorCode(), null);
        }
    }

    private static void closeQuietly(int fd) {
        if (fd >= 0) {
            try {
                LibC.close(fd);
            } catch (LastErrorException ignored) {
                // already closed
            }
        }
    }

    /** The sockaddr_in / sockaddr_in6 of a target. */
    private static Memory sockaddr(InetAddress a) {
        Memory m = new Memory(28);
        m.clear();
        byte[] b = a.getAddress();
        if (a instanceof Inet6Address) {
            m.setShort(0, (short) LibC.AF_INET6);
            m.write(8, b, 0, 16);
        } else {
            m.setShort(0, (short) LibC.AF_INET);
            m.write(4, b, 0, 4);
        }
        return m;
    }

    private void loop() {
        Memory out = new Memory(LENGTH);
        Memory in = new Memory(1500);
        Memory from = new Memory(28);
        Memory fromLen = new Memory(4);
        Memory[] addrs = targets.stream().map(IcmpProber::sockaddr).toArray(Memory[]::new);
        Memory pfd = new Memory(16);
        int seq = 0;
        while (!closed) {
            seq = (seq + 1) & 0xffff;
            long deadline = System.nanoTime() + interval.toNanos();
            boolean[] answered = new boolean[targets.size()];
            // Bound afresh every time: SO_BINDTODEVICE keeps an ifindex, and pppd makes a new
            // interface (a new index) on every connection; ENODEV while there is none.
            bind(fd4);
            bind(fd6);
            for (int i = 0; i < targets.size(); i++) {
                boolean v6 = targets.get(i) instanceof Inet6Address;
                byte[] echo = echoRequest(v6, id, seq, i);
                out.write(0, echo, 0, echo.length);
                try {
                    LibC.sendto(v6 ? fd6 : fd4, out, echo.length, 0, addrs[i], v6 ? 28 : 16);
                } catch (LastErrorException e) {
                    log.debug("probe to {} through {}: errno {}", targets.get(i).getHostAddress(), ifname, e.getErrorCode());
                }
            }
            while (!closed) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    break;
                }
                int n = 0;
                for (int fd : new int[] {fd4, fd6}) {
                    if (fd >= 0) {
                        pfd.setInt(n * 8L, fd);
                        pfd.setShort(n * 8L + 4, (short) POLLIN);
                        pfd.setShort(n * 8L + 6, (short) 0);
                        n++;
                    }
                }
                if (LibC.poll(pfd, n, (int) Math.max(1, left / 1_000_000)) <= 0) {
                    continue;
                }
                for (int k = 0; k < n; k++) {
                    if ((pfd.getShort(k * 8L + 6) & POLLIN) == 0) {
                        continue;
                    }
                    int fd = pfd.getInt(k * 8L);
                    long len;
                    try {
                        fromLen.setInt(0, 28);
                        len = LibC.recvfrom(fd, in, in.size(), MSG_DONTWAIT, from, fromLen);
                    } catch (LastErrorException e) {
                        continue;
                    }
                    byte[] pkt = in.getByteArray(0, (int) len);
                    int target = fd == fd4 ? matchIpv4(pkt, seq) : matchIpv6(pkt, from.getByteArray(8, 16), seq);
                    if (target >= 0) {
                        answered[target] = true; // keep waiting out the interval: one probe per interval
                    }
                }
            }
            if (!closed) {
                results.accept(answered);
            }
        }
    }

    private void bind(int fd) {
        if (fd < 0) {
            return;
        }
        try {
            LibC.setsockopt(fd, SOL_SOCKET, SO_BINDTODEVICE, ifnameC, (int) ifnameC.size());
        } catch (LastErrorException e) {
            log.debug("probe through {}: SO_BINDTODEVICE errno {}", ifname, e.getErrorCode());
        }
    }

    /** An ICMP echo request (type 8, checksummed) or ICMPv6 one (type 128; the kernel sums it). */
    static byte[] echoRequest(boolean v6, int id, int seq, int target) {
        byte[] p = new byte[LENGTH];
        p[0] = (byte) (v6 ? ECHO6_REQUEST : ECHO_REQUEST);
        p[4] = (byte) (id >> 8);
        p[5] = (byte) id;
        p[6] = (byte) (seq >> 8);
        p[7] = (byte) seq;
        p[8] = 'j';
        p[9] = 'l';
        p[10] = '2';
        p[11] = 't';
        p[12] = (byte) (target >> 8);
        p[13] = (byte) target;
        if (!v6) { // ICMPv6's checksum is the kernel's on a raw ICMPv6 socket (RFC 3542 §3.1)
            int sum = checksum(p);
            p[2] = (byte) (sum >> 8);
            p[3] = (byte) sum;
        }
        return p;
    }

    /** RFC 1071 Internet checksum of {@code b}. */
    public static int checksum(byte[] b) {
        long sum = 0;
        for (int i = 0; i + 1 < b.length; i += 2) {
            sum += ((b[i] & 0xff) << 8) | (b[i + 1] & 0xff);
        }
        if ((b.length & 1) != 0) {
            sum += (b[b.length - 1] & 0xff) << 8;
        }
        while ((sum >> 16) != 0) {
            sum = (sum & 0xffff) + (sum >> 16);
        }
        return (int) (~sum & 0xffff);
    }

    /** The index of the target whose echo reply this is (ICMP message at {@code off}), or -1. */
    private int matchEcho(byte[] pkt, int off, int replyType, int seq, InetAddress source) {
        if (pkt.length < off + LENGTH || (pkt[off] & 0xff) != replyType) {
            return -1;
        }
        int rid = ((pkt[off + 4] & 0xff) << 8) | (pkt[off + 5] & 0xff);
        int rseq = ((pkt[off + 6] & 0xff) << 8) | (pkt[off + 7] & 0xff);
        if (rid != id || rseq != seq || pkt[off + 8] != 'j' || pkt[off + 9] != 'l' || pkt[off + 10] != '2'
                || pkt[off + 11] != 't') {
            return -1;
        }
        int target = ((pkt[off + 12] & 0xff) << 8) | (pkt[off + 13] & 0xff);
        return target < targets.size() && targets.get(target).equals(source) ? target : -1;
    }

    /** A raw IPv4 socket hands us the IPv4 header too: an echo reply from the target it was sent to. */
    int matchIpv4(byte[] pkt, int seq) {
        if (pkt.length < 20 || (pkt[0] >> 4) != 4) {
            return -1;
        }
        int ihl = (pkt[0] & 0x0f) * 4;
        try {
            return matchEcho(pkt, ihl, ECHO_REPLY, seq, InetAddress.getByAddress(Arrays.copyOfRange(pkt, 12, 16)));
        } catch (java.net.UnknownHostException e) {
            return -1;
        }
    }

    /** A raw ICMPv6 socket gives the ICMPv6 message only; the source comes from recvfrom. */
    int matchIpv6(byte[] pkt, byte[] source, int seq) {
        try {
            return matchEcho(pkt, 0, ECHO6_REPLY, seq, InetAddress.getByAddress(source));
        } catch (java.net.UnknownHostException e) {
            return -1;
        }
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            thread.join(interval.toMillis() + 1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        closeQuietly(fd4);
        closeQuietly(fd6);
    }
}
