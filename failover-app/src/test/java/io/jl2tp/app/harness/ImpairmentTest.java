package io.jl2tp.app.harness;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The impairment's decisions, checked statistically with a fixed seed: 10 000 datagrams, and
 * each rate within three standard deviations of the binomial (or uniform) expectation. Time is
 * passed in, so nothing here depends on the machine's speed.
 */
class ImpairmentTest {

    private static final int N = 10_000;
    private static final long MS = 1_000_000L;

    /** What came out: the items in order, their release times, the drops. */
    private static final class Recorder implements Impairment.Sink<Integer> {
        final List<Integer> order = new ArrayList<>();
        final List<Long> delays = new ArrayList<>();
        final Map<Impairment.Drop, Integer> drops = new HashMap<>();
        final List<Long> releases = new ArrayList<>();
        long now;

        @Override
        public void send(Integer item, long at) {
            assertTrue(at >= now, "released in the past");
            order.add(item);
            delays.add(at - now);
            releases.add(at);
        }

        @Override
        public void drop(Integer item, Impairment.Drop why) {
            drops.merge(why, 1, Integer::sum);
        }
    }

    private static Recorder run(Impairment.Profile p, long seed, int n, long spacingNanos, int length) {
        Impairment<Integer> imp = new Impairment<>(p, seed, i -> i);
        Recorder r = new Recorder();
        for (int i = 0; i < n; i++) {
            r.now = i * spacingNanos;
            imp.offer(i, length, r.now, r);
        }
        r.now = n * spacingNanos + 1_000 * MS;
        imp.expire(r.now, r);
        return r;
    }

    private static void within3Sigma(String what, double observed, double n, double p) {
        double mean = n * p;
        double sigma = Math.sqrt(n * p * (1 - p));
        assertTrue(Math.abs(observed - mean) <= 3 * sigma,
                what + ": " + observed + " is not within 3σ of " + mean + " (σ " + sigma + ")");
    }

    @Test
    void lossOfTwentyPercentDropsAboutTwoThousandOfTenThousand() {
        Impairment<Integer> imp = new Impairment<>(Impairment.Profile.NONE.withLoss(20), 42, i -> i);
        Recorder r = new Recorder();
        for (int i = 0; i < N; i++) {
            imp.offer(i, 100, i * MS, r);
        }
        int lost = r.drops.getOrDefault(Impairment.Drop.LOSS, 0);
        within3Sigma("lost", lost, N, 0.2);
        assertEquals(N - lost, r.order.size());
        Impairment.Counters c = imp.counters();
        assertEquals(N, c.received());
        assertEquals(lost, c.lost());
        assertEquals(N - lost, c.forwarded());
        // Losses are independent: the longest run of losses is short (P(run ≥ 10) ≈ 10 000 · 0.2^10 ≈ 0.001).
        int run = 0;
        int longest = 0;
        for (int i = 0, j = 0; i < N; i++) {
            if (j < r.order.size() && r.order.get(j) == i) {
                j++;
                run = 0;
            } else {
                longest = Math.max(longest, ++run);
            }
        }
        assertTrue(longest < 10, "longest run of losses " + longest);
    }

    @Test
    void noLossForwardsEverythingAtOnceAndInOrder() {
        Recorder r = run(Impairment.Profile.NONE, 1, N, MS, 100);
        assertEquals(N, r.order.size());
        for (int i = 0; i < N; i++) {
            assertEquals(i, r.order.get(i));
            assertEquals(0L, r.delays.get(i));
        }
    }

    @Test
    void duplicationOfTenPercentSendsAboutOneThousandSecondCopies() {
        Impairment<Integer> imp = new Impairment<>(Impairment.Profile.NONE.withDuplicate(10), 42, i -> i);
        Recorder r = new Recorder();
        for (int i = 0; i < N; i++) {
            imp.offer(i, 100, i * MS, r);
        }
        long dups = imp.counters().duplicated();
        within3Sigma("duplicated", dups, N, 0.1);
        assertEquals(N + dups, r.order.size());
        assertEquals(N + dups, imp.counters().forwarded());
        // The copies follow their original at once.
        for (int i = 1; i < r.order.size(); i++) {
            assertTrue(r.order.get(i) >= r.order.get(i - 1));
        }
    }

    @Test
    void reorderingHoldsAboutTenPercentAndLetsThreeLaterOnesPass() {
        Impairment<Integer> imp = new Impairment<>(Impairment.Profile.NONE.withReorder(10, 3), 42, i -> i);
        Recorder r = new Recorder();
        for (int i = 0; i < N; i++) {
            r.now = i * MS;
            imp.offer(i, 100, r.now, r);
        }
        r.now = N * MS + 1_000 * MS;
        imp.expire(r.now, r);
        assertEquals(N, r.order.size(), "every datagram comes out once");
        assertEquals(N, r.order.stream().distinct().count());
        // A held datagram comes out after later ones: count those, and how many overtook each.
        int displaced = 0;
        int byDistance = 0;
        for (int pos = 0; pos < r.order.size(); pos++) {
            int item = r.order.get(pos);
            int overtakers = 0;
            for (int k = 0; k < pos; k++) {
                if (r.order.get(k) > item) {
                    overtakers++;
                }
            }
            if (overtakers > 0) {
                displaced++;
                if (overtakers == 3) {
                    byDistance++;
                }
            }
        }
        within3Sigma("reordered", displaced, N, 0.1);
        assertEquals(displaced, imp.counters().reordered());
        // Held ones can be overtaken by another held one released with them; most by exactly the distance.
        assertTrue(byDistance > 0.8 * displaced, byDistance + " of " + displaced + " overtaken by exactly 3");
    }

    @Test
    void aHeldDatagramLeavesAfterTheTimeoutWhenNothingFollows() {
        Impairment<Integer> imp = new Impairment<>(Impairment.Profile.NONE.withReorder(100, 1), 1, i -> i, 200 * MS);
        Recorder r = new Recorder();
        imp.offer(7, 100, 0, r);
        assertTrue(r.order.isEmpty());
        assertEquals(200 * MS, imp.nextDeadline());
        r.now = 199 * MS;
        imp.expire(r.now, r);
        assertTrue(r.order.isEmpty());
        r.now = 200 * MS;
        imp.expire(r.now, r);
        assertEquals(List.of(7), r.order);
        assertEquals(0, imp.counters().reordered(), "nothing overtook it: delayed, not reordered");
        assertEquals(Long.MAX_VALUE, imp.nextDeadline());
    }

    @Test
    void delayOfSixtyPlusMinusTwentyIsUniformOverFortyToEighty() {
        Recorder r = run(Impairment.Profile.NONE.withDelay(60 * MS, 20 * MS), 42, N, MS, 100);
        assertEquals(N, r.delays.size());
        double sum = 0;
        long min = Long.MAX_VALUE;
        long max = 0;
        int[] quarters = new int[4];
        for (long d : r.delays) {
            sum += d;
            min = Math.min(min, d);
            max = Math.max(max, d);
            quarters[(int) Math.min(3, (d - 40 * MS) / (10 * MS))]++;
        }
        double mean = sum / N;
        // Uniform on [40, 80] ms: σ = 20/√3 ms; the mean of 10 000 has σ ≈ 0.115 ms.
        double sigmaMean = 20 * MS / Math.sqrt(3) / Math.sqrt(N);
        assertTrue(Math.abs(mean - 60 * MS) <= 3 * sigmaMean, "mean delay " + mean / MS + " ms");
        assertTrue(min >= 40 * MS && max <= 80 * MS, "range " + min / MS + ".." + max / MS);
        for (int q : quarters) {
            within3Sigma("a quarter of the jitter range", q, N, 0.25);
        }
    }

    @Test
    void theRateLimitSpacesDatagramsAndDropsWhenTheQueueIsFull() {
        // 1 Mbit/s, 1250-octet datagrams: 10 ms each on the wire. Offered every 5 ms (twice the rate).
        Impairment.Profile p = Impairment.Profile.NONE.withRate(1_000_000, 10);
        Impairment<Integer> imp = new Impairment<>(p, 1, i -> i);
        Recorder r = new Recorder();
        int n = 1000;
        for (int i = 0; i < n; i++) {
            r.now = i * 5 * MS;
            imp.offer(i, 1250, r.now, r);
        }
        Impairment.Counters c = imp.counters();
        assertEquals(n, c.forwarded() + c.queueDropped());
        // 5 s of offered traffic at twice the rate: about half gets through (+ burst + queue).
        assertTrue(c.forwarded() >= 495 && c.forwarded() <= 520, "forwarded " + c.forwarded());
        // Once the burst is spent, departures are at least one serialization time apart.
        for (int i = 12; i < r.releases.size(); i++) {
            long gap = r.releases.get(i) - r.releases.get(i - 1);
            assertTrue(gap >= 10 * MS, "gap " + gap / 1e6 + " ms at " + i);
        }
        // In order, and never more than the queue's worth (10 × 10 ms) behind.
        for (int i = 0; i < r.delays.size(); i++) {
            assertTrue(r.delays.get(i) <= 101 * MS, "queued " + r.delays.get(i) / 1e6 + " ms");
        }
    }

    @Test
    void underTheRateNothingIsQueuedOrDropped() {
        Impairment.Profile p = Impairment.Profile.NONE.withRate(1_000_000, 10);
        Recorder r = run(p, 1, 1000, 20 * MS, 1250); // half the rate
        assertEquals(1000, r.order.size());
        assertTrue(r.delays.stream().allMatch(d -> d == 0L));
    }

    @Test
    void theSameSeedGivesTheSameDecisionsAndAnotherSeedOthers() {
        Impairment.Profile p = new Impairment.Profile(20, 5, 5, 2, 60 * MS, 20 * MS, 0, 100);
        Recorder a = run(p, 7, N, MS, 100);
        Recorder b = run(p, 7, N, MS, 100);
        Recorder c = run(p, 8, N, MS, 100);
        assertEquals(a.order, b.order);
        assertEquals(a.releases, b.releases);
        assertNotEquals(a.order, c.order);
    }

    @Test
    void turningDuplicationOnDoesNotChangeWhichDatagramsAreLost() {
        Recorder plain = run(Impairment.Profile.NONE.withLoss(20), 9, N, MS, 100);
        Recorder dup = run(Impairment.Profile.NONE.withLoss(20).withDuplicate(30), 9, N, MS, 100);
        assertEquals(plain.order, dup.order.stream().distinct().toList());
    }

    @Test
    void badProfilesAreRefusedWithTheReason() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Impairment.Profile.NONE.withLoss(101)).getMessage()
                .contains("loss must be a percentage"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Impairment.Profile.NONE.withDelay(10 * MS, 20 * MS))
                .getMessage().contains("jitter"));
        assertThrows(IllegalArgumentException.class, () -> Impairment.Profile.NONE.withReorder(5, 0));
        assertThrows(IllegalArgumentException.class, () -> Impairment.Profile.NONE.withRate(-1, 10));
        assertThrows(IllegalArgumentException.class, () -> Impairment.Profile.NONE.withLoss(Double.NaN));
    }
}
