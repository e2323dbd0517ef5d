package io.jl2tp.tun.linux;

import io.netty.channel.epoll.Native;
import io.netty.channel.unix.FileDescriptor;

import java.io.IOException;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;

/**
 * A TUN reader's wait: an epoll set of {TUN fd, close eventfd} and epoll_wait(2) through Netty's
 * JNI binding, which costs a fraction of a JNA {@code poll(2)} call (no argument marshalling, no
 * per-call registration of the two fds with the kernel; docs/benchmarks.md "CPU per packet").
 *
 * <p>Netty's blocking {@code epollWait(fd, events, timeout)} and its {@code EpollEventArray} are
 * package-private; they are reached through method handles looked up once (the jar is on the
 * class path, where every package is open). Where that fails — another Netty, a module path —
 * {@link #open} returns null and the reader falls back to {@code poll(2)} through JNA.
 */
final class EpollWait {

    private static final MethodHandle NEW_ARRAY;
    private static final MethodHandle WAIT;

    static {
        MethodHandle newArray = null;
        MethodHandle waitFor = null;
        try {
            MethodHandles.Lookup l = MethodHandles.privateLookupIn(Native.class, MethodHandles.lookup());
            Class<?> array = Class.forName("io.netty.channel.epoll.EpollEventArray", false, Native.class.getClassLoader());
            newArray = l.findConstructor(array, MethodType.methodType(void.class, int.class))
                    .asType(MethodType.methodType(Object.class, int.class));
            waitFor = l.findStatic(Native.class, "epollWait",
                            MethodType.methodType(int.class, FileDescriptor.class, array, int.class))
                    .asType(MethodType.methodType(int.class, FileDescriptor.class, Object.class, int.class));
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            newArray = null;
        }
        NEW_ARRAY = newArray;
        WAIT = waitFor;
    }

    private final FileDescriptor epollFd;
    /** Netty's EpollEventArray: a direct ByteBuffer, so the garbage collector frees it. */
    private final Object events;

    private EpollWait(FileDescriptor epollFd, Object events) {
        this.epollFd = epollFd;
        this.events = events;
    }

    /** Whether Netty's epoll_wait is reachable here. */
    static boolean available() {
        return NEW_ARRAY != null;
    }

    /** An epoll set watching {@code fds} for input; null if Netty's epoll_wait is not reachable. */
    static EpollWait open(int... fds) {
        if (!available()) {
            return null;
        }
        FileDescriptor ep = null;
        try {
            ep = Native.newEpollCreate();
            for (int fd : fds) {
                Native.epollCtlAdd(ep.intValue(), fd, Native.EPOLLIN);
            }
            return new EpollWait(ep, (Object) NEW_ARRAY.invokeExact(fds.length));
        } catch (Throwable t) {
            if (ep != null) {
                try {
                    ep.close();
                } catch (IOException ignored) {
                    // nothing more to do
                }
            }
            return null;
        }
    }

    /** Blocks until one of the fds is readable (level-triggered: returns at once if one is). */
    void await() throws IOException {
        try {
            int ready = (int) WAIT.invokeExact(epollFd, events, -1);
            assert ready >= 0;
        } catch (IOException | RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IOException("epoll_wait: " + t, t);
        }
    }

    /** Closes the epoll fd; only once no thread can be waiting in {@link #await} any more. */
    void close() {
        try {
            epollFd.close();
        } catch (IOException ignored) {
            // nothing more to do
        }
    }
}
