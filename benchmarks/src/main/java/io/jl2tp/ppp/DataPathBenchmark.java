package io.jl2tp.ppp;

import io.jl2tp.l2tp.wire.DataHeader;
import io.jl2tp.l2tp.wire.L2tpProtocolException;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

import java.util.concurrent.TimeUnit;

/**
 * The data path's codec per packet (issue #14), one thread: encapsulate — the PPP header
 * (FF 03 and a 2-octet protocol, or neither with ACFC and PFC, RFC 1661 §6.5/§6.6) then the
 * L2TP data header (RFC 2661 §3.1, with or without the L bit and Length) written into the
 * headroom of a 1400-octet IPv4 packet in a pooled direct buffer, as the TUN reader does — and
 * decapsulate: the L2TP header decoded ({@link DataHeader#decode}) and the PPP header read
 * ({@link Framing#decode}), as the receiving event loop does. The payload is never copied, as in
 * jl2tp. Score: packets per second (encapsulate + decapsulate of one packet = one op).
 * In package io.jl2tp.ppp for {@link Framing}, which is package-private.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Dio.netty.leakDetection.level=disabled"})
public class DataPathBenchmark {

    /** IPv4 in PPP (RFC 1332). */
    private static final int PPP_IP = 0x0021;
    private static final int HEADROOM = DataHeader.MAX_LENGTH + 4;

    /** ACFC and PFC negotiated: a 1-octet PPP header instead of 4. */
    @Param({"false", "true"})
    public boolean acfcPfc;

    /** The L bit and Length field in the L2TP header (xl2tpd sends it; jl2tp can). */
    @Param({"false", "true"})
    public boolean lengthBit;

    @Param({"1400"})
    public int payload;

    private ByteBuf buf;
    private final DataHeader header = new DataHeader();

    @Setup(Level.Trial)
    public void setUp() {
        buf = PooledByteBufAllocator.DEFAULT.directBuffer(HEADROOM + payload);
        buf.writerIndex(HEADROOM + payload);
        buf.setByte(HEADROOM, 0x45); // an IPv4 header's first octet
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        buf.release();
    }

    @Benchmark
    public void encapsulateDecapsulate(Blackhole bh) throws L2tpProtocolException {
        ByteBuf b = buf;
        b.setIndex(HEADROOM, HEADROOM + payload);
        Framing.prepend(b, PPP_IP, acfcPfc, acfcPfc);
        DataHeader.prepend(b, 4711, 815, lengthBit, false, 0, 0);
        DataHeader h = header.decode(b);
        b.readerIndex(h.payloadIndex);
        Framing.Header ppp = Framing.decode(b);
        bh.consume(h.sessionId);
        bh.consume(ppp.protocol());
        bh.consume(ppp.offset());
    }

    @Benchmark
    public void encapsulate(Blackhole bh) {
        ByteBuf b = buf;
        b.setIndex(HEADROOM, HEADROOM + payload);
        Framing.prepend(b, PPP_IP, acfcPfc, acfcPfc);
        DataHeader.prepend(b, 4711, 815, lengthBit, false, 0, 0);
        bh.consume(b.readerIndex());
    }
}
