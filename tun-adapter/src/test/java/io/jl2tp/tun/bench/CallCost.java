package io.jl2tp.tun.bench;

import com.sun.jna.Library;
import com.sun.jna.Memory;
import com.sun.jna.Native;
import io.jl2tp.tun.linux.LibC;

/**
 * Cost of one native call on the packet path: write(2) of one octet to /dev/null through
 * (a) JNA interface mapping, (b) JNA direct mapping, (c) Netty's JNI unix.FileDescriptor.
 * The syscall is the same in all three; the differences are the binding's own overhead.
 * Not a test: run by tun-adapter/bench/run-call-cost.sh.
 */
public final class CallCost {

    /** Interface mapping, for comparison only. */
    public interface CLib extends Library {
        long write(int fd, com.sun.jna.Pointer buf, long count);
    }

    private CallCost() {
    }

    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 2_000_000;
        int fd = LibC.open("/dev/null", LibC.O_RDWR);
        Memory one = new Memory(1);
        long addr = com.sun.jna.Pointer.nativeValue(one);
        CLib iface = Native.load("c", CLib.class);
        io.netty.channel.epoll.Epoll.ensureAvailability();
        io.netty.channel.unix.FileDescriptor nfd = new io.netty.channel.unix.FileDescriptor(fd);
        for (int round = 0; round < 3; round++) {
            long t0 = System.nanoTime();
            for (int i = 0; i < n; i++) {
                iface.write(fd, one, 1);
            }
            long t1 = System.nanoTime();
            for (int i = 0; i < n; i++) {
                LibC.write(fd, addr, 1);
            }
            long t2 = System.nanoTime();
            for (int i = 0; i < n; i++) {
                nfd.writeAddress(addr, 0, 1);
            }
            long t3 = System.nanoTime();
            System.out.printf("round %d: JNA interface %.0f ns/call, JNA direct %.0f ns/call, Netty JNI %.0f ns/call%n",
                    round + 1, (t1 - t0) / (double) n, (t2 - t1) / (double) n, (t3 - t2) / (double) n);
        }
        LibC.close(fd);
    }
}
