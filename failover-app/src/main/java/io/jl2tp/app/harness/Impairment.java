package io.jl2tp.app.harness;

import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.SplittableRandom;
import java.util.function.UnaryOperator;

/**
 * What a lossy, slow path does to one direction of a datagram flow — loss, duplication,
 * reordering, delay with jitter and a rate limit — decided by a seeded generator, with no I/O
 * and no clock of its own: the caller passes the time. The same seed and the same sequence of
 * offered datagrams give the same decisions, so a run through the relay can be repeated and
 * the statistics checked in a unit test.
 *
 * <p>Per datagram, in this order (each decision draws from a generator of its own, split from
 * the seed, so turning one feature on does not change the others' decisions):
 * <ol>
 *   <li>loss: dropped with probability {@code loss %};</li>
 *   <li>duplication: a second copy with probability {@code duplicate %};</li>
 *   <li>per copy, reordering: with probability {@code reorder %} the copy is held back until
 *       {@code reorderDistance} later copies have been sent (or {@code reorderTimeout} passes),
 *       then sent after them;</li>
 *   <li>per copy sent, the rate limit: a token bucket of {@code rate} bit/s (burst: 10 ms of
 *       the rate, at least two 1600-octet datagrams) with a FIFO queue of at most
 *       {@code queue} datagrams; a datagram that finds the queue full is dropped (tail drop);</li>
 *   <li>then the propagation delay, {@code delay} ± a uniform {@code jitter}. As with Linux
 *       netem, jitter larger than the gap between datagrams reorders them.</li>
 * </ol>
 * The rate-limit queue and the reorder timeout depend on the times passed in; loss,
 * duplication, the choice of held copies and the jitter depend on the seed and the sequence only.
 *
 * <p>Not thread-safe: one owner thread (the relay's) calls every method.
 *
 * @param <T> the datagram type; {@code copier} makes the duplicate
 */
public final class Impairment<T> {

    /** Longest a held (reordered) copy waits for its successors by default. */
    public static final long DEFAULT_REORDER_TIMEOUT_NANOS = 200_000_000L;

    private static final int MAX_HELD = 64;
    private static final long MIN_BURST_BITS = 2 * 1600 * 8;

    /**
     * One direction's impairment.
     *
     * @param loss            percentage of datagrams dropped, 0–100
     * @param duplicate       percentage of datagrams sent twice, 0–100
     * @param reorder         percentage of copies held back, 0–100
     * @param reorderDistance how many later copies overtake a held one, ≥ 1
     * @param delayNanos      fixed one-way delay, ≥ 0
     * @param jitterNanos     uniform ± variation of the delay, 0 ≤ jitter ≤ delay
     * @param rateBitsPerSec  the rate limit in bit/s, 0 = unlimited
     * @param queue           datagrams the rate limiter queues before it drops, ≥ 1
     */
    public record Profile(double loss, double duplicate, double reorder, int reorderDistance, long delayNanos,
                          long jitterNanos, long rateBitsPerSec, int queue) {

        /** No impairment: every datagram forwarded at once. */
        public static final Profile NONE = new Profile(0, 0, 0, 1, 0, 0, 0, 1000);

        public Profile {
            percentage("loss", loss);
            percentage("duplicate", duplicate);
            percentage("reorder", reorder);
            if (reorderDistance < 1) {
                throw new IllegalArgumentException("reorder distance must be at least 1, not " + reorderDistance);
            }
            if (delayNanos < 0 || jitterNanos < 0) {
                throw new IllegalArgumentException("delay and jitter must not be negative");
            }
            if (jitterNanos > delayNanos) {
                throw new IllegalArgumentException("jitter (" + jitterNanos / 1_000_000.0 + " ms) exceeds the delay ("
                        + delayNanos / 1_000_000.0 + " ms): a datagram cannot leave before it arrived");
            }
            if (rateBitsPerSec < 0) {
                throw new IllegalArgumentException("rate must not be negative");
            }
            if (queue < 1) {
                throw new IllegalArgumentException("queue must hold at least 1 datagram, not " + queue);
            }
        }

        private static void percentage(String what, double v) {
            if (!(v >= 0 && v <= 100)) {
                throw new IllegalArgumentException(what + " must be a percentage from 0 to 100, not " + v);
            }
        }

        /** Copies with one field changed (for building from flags). */
        public Profile withLoss(double v) {
            return new Profile(v, duplicate, reorder, reorderDistance, delayNanos, jitterNanos, rateBitsPerSec, queue);
        }

        public Profile withDuplicate(double v) {
            return new Profile(loss, v, reorder, reorderDistance, delayNanos, jitterNanos, rateBitsPerSec, queue);
        }

        public Profile withReorder(double v, int distance) {
            return new Profile(loss, duplicate, v, distance, delayNanos, jitterNanos, rateBitsPerSec, queue);
        }

        public Profile withDelay(long delay, long jitter) {
            return new Profile(loss, duplicate, reorder, reorderDistance, delay, jitter, rateBitsPerSec, queue);
        }

        public Profile withRate(long bitsPerSec, int queueLimit) {
            return new Profile(loss, duplicate, reorder, reorderDistance, delayNanos, jitterNanos, bitsPerSec, queueLimit);
        }

        @Override
        public String toString() {
            StringBuilder b = new StringBuilder();
            b.append("loss ").append(fmt(loss)).append(" %, duplicate ").append(fmt(duplicate)).append(" %, reorder ")
                    .append(fmt(reorder)).append(" % (distance ").append(reorderDistance).append("), delay ")
                    .append(fmt(delayNanos / 1e6)).append(" ± ").append(fmt(jitterNanos / 1e6)).append(" ms, rate ")
                    .append(rateBitsPerSec == 0 ? "unlimited" : rateBitsPerSec + " bit/s (queue " + queue + ")");
            return b.toString();
        }

        private static String fmt(double d) {
            return d == Math.rint(d) ? Long.toString((long) d) : Double.toString(d);
        }
    }

    /** Why a datagram was not forwarded. */
    public enum Drop {
        /** the random loss */
        LOSS,
        /** the rate limiter's queue was full */
        QUEUE
    }

    /** Where decisions go. */
    public interface Sink<T> {
        /** Send {@code item} at {@code atNanos} (the same time base as the {@code now} passed in; ≥ now). */
        void send(T item, long atNanos);

        /** {@code item} is not forwarded; the sink releases it. */
        void drop(T item, Drop why);
    }

    /** The counters of one direction. */
    public record Counters(long received, long forwarded, long lost, long queueDropped, long duplicated, long reordered,
                           long delayed) {
    }

    private final Profile profile;
    // One generator per decision, so that turning one feature on or off leaves the others' draws alone.
    private final SplittableRandom lossRandom;
    private final SplittableRandom duplicateRandom;
    private final SplittableRandom reorderRandom;
    private final SplittableRandom jitterRandom;
    private final UnaryOperator<T> copier;
    private final long reorderTimeoutNanos;
    private final ArrayDeque<Held<T>> held = new ArrayDeque<>();
    private final long[] queued; // departure times of the datagrams in the rate limiter's queue (a ring)
    private int queueHead;
    private int queueSize;
    private final long burstBits;
    private double tokens;
    private long tokensAt = Long.MIN_VALUE;
    private long linkFreeAt = Long.MIN_VALUE;

    private long received;
    private long forwarded;
    private long lost;
    private long queueDropped;
    private long duplicated;
    private long reordered;
    private long delayed;

    /**
     * @param profile             the impairment
     * @param seed                the generator's seed
     * @param copier              makes an independent copy of a datagram (for duplicates)
     * @param reorderTimeoutNanos the longest a held copy waits for its successors
     */
    public Impairment(Profile profile, long seed, UnaryOperator<T> copier, long reorderTimeoutNanos) {
        this.profile = profile;
        SplittableRandom root = new SplittableRandom(seed);
        this.lossRandom = root.split();
        this.duplicateRandom = root.split();
        this.reorderRandom = root.split();
        this.jitterRandom = root.split();
        this.copier = copier;
        this.reorderTimeoutNanos = reorderTimeoutNanos;
        this.queued = new long[profile.rateBitsPerSec() > 0 ? profile.queue() : 1];
        this.burstBits = Math.max(MIN_BURST_BITS, profile.rateBitsPerSec() / 100);
        this.tokens = burstBits;
    }

    /** With the default reorder timeout. */
    public Impairment(Profile profile, long seed, UnaryOperator<T> copier) {
        this(profile, seed, copier, DEFAULT_REORDER_TIMEOUT_NANOS);
    }

    public Profile profile() {
        return profile;
    }

    /** Decides the fate of one datagram of {@code length} octets that arrived at {@code now}. */
    public void offer(T item, int length, long now, Sink<T> sink) {
        received++;
        boolean lose = lossRandom.nextDouble() * 100 < profile.loss();
        boolean dup = duplicateRandom.nextDouble() * 100 < profile.duplicate();
        if (lose) {
            lost++;
            sink.drop(item, Drop.LOSS);
            return;
        }
        if (dup) {
            duplicated++;
            T copy = copier.apply(item);
            copy(item, length, now, sink);
            copy(copy, length, now, sink);
        } else {
            copy(item, length, now, sink);
        }
    }

    private void copy(T item, int length, long now, Sink<T> sink) {
        boolean hold = reorderRandom.nextDouble() * 100 < profile.reorder();
        if (hold && held.size() < MAX_HELD) {
            held.add(new Held<>(item, length, profile.reorderDistance(), now + reorderTimeoutNanos));
            return;
        }
        transmit(item, length, now, sink);
        // This copy overtook every held one; release those whose distance is reached.
        Iterator<Held<T>> it = held.iterator();
        while (it.hasNext()) {
            Held<T> h = it.next();
            h.passed++;
            if (h.passed >= h.distance) {
                it.remove();
                reordered++;
                transmit(h.item, h.length, now, sink);
            }
        }
    }

    /** Releases held copies whose timeout has passed; call when {@link #nextDeadline()} is due. */
    public void expire(long now, Sink<T> sink) {
        Iterator<Held<T>> it = held.iterator();
        while (it.hasNext()) {
            Held<T> h = it.next();
            if (h.deadline - now <= 0) {
                it.remove();
                if (h.passed > 0) {
                    reordered++;
                }
                transmit(h.item, h.length, now, sink);
            }
        }
    }

    /** The earliest hold timeout, or {@link Long#MAX_VALUE} if nothing is held. */
    public long nextDeadline() {
        long d = Long.MAX_VALUE;
        for (Held<T> h : held) {
            d = Math.min(d, h.deadline);
        }
        return d;
    }

    /** Drops every held copy (the relay is closing). */
    public void clear(Sink<T> sink) {
        for (Held<T> h : held) {
            sink.drop(h.item, Drop.QUEUE);
        }
        held.clear();
    }

    private void transmit(T item, int length, long now, Sink<T> sink) {
        long depart = now;
        if (profile.rateBitsPerSec() > 0) {
            while (queueSize > 0 && queued[queueHead] - now <= 0) {
                queueHead = (queueHead + 1) % queued.length;
                queueSize--;
            }
            long start = Math.max(now, linkFreeAt);
            long bits = length * 8L;
            if (queueSize >= queued.length && start > now) {
                queueDropped++;
                sink.drop(item, Drop.QUEUE);
                return;
            }
            if (tokensAt != Long.MIN_VALUE) {
                tokens = Math.min(burstBits, tokens + (start - tokensAt) * (double) profile.rateBitsPerSec() / 1e9);
            }
            if (tokens >= bits) {
                tokens -= bits;
                depart = start;
            } else {
                depart = start + (long) Math.ceil((bits - tokens) * 1e9 / profile.rateBitsPerSec());
                tokens = 0;
            }
            tokensAt = depart;
            linkFreeAt = depart;
            if (depart > now) {
                queued[(queueHead + queueSize) % queued.length] = depart;
                queueSize++;
            }
        }
        double j = jitterRandom.nextDouble();
        long at = depart + profile.delayNanos();
        if (profile.jitterNanos() > 0) {
            at += Math.round((j * 2 - 1) * profile.jitterNanos());
        }
        if (at > now) {
            delayed++;
        }
        forwarded++;
        sink.send(item, at);
    }

    /** A snapshot of the counters (on the owner thread). */
    public Counters counters() {
        return new Counters(received, forwarded, lost, queueDropped, duplicated, reordered, delayed);
    }

    private static final class Held<T> {
        final T item;
        final int length;
        final int distance;
        final long deadline;
        int passed;

        Held(T item, int length, int distance, long deadline) {
            this.item = item;
            this.length = length;
            this.distance = distance;
            this.deadline = deadline;
        }
    }
}
