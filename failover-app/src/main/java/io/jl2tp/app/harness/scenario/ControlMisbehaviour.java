package io.jl2tp.app.harness.scenario;

import io.jl2tp.l2tp.tunnel.DatagramSink;
import io.netty.buffer.ByteBuf;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * The outbound half of a {@link Scenario}: a {@link DatagramSink} in front of the socket that
 * drops, delays, duplicates or reorders the first transmission of each tunnel's n-th control
 * message, or withholds ZLBs. It reads only the L2TP header (RFC 2661 §3.1: T, L, S bits,
 * Tunnel ID, Ns) — and, for the SCCRQ sent to Tunnel ID 0, its plain Assigned Tunnel ID AVP
 * (§4.4.3) to tell one tunnel's SCCRQ from another's. Data messages pass untouched.
 *
 * <p>Threads: the event loop only (every harness send happens there); the counters are readable
 * from any thread.
 */
public final class ControlMisbehaviour implements DatagramSink {

    private static final long REORDER_HOLD_MS = 200;

    private record Key(InetSocketAddress peer, int tunnelId, int assigned) {
    }

    private final DatagramSink next;
    private final ScheduledExecutorService loop;
    private final Map<Directive, Set<Key>> done = new HashMap<>();
    private final List<Directive> perMessage = new ArrayList<>();
    private final boolean withholdZlb;
    private final Map<Key, Held> held = new HashMap<>();
    /** Datagrams this filter dropped, delayed, duplicated or reordered, and ZLBs withheld. */
    public final LongAdder dropped = new LongAdder();
    public final LongAdder delayed = new LongAdder();
    public final LongAdder duplicated = new LongAdder();
    public final LongAdder reordered = new LongAdder();
    public final LongAdder zlbsWithheld = new LongAdder();

    private record Held(ByteBuf buf, InetSocketAddress to, ScheduledFuture<?> timer) {
    }

    /** The counters by name (dropped, delayed, duplicated, reordered, zlbs-withheld), sorted. */
    public java.util.Map<String, Long> counters() {
        return new java.util.TreeMap<>(java.util.Map.of("dropped", dropped.sum(), "delayed", delayed.sum(),
                "duplicated", duplicated.sum(), "reordered", reordered.sum(), "zlbs-withheld", zlbsWithheld.sum()));
    }

    public ControlMisbehaviour(Scenario scenario, ScheduledExecutorService loop, DatagramSink next) {
        this.next = next;
        this.loop = loop;
        for (Directive d : scenario.directives()) {
            if (d instanceof Directive.DropControl || d instanceof Directive.DelayControl
                    || d instanceof Directive.DuplicateControl || d instanceof Directive.ReorderControl) {
                perMessage.add(d);
                done.put(d, new HashSet<>());
            }
        }
        this.withholdZlb = scenario.has(Directive.WithholdZlb.class);
    }

    /** True if the scenario has nothing for this filter to do (the socket can skip it). */
    public boolean idle() {
        return perMessage.isEmpty() && !withholdZlb;
    }

    @Override
    public void send(ByteBuf buf, InetSocketAddress to) {
        int r = buf.readerIndex();
        if (buf.readableBytes() < 12 || (buf.getByte(r) & 0x80) == 0) {
            next.send(buf, to); // a data message (T bit clear), or too short to be control
            return;
        }
        int length = buf.getUnsignedShort(r + 2);
        int tunnelId = buf.getUnsignedShort(r + 4);
        int ns = buf.getUnsignedShort(r + 8);
        if (length == 12) { // ZLB (§5.8)
            if (withholdZlb) {
                zlbsWithheld.increment();
                buf.release();
                return;
            }
            release(new Key(to, tunnelId, tunnelId == 0 ? assignedTunnelId(buf) : 0));
            next.send(buf, to);
            return;
        }
        Key key = new Key(to, tunnelId, tunnelId == 0 ? assignedTunnelId(buf) : 0);
        Held before = held.remove(key);
        for (Directive d : perMessage) {
            if (ns != nth(d) - 1 || !done.get(d).add(key)) {
                continue;
            }
            if (d instanceof Directive.DropControl) {
                dropped.increment();
                buf.release();
                flush(before);
                return;
            }
            if (d instanceof Directive.DelayControl x) {
                delayed.increment();
                loop.schedule(() -> next.send(buf, to), x.delay().toMillis(), TimeUnit.MILLISECONDS);
                flush(before);
                return;
            }
            if (d instanceof Directive.DuplicateControl) {
                duplicated.increment();
                next.send(buf.retainedDuplicate(), to);
            } else if (d instanceof Directive.ReorderControl) {
                reordered.increment();
                ScheduledFuture<?> t = loop.schedule(() -> release(key), REORDER_HOLD_MS, TimeUnit.MILLISECONDS);
                held.put(key, new Held(buf, to, t));
                flush(before);
                return;
            }
        }
        next.send(buf, to);
        flush(before); // the held message leaves after the one that overtook it
    }

    private static int nth(Directive d) {
        if (d instanceof Directive.DropControl x) {
            return x.n();
        }
        if (d instanceof Directive.DelayControl x) {
            return x.n();
        }
        if (d instanceof Directive.DuplicateControl x) {
            return x.n();
        }
        return ((Directive.ReorderControl) d).n();
    }

    private void release(Key key) {
        flush(held.remove(key));
    }

    private void flush(Held h) {
        if (h != null) {
            h.timer().cancel(false);
            next.send(h.buf(), h.to());
        }
    }

    /** The Assigned Tunnel ID of an SCCRQ, if sent in the clear (else 0). */
    private static int assignedTunnelId(ByteBuf buf) {
        int r = buf.readerIndex();
        int end = r + Math.min(buf.readableBytes(), buf.getUnsignedShort(r + 2));
        int p = r + 12;
        while (p + 6 <= end) {
            int flags = buf.getUnsignedShort(p);
            int len = flags & 0x3ff;
            if (len < 6 || p + len > end) {
                return 0;
            }
            boolean hidden = (flags & 0x4000) != 0;
            if (buf.getUnsignedShort(p + 2) == 0 && buf.getUnsignedShort(p + 4) == 9 && len == 8 && !hidden) {
                return buf.getUnsignedShort(p + 6);
            }
            p += len;
        }
        return 0;
    }
}
