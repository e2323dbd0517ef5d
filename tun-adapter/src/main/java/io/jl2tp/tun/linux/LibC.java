package io.jl2tp.tun.linux;

import com.sun.jna.LastErrorException;
import com.sun.jna.Native;
import com.sun.jna.Pointer;

/**
 * The few libc calls jl2tp needs, bound with JNA <em>direct mapping</em> ({@link Native#register}):
 * primitive and pointer arguments only, no per-call reflection or argument conversion, so the data
 * path's read/write cost a JNI transition and nothing else.
 */
public final class LibC {

    static {
        Native.register(LibC.class, "c");
    }

    private LibC() {
    }

    public static final int O_RDONLY = 0;
    public static final int O_WRONLY = 1;
    public static final int O_RDWR = 2;
    public static final int O_CREAT = 0x40;
    public static final int O_NOFOLLOW = 0x20000;
    public static final int O_NONBLOCK = 0x800;
    public static final int O_CLOEXEC = 0x80000;
    public static final int AF_UNIX = 1;
    public static final int AF_INET = 2;
    public static final int AF_INET6 = 10;
    public static final int AF_NETLINK = 16;
    public static final int SOCK_DGRAM = 2;
    public static final int SOCK_RAW = 3;
    public static final int SOCK_CLOEXEC = 0x80000;
    public static final short POLLIN = 1;
    public static final int EFD_CLOEXEC = 0x80000;
    public static final int EFD_NONBLOCK = 0x800;
    public static final int CLONE_NEWNET = 0x40000000;
    public static final int ENXIO = 6;
    public static final int ELOOP = 40;

    public static native int open(String path, int flags) throws LastErrorException;

    /** open(2) with a creation mode (used with {@link #O_CREAT}). */
    public static native int open(String path, int flags, int mode) throws LastErrorException;

    public static native int close(int fd) throws LastErrorException;

    public static native int ftruncate(int fd, long length) throws LastErrorException;

    public static native int mkfifo(String path, int mode) throws LastErrorException;

    /** setns(2): moves the calling thread into the namespace {@code fd} refers to. */
    public static native int setns(int fd, int nstype) throws LastErrorException;

    public static native int ioctl(int fd, long request, Pointer arg) throws LastErrorException;

    /** read(2) into native memory at {@code address}. */
    public static native long read(int fd, long address, long count);

    /** write(2) from native memory at {@code address}. */
    public static native long write(int fd, long address, long count);

    /** read(2) into a Pointer (setup paths). */
    public static native long read(int fd, Pointer buf, long count) throws LastErrorException;

    /** write(2) from a Pointer (setup and control paths). */
    public static native long write(int fd, Pointer buf, long count) throws LastErrorException;

    public static native int socket(int domain, int type, int protocol) throws LastErrorException;

    public static native int bind(int fd, Pointer addr, int len) throws LastErrorException;

    public static native long send(int fd, Pointer buf, long len, int flags) throws LastErrorException;

    public static native long recv(int fd, Pointer buf, long len, int flags) throws LastErrorException;

    public static native long sendto(int fd, Pointer buf, long len, int flags, Pointer addr, int addrlen)
            throws LastErrorException;

    public static native long recvfrom(int fd, Pointer buf, long len, int flags, Pointer addr, Pointer addrlen)
            throws LastErrorException;

    public static native int setsockopt(int fd, int level, int name, Pointer value, int len) throws LastErrorException;

    public static native int poll(Pointer fds, long nfds, int timeout);

    public static native int eventfd(int initval, int flags) throws LastErrorException;

    public static native int getpid();

    public static native Pointer strerror(int errnum);

    /** The errno of the calling thread's last failed call (JNA preserves it for us). */
    public static int errno() {
        return Native.getLastError();
    }

    /** strerror(3) text for {@code errno}, or "errno N". */
    public static String strerrorText(int errno) {
        try {
            Pointer p = strerror(errno);
            return p == null ? "errno " + errno : p.getString(0);
        } catch (Throwable t) {
            return "errno " + errno;
        }
    }
}
