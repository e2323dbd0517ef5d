package io.jl2tp.l2tp.tunnel;

import io.jl2tp.testkit.VirtualScheduler;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.UnpooledByteBufAllocator;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;

/**
 * Two endpoints (a LAC at 198.51.100.1:40000 and an LNS at 198.51.100.2:1701) joined by an
 * impaired virtual link on one {@link VirtualScheduler}: each datagram is delayed by 10 ms plus
 * a random jitter (which reorders), dropped or duplicated with the given probabilities.
 */
final class VirtualPair {

    static final InetSocketAddress LAC_ADDR = new InetSocketAddress("198.51.100.1", 40000);
    static final InetSocketAddress LNS_ADDR = new InetSocketAddress("198.51.100.2", 1701);

    final VirtualScheduler clock = new VirtualScheduler();
    final Random random;
    double loss;
    double duplication;
    long jitterMs;
    boolean cut;
    final List<ByteBuf> lacSent = new ArrayList<>();
    final List<ByteBuf> lnsSent = new ArrayList<>();
    boolean record;
    final L2tpEndpoint lac;
    final L2tpEndpoint lns;
    final List<L2tpEvent> lacEvents = new ArrayList<>();
    final List<L2tpEvent> lnsEvents = new ArrayList<>();

    VirtualPair(long seed) {
        this.random = new Random(seed);
        UnpooledByteBufAllocator alloc = new UnpooledByteBufAllocator(false, true);
        L2tpEndpoint[] box = new L2tpEndpoint[2];
        lac = new L2tpEndpoint(clock, clock.nanoClock(), alloc, (buf, to) -> carry(buf, LAC_ADDR, box[1], lacSent),
                new Random(seed + 1));
        lns = new L2tpEndpoint(clock, clock.nanoClock(), alloc, (buf, to) -> carry(buf, LNS_ADDR, box[0], lnsSent),
                new Random(seed + 2));
        box[0] = lac;
        box[1] = lns;
    }

    private void carry(ByteBuf buf, InetSocketAddress from, L2tpEndpoint to, List<ByteBuf> log) {
        if (record) {
            log.add(buf.copy());
        }
        if (cut || random.nextDouble() < loss) {
            buf.release();
            return;
        }
        if (random.nextDouble() < duplication) {
            ByteBuf dup = buf.copy();
            clock.schedule(() -> to.datagram(dup, from), 10 + jitter(), TimeUnit.MILLISECONDS);
        }
        clock.schedule(() -> to.datagram(buf, from), 10 + jitter(), TimeUnit.MILLISECONDS);
    }

    private long jitter() {
        return jitterMs == 0 ? 0 : (long) (random.nextDouble() * jitterMs);
    }

    void impair(double loss, double duplication, long jitterMs) {
        this.loss = loss;
        this.duplication = duplication;
        this.jitterMs = jitterMs;
    }

    void run(long millis) {
        clock.advance(millis, TimeUnit.MILLISECONDS);
    }

    <T extends L2tpEvent> List<T> events(List<L2tpEvent> all, Class<T> type) {
        return all.stream().filter(type::isInstance).map(type::cast).toList();
    }

    void releaseRecorded() {
        lacSent.forEach(ByteBuf::release);
        lnsSent.forEach(ByteBuf::release);
        lacSent.clear();
        lnsSent.clear();
    }
}
