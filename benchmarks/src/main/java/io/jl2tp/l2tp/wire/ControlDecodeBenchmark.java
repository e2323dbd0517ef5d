package io.jl2tp.l2tp.wire;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
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
import org.openjdk.jmh.annotations.Warmup;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Control message decode (RFC 2661 §3.1, §4.1), one thread: a full SCCRQ (11 AVPs, as jl2tp
 * sends it) or a ZLB acknowledgement (header only), decoded by {@link L2tpCodec#decodeControl}
 * from the same direct buffer each time. Score: messages per second.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Dio.netty.leakDetection.level=disabled"})
public class ControlDecodeBenchmark {

    @Param({"SCCRQ", "ZLB"})
    public String message;

    private ByteBuf wire;

    @Setup(Level.Trial)
    public void setUp() {
        ControlMessage m;
        if (message.equals("ZLB")) {
            m = ControlMessage.zlb(4711, 3, 5);
        } else {
            List<Avp> avps = new ArrayList<>(List.of(Avp.protocolVersion(), Avp.hostName("router.example"),
                    Avp.framingCapabilities(3), Avp.bearerCapabilities(0), Avp.firmwareRevision(0x0100),
                    Avp.vendorName("jl2tp"), Avp.assignedTunnelId(4711), Avp.receiveWindowSize(16),
                    Avp.tieBreaker(new byte[] {1, 2, 3, 4, 5, 6, 7, 8})));
            m = ControlMessage.of(MessageType.SCCRQ, 0, 0, avps);
        }
        ByteBuf heap = Unpooled.buffer();
        L2tpCodec.encodeControl(m, heap, HiddenAvpContext.NONE);
        wire = Unpooled.directBuffer(heap.readableBytes()).writeBytes(heap);
        heap.release();
    }

    @Benchmark
    public ControlMessage decode() throws L2tpProtocolException {
        wire.readerIndex(0);
        return L2tpCodec.decodeControl(wire, HiddenAvpContext.NONE);
    }
}
