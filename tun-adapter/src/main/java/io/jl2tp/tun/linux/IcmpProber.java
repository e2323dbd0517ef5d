package io.jl2tp.tun.linux;

import com.sun.jna.LastErrorException;
import com.sun.jna.Memory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;

/**
 * ICMP echo probes through one interface (mwan3's way of catching a link that is up but dead):
 * a raw ICMP socket bound to the interface with SO_BINDTODEVICE, so the probe leaves through it
 * whatever the routing table prefers, one echo request per interval, each answered or not
 * within that interval. Needs CAP_NET_RAW. IPv4 only. One thread; results go to the callback.
 */
public final class IcmpProber implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(IcmpProber.class);
    private static final int IPPROTO_ICMP = 1;
    private static final int SOL_SOCKET = 1;
    private static final int SO_BINDTODEVICE = 25;
    private static final int POLLIN = 1;
    private static final int MSG_DONTWAIT = 0x40;

    private final int fd;
    private final Inet4Address target;
    private final Duration interval;
    private final Consumer<Boolean> results;
    private final int id = ThreadLocalRandom.current().nextInt(1, 0x10000);
    private final Thread thread;
    private final String ifname;
    private final Memory ifnameC;
    private volatile boolean closed;

    private IcmpProber(int fd, Inet4Address target, Duration interval, Consumer<Boolean> results, String ifname) {
        byte[] name = (ifname + "\0").getBytes(StandardCharsets.US_ASCII);
        this.ifname = ifname;
        this.ifnameC = new Memory(name.length);
        this.ifnameC.write(0, name, 0, name.length);
        this.fd = fd;
        this.target = target;
        this.interval = interval;
        this.results = results;
        this.thread = new Thread(this::loop, "probe-" + ifname);
        this.thread.setDaemon(true);
    }

    /**
     * Opens the socket (in the calling thread's namespace) and starts probing through
     * {@code ifname}, which need not exist yet: a probe sent while it is missing is unanswered.
     */
    public static IcmpProber start(String ifname, InetAddress target, Duration interval, Consumer<Boolean> results)
            throws IOException {
        if (!(target instanceof Inet4Address v4)) {
            throw new IOException("probe address must be IPv4: " + target.getHostAddress());
        }
        LinuxTunDevice.validateName(ifname);
        int fd;
        try {
            fd = LibC.socket(LibC.AF_INET, LibC.SOCK_RAW | LibC.SOCK_CLOEXEC, IPPROTO_ICMP);
        } catch (LastErrorException e) {
            throw new NativeIoException("socket(AF_INET, SOCK_RAW, ICMP) for the probe", e.getErrorCode(), null);
        }
        IcmpProber p = new IcmpProber(fd, v4, interval, results, ifname);
        p.thread.start();
        return p;
    }

    private void loop() {
        Memory out = new Memory(64);
        Memory in = new Memory(1500);
        Memory addr = new Memory(16);
        addr.clear();
        addr.setShort(0, (short) LibC.AF_INET);
        byte[] a = target.getAddress();
        addr.write(4, a, 0, 4);
        Memory pfd = new Memory(8);
        int seq = 0;
        while (!closed) {
            seq = (seq + 1) & 0xffff;
            long start = System.nanoTime();
            long deadline = start + interval.toNanos();
            boolean answered = false;
            try {
                // Bound afresh every time: SO_BINDTODEVICE keeps an ifindex, and pppd makes a new
                // interface (a new index) on every connection; ENODEV while there is none.
                LibC.setsockopt(fd, SOL_SOCKET, SO_BINDTODEVICE, ifnameC, (int) ifnameC.size());
                byte[] echo = echoRequest(id, seq);
                out.write(0, echo, 0, echo.length);
                LibC.sendto(fd, out, echo.length, 0, addr, 16);
            } catch (LastErrorException e) {
                log.debug("probe to {} through {}: errno {}", target.getHostAddress(), ifname, e.getErrorCode());
            }
            while (!closed) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    break;
                }
                pfd.setInt(0, fd);
                pfd.setShort(4, (short) POLLIN);
                pfd.setShort(6, (short) 0);
                int n = LibC.poll(pfd, 1, (int) Math.max(1, left / 1_000_000));
                if (n <= 0 || (pfd.getShort(6) & POLLIN) == 0) {
                    continue;
                }
                long len;
                try {
                    len = LibC.recv(fd, in, in.size(), MSG_DONTWAIT);
                } catch (LastErrorException e) {
                    continue;
                }
                if (!answered && isOurReply(in.getByteArray(0, (int) len), seq)) {
                    answered = true; // keep waiting out the interval: one probe per interval
                }
            }
            if (!closed) {
                results.accept(answered);
            }
        }
    }

    /** An ICMP echo request (type 8) with our id and sequence number and a checksum. */
    static byte[] echoRequest(int id, int seq) {
        byte[] p = new byte[16];
        p[0] = 8;
        p[4] = (byte) (id >> 8);
        p[5] = (byte) id;
        p[6] = (byte) (seq >> 8);
        p[7] = (byte) seq;
        int sum = checksum(p);
        p[2] = (byte) (sum >> 8);
        p[3] = (byte) sum;
        return p;
    }

    /** RFC 1071 Internet checksum. */
    static int checksum(byte[] b) {
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

    /** A raw socket hands us the IPv4 header too: an echo reply (type 0) from the target with our id and seq. */
    boolean isOurReply(byte[] pkt, int seq) {
        if (pkt.length < 20 || (pkt[0] >> 4) != 4) {
            return false;
        }
        int ihl = (pkt[0] & 0x0f) * 4;
        if (pkt.length < ihl + 8) {
            return false;
        }
        for (int i = 0; i < 4; i++) {
            if (pkt[12 + i] != target.getAddress()[i]) {
                return false;
            }
        }
        int type = pkt[ihl] & 0xff;
        int rid = ((pkt[ihl + 4] & 0xff) << 8) | (pkt[ihl + 5] & 0xff);
        int rseq = ((pkt[ihl + 6] & 0xff) << 8) | (pkt[ihl + 7] & 0xff);
        return type == 0 && rid == id && rseq == seq;
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
        try {
            LibC.close(fd);
        } catch (LastErrorException ignored) {
            // already closed
        }
    }
}
