package io.jl2tp.tun.testing;

import io.jl2tp.tun.TunDevice;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * An in-memory {@link TunDevice} for tests of the modules above the kernel (the idea of
 * wireguard-go's {@code tuntest.ChannelTUN}): {@link #inject} plays the kernel routing a packet
 * into the interface; {@link #takeWritten} returns what the program wrote back.
 */
public final class MemoryTun implements TunDevice {

    private static final byte[] CLOSED = new byte[0];
    private final String name;
    private final int mtu;
    private final BlockingQueue<byte[]> toProgram = new LinkedBlockingQueue<>();
    private final BlockingQueue<byte[]> fromProgram = new LinkedBlockingQueue<>();
    private volatile boolean closed;

    public MemoryTun(String name, int mtu) {
        this.name = name;
        this.mtu = mtu;
    }

    /** The "kernel" sends {@code packet} into the interface. */
    public void inject(byte[] packet) {
        toProgram.add(packet.clone());
    }

    /** The next packet the program wrote, waiting up to {@code millis}; null if none. */
    public byte[] takeWritten(long millis) throws InterruptedException {
        return fromProgram.poll(millis, TimeUnit.MILLISECONDS);
    }

    @Override
    public int read(ByteBuf dst) {
        try {
            byte[] p = closed ? CLOSED : toProgram.take();
            if (p == CLOSED) {
                return -1;
            }
            dst.writeBytes(p, 0, Math.min(p.length, dst.writableBytes()));
            return p.length;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    @Override
    public void write(ByteBuf src) {
        byte[] p = new byte[src.readableBytes()];
        src.getBytes(src.readerIndex(), p);
        fromProgram.add(p);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public int mtu() {
        return mtu;
    }

    @Override
    public void close() {
        closed = true;
        toProgram.add(CLOSED);
    }

    /** A heap buffer holding {@code packet}, for convenience in tests. */
    public static ByteBuf wrap(byte[] packet) {
        return Unpooled.wrappedBuffer(packet);
    }
}
