package io.jl2tp.l2tp.tunnel;

import io.jl2tp.l2tp.wire.L2tpProtocolException;

import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAdder;

/**
 * What an endpoint dropped, refused or answered with an error, for metrics and tests. Written
 * by the endpoint's event loop, readable from any thread.
 */
public final class EndpointCounters {

    private final AtomicLongArray malformed = new AtomicLongArray(L2tpProtocolException.Kind.values().length);
    final LongAdder droppedForeign = new LongAdder();
    final LongAdder droppedUnknownTunnel = new LongAdder();
    final LongAdder droppedUnknownSession = new LongAdder();
    final LongAdder protocolErrors = new LongAdder();
    final LongAdder halfOpenTunnelsEvicted = new LongAdder();
    final LongAdder halfOpenCallsEvicted = new LongAdder();
    final LongAdder refusedNoTunnelId = new LongAdder();
    final LongAdder icrqsDeferred = new LongAdder();
    final LongAdder suppressedLogLines = new LongAdder();
    final LongAdder internalErrors = new LongAdder();

    void countMalformed(L2tpProtocolException.Kind kind) {
        malformed.incrementAndGet(kind.ordinal());
    }

    /** Datagrams dropped because decoding failed with {@code kind}. */
    public long malformed(L2tpProtocolException.Kind kind) {
        return malformed.get(kind.ordinal());
    }

    /** Datagrams dropped because decoding failed, all kinds. */
    public long malformedTotal() {
        long n = 0;
        for (int i = 0; i < malformed.length(); i++) {
            n += malformed.get(i);
        }
        return n;
    }

    /**
     * Decoded messages that broke a rule of RFC 2661 §4.1/§6 (unknown M-bit AVP, missing
     * mandatory AVP, unknown message type) and were answered with StopCCN or CDN.
     */
    public long protocolErrors() {
        return protocolErrors.sum();
    }

    /** Half-open tunnels dropped at the caps of {@link EndpointLimits}. */
    public long halfOpenTunnelsEvicted() {
        return halfOpenTunnelsEvicted.sum();
    }

    /** Half-open calls dropped at the per-tunnel cap. */
    public long halfOpenCallsEvicted() {
        return halfOpenCallsEvicted.sum();
    }

    /**
     * Times an ICRQ was deferred (left unacknowledged) because its tunnel had more than
     * {@link EndpointLimits#queuedPerTunnel} messages queued; a retransmission counts again.
     */
    public long icrqsDeferred() {
        return icrqsDeferred.sum();
    }

    /** SCCRQs dropped because all 65 535 Tunnel IDs were in use. */
    public long refusedNoTunnelId() {
        return refusedNoTunnelId.sum();
    }

    /** Log lines caused by peers and suppressed by the rate limit. */
    public long suppressedLogLines() {
        return suppressedLogLines.sum();
    }

    /** Datagrams whose handling failed unexpectedly (a bug; logged, rate-limited). */
    public long internalErrors() {
        return internalErrors.sum();
    }
}
