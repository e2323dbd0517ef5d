package io.jl2tp.app.harness.lac;

import io.jl2tp.app.harness.session.CallStatus;
import io.jl2tp.app.harness.session.StreamReport;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The load generator spread over several event loops: {@link HarnessLacConfig#loops} harness
 * LACs, each with its own UDP socket and event-loop thread and a share of the tunnels, of the
 * attempt rate and of the cap on calls in set-up ({@link HarnessLacConfig#shard}), reported as
 * one {@link HarnessLac.Result}. One loop runs every tunnel, call and PPP automaton of its share;
 * with one per core the generator is no longer bound to one thread (issue 13). With one loop it
 * is a plain {@link HarnessLac}.
 *
 * <p>Threads: any; each shard runs its work on its own loop.
 */
public final class LacShards implements AutoCloseable {

    private final List<HarnessLac> shards;
    private volatile HarnessLac.Result last; // the result at close

    private LacShards(List<HarnessLac> shards) {
        this.shards = shards;
    }

    /** Starts min(loops, tunnels) LACs; returns at once. If one cannot start, the others are closed. */
    public static LacShards start(HarnessLacConfig config) throws IOException, InterruptedException {
        int n = Math.min(config.loops, config.tunnels);
        List<HarnessLac> started = new ArrayList<>();
        try {
            for (int i = 0; i < n; i++) {
                started.add(HarnessLac.start(n == 1 ? config : config.shard(i, n)));
            }
        } catch (IOException | InterruptedException | RuntimeException e) {
            started.forEach(HarnessLac::close);
            throw e;
        }
        return new LacShards(List.copyOf(started));
    }

    /** Event loops in use. */
    public int loops() {
        return shards.size();
    }

    /** Waits until every shard has settled (see {@link HarnessLac#awaitSettled}) or {@code timeout}; then the result. */
    public HarnessLac.Result awaitSettled(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        for (HarnessLac s : shards) {
            s.awaitSettled(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
        }
        return result();
    }

    /** The merged result so far (after {@link #close}: as it was when closing began). */
    public HarnessLac.Result result() {
        HarnessLac.Result r = last;
        if (r != null) {
            return r;
        }
        if (shards.size() == 1) {
            return shards.get(0).result();
        }
        try {
            List<HarnessLac.Result> rs = new ArrayList<>();
            List<HarnessLac.Samples> ss = new ArrayList<>();
            for (HarnessLac s : shards) {
                ss.add(s.samples());
                rs.add(s.result());
            }
            return merge(rs, ss, System.nanoTime());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted");
        } catch (Exception e) {
            throw new IllegalStateException("result: " + e.getMessage(), e);
        }
    }

    /** One result from the shards' results and samples; the set-up rate is over the whole run. */
    static HarnessLac.Result merge(List<HarnessLac.Result> rs, List<HarnessLac.Samples> ss, long nowNanos) {
        int placed = 0;
        int reachedUp = 0;
        int upNow = 0;
        long pingsSent = 0;
        long pingsAnswered = 0;
        long elapsed = 0;
        Map<String, Integer> failures = new TreeMap<>();
        Map<String, Integer> endedAfterUp = new TreeMap<>();
        Map<String, Long> misbehaviour = new TreeMap<>();
        List<CallStatus> calls = new ArrayList<>();
        List<StreamReport.Summary> streams = new ArrayList<>();
        for (HarnessLac.Result r : rs) {
            streams.add(r.streams());
            placed += r.placed();
            reachedUp += r.reachedUp();
            upNow += r.upNow();
            pingsSent += r.pingsSent();
            pingsAnswered += r.pingsAnswered();
            elapsed = Math.max(elapsed, r.elapsedMillis());
            r.failures().forEach((k, v) -> failures.merge(k, v, Integer::sum));
            r.endedAfterUp().forEach((k, v) -> endedAfterUp.merge(k, v, Integer::sum));
            r.misbehaviour().forEach((k, v) -> misbehaviour.merge(k, v, Long::sum));
            calls.addAll(r.calls());
        }
        List<Long> setup = new ArrayList<>();
        List<Long> rtts = new ArrayList<>();
        long start = Long.MAX_VALUE;
        long lastUp = 0;
        for (HarnessLac.Samples s : ss) {
            setup.addAll(s.setupNanos());
            rtts.addAll(s.rttNanos());
            start = Math.min(start, s.startNanos());
            if (s.lastUpNanos() != 0 && (lastUp == 0 || s.lastUpNanos() - lastUp > 0)) {
                lastUp = s.lastUpNanos();
            }
        }
        long end = lastUp == 0 ? nowNanos : lastUp;
        double rate = setup.isEmpty() ? 0 : setup.size() / Math.max(1e-9, (end - start) / 1e9);
        return new HarnessLac.Result(placed, reachedUp, upNow, Map.copyOf(failures), Map.copyOf(endedAfterUp),
                HarnessLac.pct(setup, 50), HarnessLac.pct(setup, 99), rate, pingsSent, pingsAnswered,
                HarnessLac.pct(rtts, 50), HarnessLac.pct(rtts, 99), elapsed, Map.copyOf(misbehaviour), calls,
                StreamReport.merge(streams));
    }

    /**
     * A control command for every shard ({@link HarnessLac#command}): {@code status} and
     * {@code streams} print the merged result; an action's "ok: N tunnels|sessions" replies are summed; an error is the
     * first shard's.
     */
    public String command(String line) {
        if (shards.size() == 1) {
            return shards.get(0).command(line);
        }
        String cmd = line.strip();
        if (cmd.equals("status") || cmd.equals("streams")) {
            try {
                HarnessLac.Result r = result();
                return cmd.equals("status") ? LacReport.text(r, true) : HarnessLac.streamsText(r);
            } catch (IllegalStateException e) {
                return "error: " + e.getMessage();
            }
        }
        int n = 0;
        String unit = null;
        for (HarnessLac s : shards) {
            String reply = s.command(line);
            String[] w = reply.split(" ");
            if (!reply.startsWith("ok: ") || w.length != 3) {
                return reply;
            }
            n += Integer.parseInt(w[1]);
            unit = w[2].endsWith("s") ? w[2].substring(0, w[2].length() - 1) : w[2];
        }
        return "ok: " + n + " " + unit + (n == 1 ? "" : "s");
    }

    /** Hangs up every shard's tunnels and closes their sockets. Idempotent. */
    @Override
    public void close() {
        if (last == null && shards.size() > 1) {
            HarnessLac.Result r;
            try {
                r = result();
            } catch (IllegalStateException e) {
                List<HarnessLac.Result> rs = new ArrayList<>();
                shards.forEach(s -> rs.add(s.result()));
                r = merge(rs, List.of(), System.nanoTime()); // the counts without the samples
            }
            last = r;
        }
        for (HarnessLac s : shards) {
            s.close();
        }
        if (last == null) {
            last = shards.get(0).result(); // one shard: its result at close
        }
    }
}
