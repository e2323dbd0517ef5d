package io.jl2tp.tun.linux;

import com.sun.jna.LastErrorException;
import com.sun.jna.Memory;
import io.jl2tp.tun.InterfaceGoneException;
import io.jl2tp.tun.TunDevice;
import io.netty.buffer.ByteBuf;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A Linux TUN device: {@code /dev/net/tun} with TUNSETIFF(IFF_TUN | IFF_NO_PI), so every read
 * and write is exactly one IP packet with no packet-information prefix.
 *
 * <pre>
 *  read(ByteBuf):  read(2) straight into the buffer's native memory (direct buffers only)
 *                  → EAGAIN? wait for {tun fd, close eventfd} (epoll_wait(2) through Netty's JNI,
 *                    else poll(2) through JNA) → read again
 *                  A reader whose wake-ups bring one packet each waits before it reads (one
 *                  wait + one read per packet, as a C poll loop), and tries reading on every
 *                  eighth packet to notice a burst; in a burst it reads until EAGAIN.
 *  write(ByteBuf): write(2) straight from the buffer's native memory
 * </pre>
 *
 * No per-packet allocation: the caller owns (and pools) the buffers. The device is created in
 * the network namespace of the thread that calls {@link #open}; so is the helper socket used
 * for MTU and flags, so that later calls from any thread act on the right namespace.
 */
public final class LinuxTunDevice implements TunDevice {

    /** Linux IFNAMSIZ minus the terminating NUL. */
    public static final int MAX_NAME = io.jl2tp.tun.InterfaceName.MAX_OCTETS;

    private static final long TUNSETIFF = 0x400454caL;
    private static final long TUNSETPERSIST = 0x400454cbL;
    private static final long SIOCGIFFLAGS = 0x8913L;
    private static final long SIOCSIFFLAGS = 0x8914L;
    private static final long SIOCGIFMTU = 0x8921L;
    private static final long SIOCSIFMTU = 0x8922L;
    private static final short IFF_TUN = 0x0001;
    private static final short IFF_NO_PI = 0x1000;
    private static final short IFF_MULTI_QUEUE = 0x0100;
    private static final short IFF_VNET_HDR = 0x4000;
    private static final long TUNSETOFFLOAD = 0x400454d0L;
    /** TUN_F_CSUM | TUN_F_TSO4 | TUN_F_TSO6 (linux/if_tun.h): partial checksums and TCP super-packets. */
    private static final int TUN_OFFLOADS = 0x01 | 0x02 | 0x04;
    /** TUN_F_USO4 | TUN_F_USO6: UDP segmentation (Linux 6.2); older kernels refuse the bits (EINVAL). */
    private static final int TUN_USO = 0x20 | 0x40;
    private static final short IFF_UP = 0x1;
    private static final int IFREQ_SIZE = 40;

    private final int fd;
    private final int ctlSocket;
    private final int closeEvent;
    private final String name;
    private final boolean vnetHdr;
    private final boolean uso;
    private final AtomicBoolean closed = new AtomicBoolean();
    /**
     * The owner's reference plus one per read or write in progress. The fds are closed when it
     * drops to 0, so a reader or writer never calls into an fd number that close() has freed and
     * the process may have reused for something else.
     */
    private final AtomicInteger refs = new AtomicInteger(1);
    /** Netty's JNI file descriptor for the hot path, when Netty's native library is present. */
    private final io.netty.channel.unix.FileDescriptor fast;
    private final Memory pollFds = new Memory(16);   // two struct pollfd, used by the reader only
    /** epoll set of {fd, closeEvent} for the reader on the fast path, else null (poll through JNA). */
    private final EpollWait epoll;
    // reader-only state (one reader thread): see read()
    private boolean waitFirst;
    private boolean drained; // readIfReady found nothing: the next read waits first
    private int burst;
    private int probe;
    private final Memory eventBuf = new Memory(8);

    private LinuxTunDevice(int fd, int ctlSocket, int closeEvent, String name, boolean vnetHdr, boolean uso) {
        this.fd = fd;
        this.vnetHdr = vnetHdr;
        this.uso = uso;
        this.ctlSocket = ctlSocket;
        this.closeEvent = closeEvent;
        this.name = name;
        this.fast = FAST_PATH ? new io.netty.channel.unix.FileDescriptor(fd) : null;
        this.epoll = FAST_PATH ? EpollWait.open(fd, closeEvent) : null;
    }

    /**
     * Whether read/write go through Netty's JNI {@code unix.FileDescriptor} (measured ~3× cheaper
     * per call than JNA direct mapping, docs/benchmarks.md) rather than JNA. Netty's native
     * library ships with the epoll transport; without it, or with -Djl2tp.tun.jna=true, JNA is used.
     */
    static final boolean FAST_PATH = !Boolean.getBoolean("jl2tp.tun.jna") && nettyNative();

    private static boolean nettyNative() {
        try {
            return io.netty.channel.epoll.Epoll.isAvailable();
        } catch (Throwable t) {
            return false;
        }
    }

    /** Checks an interface name the way the kernel will ({@link io.jl2tp.tun.InterfaceName}). */
    public static void validateName(String name) {
        io.jl2tp.tun.InterfaceName.require(name);
    }

    /**
     * Creates (or attaches to a persistent) TUN interface {@code name}.
     *
     * @param multiQueue IFF_MULTI_QUEUE (several fds on one interface)
     * @throws NativeIoException with the call and errno; EPERM says root/CAP_NET_ADMIN is needed
     */
    public static LinuxTunDevice open(String name, boolean multiQueue) throws IOException {
        return open(name, multiQueue, false);
    }

    /**
     * As {@link #open(String, boolean)}; with {@code offload}, also IFF_VNET_HDR and TUNSETOFFLOAD
     * (CSUM, TSO4, TSO6): every read and write then starts with a {@link io.jl2tp.tun.offload.VnetHdr},
     * reads may return TCP super-packets of up to 64 KiB and packets with partial checksums (see
     * {@link io.jl2tp.tun.offload.Gso}), and writes may carry coalesced ones
     * ({@link io.jl2tp.tun.offload.Gro}). A kernel that refuses the offloads still gets the header
     * (plain packets only); {@link #vnetHdr()} tells which mode the device is in.
     */
    public static LinuxTunDevice open(String name, boolean multiQueue, boolean offload) throws IOException {
        validateName(name);
        int fd;
        try {
            fd = LibC.open("/dev/net/tun", LibC.O_RDWR | LibC.O_NONBLOCK | LibC.O_CLOEXEC);
        } catch (LastErrorException e) {
            throw new NativeIoException("open(/dev/net/tun)", e.getErrorCode(),
                    e.getErrorCode() == Errno.ENOENT ? "the kernel has no TUN support (modprobe tun)" : null);
        }
        int ctl = -1;
        int ev = -1;
        try {
            Memory ifr = ifreq(name);
            ifr.setShort(16, (short) (IFF_TUN | IFF_NO_PI | (multiQueue ? IFF_MULTI_QUEUE : 0)
                    | (offload ? IFF_VNET_HDR : 0)));
            try {
                LibC.ioctl(fd, TUNSETIFF, ifr);
            } catch (LastErrorException e) {
                throw new NativeIoException("ioctl(TUNSETIFF " + name + ")", e.getErrorCode(),
                        e.getErrorCode() == Errno.EPERM ? "creating a TUN device needs root or CAP_NET_ADMIN" : null);
            }
            String actual = ifr.getString(0, "UTF-8");
            boolean uso = false;
            if (offload) {
                uso = offload(fd, TUN_OFFLOADS | TUN_USO);
                if (!uso) {
                    // before Linux 6.2: TCP only (a kernel refusing that too gets plain packets
                    // behind the header, still correct)
                    offload(fd, TUN_OFFLOADS);
                }
            }
            ctl = LibC.socket(LibC.AF_INET, LibC.SOCK_DGRAM | LibC.SOCK_CLOEXEC, 0);
            ev = LibC.eventfd(0, LibC.EFD_CLOEXEC | LibC.EFD_NONBLOCK);
            return new LinuxTunDevice(fd, ctl, ev, actual, offload, uso);
        } catch (IOException | RuntimeException e) {
            quietClose(fd);
            quietClose(ctl);
            quietClose(ev);
            throw e;
        }
    }

    /** TUNSETOFFLOAD; false if the kernel refused the flags. */
    private static boolean offload(int fd, int flags) {
        try {
            LibC.ioctl(fd, TUNSETOFFLOAD, new com.sun.jna.Pointer(flags)); // the value, not a pointer
            return true;
        } catch (LastErrorException e) {
            return false;
        }
    }

    private static Memory ifreq(String name) {
        Memory ifr = new Memory(IFREQ_SIZE);
        ifr.clear();
        byte[] b = name.getBytes(StandardCharsets.UTF_8);
        ifr.write(0, b, 0, b.length);
        return ifr;
    }

    private static void quietClose(int fd) {
        if (fd >= 0) {
            try {
                LibC.close(fd);
            } catch (LastErrorException ignored) {
                // nothing more to do
            }
        }
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public boolean vnetHdr() {
        return vnetHdr;
    }

    @Override
    public boolean udpSegmentation() {
        return uso;
    }

    /** Makes the interface outlive this file descriptor (TUNSETPERSIST). */
    public void persist(boolean on) throws NativeIoException {
        try {
            LibC.ioctl(fd, TUNSETPERSIST, on ? new Memory(8) {{ setLong(0, 1); }} : null);
        } catch (LastErrorException e) {
            throw new NativeIoException("ioctl(TUNSETPERSIST " + name + ")", e.getErrorCode(), null);
        }
    }

    @Override
    public int mtu() {
        Memory ifr = ifreq(name);
        try {
            LibC.ioctl(ctlSocket, SIOCGIFMTU, ifr);
            return ifr.getInt(16);
        } catch (LastErrorException e) {
            return -1;
        }
    }

    /** Sets the MTU (SIOCSIFMTU). */
    public void mtu(int mtu) throws NativeIoException {
        Memory ifr = ifreq(name);
        ifr.setInt(16, mtu);
        try {
            LibC.ioctl(ctlSocket, SIOCSIFMTU, ifr);
        } catch (LastErrorException e) {
            throw new NativeIoException("ioctl(SIOCSIFMTU " + name + " " + mtu + ")", e.getErrorCode(), null);
        }
    }

    /** Brings the link up or down (SIOCSIFFLAGS with IFF_UP). */
    public void up(boolean up) throws NativeIoException {
        Memory ifr = ifreq(name);
        try {
            LibC.ioctl(ctlSocket, SIOCGIFFLAGS, ifr);
            short flags = ifr.getShort(16);
            ifr.setShort(16, (short) (up ? flags | IFF_UP : flags & ~IFF_UP));
            LibC.ioctl(ctlSocket, SIOCSIFFLAGS, ifr);
        } catch (LastErrorException e) {
            throw new NativeIoException("ioctl(SIOCSIFFLAGS " + name + (up ? " up" : " down") + ")", e.getErrorCode(), null);
        }
    }

    @Override
    public int read(ByteBuf dst) throws IOException {
        if (!dst.hasMemoryAddress()) {
            throw new IllegalArgumentException("TUN reads need a direct buffer with a memory address");
        }
        if (!enter()) {
            return -1;
        }
        try {
            return readPacket(dst);
        } finally {
            exit();
        }
    }

    /**
     * A read only while in a burst (see the class comment): in wait-first mode the device expects
     * nothing more and says so without a system call; a read that finds nothing (EAGAIN) ends the
     * burst, and the next {@link #read} waits before it reads.
     */
    @Override
    public int readIfReady(ByteBuf dst) throws IOException {
        if (!dst.hasMemoryAddress()) {
            throw new IllegalArgumentException("TUN reads need a direct buffer with a memory address");
        }
        if (waitFirst || drained) {
            return 0;
        }
        if (!enter()) {
            return -1;
        }
        try {
            int n = readOnce(dst);
            if (n > 0) {
                burst++;
            } else if (n == 0) {
                waitFirst = burst <= 1;
                burst = 0;
                drained = true;
            }
            return n;
        } finally {
            exit();
        }
    }

    private int readPacket(ByteBuf dst) throws IOException {
        while (true) {
            if (closed.get()) {
                return -1;
            }
            if (waitFirst || drained) {
                drained = false;
                awaitReadable();
                if (closed.get()) {
                    return -1;
                }
            }
            int n = readOnce(dst);
            if (n < 0) {
                return -1;
            }
            if (n > 0) {
                if (!waitFirst) {
                    burst++;
                } else if (++probe == PROBE_EVERY) {
                    probe = 0;          // the next read does not wait first: a burst?
                    waitFirst = false;
                    burst = 0;
                }
                return n;
            }
            // EAGAIN. A wake-up that brought at most one packet: wait before reading next time
            // (a read that would find nothing costs a system call per packet at low rates).
            if (!waitFirst) {
                waitFirst = burst <= 1;
                burst = 0;
                if (!waitFirst) {
                    awaitReadable();
                }
            }
        }
    }

    /** Packets read in wait-first mode between two reads that try for a burst. */
    private static final int PROBE_EVERY = 8;

    /** One read(2) into {@code dst}: the octets read (and the writer index moved), 0 on EAGAIN. */
    private int readOnce(ByteBuf dst) throws IOException {
        if (fast != null) {
            int n;
            try {
                n = fast.readAddress(dst.memoryAddress(), dst.writerIndex(), dst.capacity());
            } catch (IOException e) {
                if (closed.get()) {
                    return -1;
                }
                if (e instanceof io.netty.channel.unix.Errors.NativeIoException nio && -nio.expectedErr() == Errno.EBADFD) {
                    throw new InterfaceGoneException(name, "read");
                }
                throw new IOException("read(" + name + "): " + e.getMessage(), e);
            }
            if (n > 0) {
                dst.writerIndex(dst.writerIndex() + n);
            }
            return Math.max(n, 0);
        }
        long n = LibC.read(fd, dst.memoryAddress() + dst.writerIndex(), dst.writableBytes());
        if (n > 0) {
            dst.writerIndex(dst.writerIndex() + (int) n);
            return (int) n;
        }
        if (n == 0) {
            return 0;
        }
        int err = LibC.errno();
        if (err == Errno.EAGAIN || err == Errno.EINTR) {
            return 0;
        }
        if (closed.get()) {
            return -1;
        }
        if (err == Errno.EBADFD) {
            throw new InterfaceGoneException(name, "read");
        }
        throw new NativeIoException("read(" + name + ")", err, null);
    }

    /** Waits until the TUN fd or the close eventfd is readable. */
    private void awaitReadable() throws IOException {
        if (epoll != null) {
            epoll.await();
            return;
        }
        pollFds.setInt(0, fd);
        pollFds.setShort(4, LibC.POLLIN);
        pollFds.setShort(6, (short) 0);
        pollFds.setInt(8, closeEvent);
        pollFds.setShort(12, LibC.POLLIN);
        pollFds.setShort(14, (short) 0);
        LibC.poll(pollFds, 2, -1);
    }

    @Override
    public void write(ByteBuf src) throws IOException {
        if (!src.hasMemoryAddress()) {
            throw new IllegalArgumentException("TUN writes need a direct buffer with a memory address");
        }
        if (!enter()) {
            throw new IOException("write(" + name + "): the device is closed");
        }
        try {
            writePacket(src);
        } finally {
            exit();
        }
    }

    private void writePacket(ByteBuf src) throws IOException {
        if (fast != null) {
            try {
                fast.writeAddress(src.memoryAddress(), src.readerIndex(), src.writerIndex());
            } catch (IOException e) {
                throw new IOException("write(" + name + "): " + e.getMessage(), e);
            }
            return;
        }
        long n = LibC.write(fd, src.memoryAddress() + src.readerIndex(), src.readableBytes());
        if (n < 0) {
            int err = LibC.errno();
            if (err == Errno.EAGAIN) {
                return; // the kernel's queue is full: drop, as a congested link would
            }
            throw new NativeIoException("write(" + name + ")", err, null);
        }
    }

    /** The TUN file descriptor (for benchmarks and diagnostics). */
    public int fd() {
        return fd;
    }

    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        eventBuf.setLong(0, 1);
        LibC.write(closeEvent, com.sun.jna.Pointer.nativeValue(eventBuf), 8); // wake a waiting reader
        exit(); // the owner's reference: the fds close now, or when the last read/write returns
    }

    private boolean enter() {
        while (true) {
            int r = refs.get();
            if (r == 0) {
                return false;
            }
            if (refs.compareAndSet(r, r + 1)) {
                return true;
            }
        }
    }

    private void exit() {
        if (refs.decrementAndGet() == 0) {
            if (epoll != null) {
                epoll.close();
            }
            quietClose(fd);
            quietClose(ctlSocket);
            quietClose(closeEvent);
        }
    }

    @Override
    public String toString() {
        return "tun " + name;
    }
}
