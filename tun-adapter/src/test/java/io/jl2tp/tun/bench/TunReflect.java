package io.jl2tp.tun.bench;

import io.jl2tp.tun.linux.LinuxTunDevice;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;

/**
 * The Java side of the TUN packet-path benchmark (tun-adapter/bench/run-tun-bench.sh): the same
 * work as {@code tunbench reflect} — read each packet from the TUN and write it back — through
 * {@link LinuxTunDevice}, into one pooled direct buffer with 64 octets of headroom (as the dialer
 * uses it). Not a test: run by the script.
 */
public final class TunReflect {

    private TunReflect() {
    }

    public static void main(String[] args) throws Exception {
        String name = args[0];
        double seconds = Double.parseDouble(args[1]);
        try (LinuxTunDevice tun = LinuxTunDevice.open(name, false)) {
            System.out.println("ready");
            System.out.flush();
            ByteBuf buf = PooledByteBufAllocator.DEFAULT.directBuffer(65536 + 64);
            long packets = 0;
            long start = 0;
            long end = 0;
            while (true) {
                buf.clear().writerIndex(64).readerIndex(64);
                int n = tun.read(buf);
                if (n < 0) {
                    break;
                }
                if (start == 0) {
                    start = System.nanoTime();
                    end = start + (long) (seconds * 1e9);
                }
                tun.write(buf);
                packets++;
                if ((packets & 1023) == 0 && System.nanoTime() >= end) {
                    break;
                }
            }
            double t = (System.nanoTime() - start) / 1e9;
            System.out.printf("packets=%d seconds=%.3f pps=%.0f%n", packets, t, packets / t);
            buf.release();
        }
    }
}
