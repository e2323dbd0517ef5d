package io.jl2tp.harness.junit;

import io.jl2tp.app.harness.lac.HarnessLac;
import io.jl2tp.app.harness.lns.HarnessLns;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A harness LNS or LAC that {@link L2tpHarnessExtension} started for one test parameter: its
 * port, its status, the control commands of {@code jl2tp harness lns/lac} (RFC 2661 StopCCN,
 * CDN, … with chosen result codes) and the underlying {@link HarnessLns} or {@link HarnessLac}.
 *
 * <p>Threads: any; the harness runs its own event loop and every method hands its work to it.
 */
public final class RunningHarness implements AutoCloseable {

    private final L2tpHarness.Role role;
    private final HarnessLns lns;
    private final HarnessLac lac;
    private final Path pcap;

    RunningHarness(HarnessLns lns, Path pcap) {
        this.role = L2tpHarness.Role.LNS;
        this.lns = lns;
        this.lac = null;
        this.pcap = pcap;
    }

    RunningHarness(HarnessLac lac, Path pcap) {
        this.role = L2tpHarness.Role.LAC;
        this.lns = null;
        this.lac = lac;
        this.pcap = pcap;
    }

    public L2tpHarness.Role role() {
        return role;
    }

    /** The local UDP port: where a LAC under test sends (LNS), or where the LNS's replies go (LAC). */
    public int port() {
        return lns != null ? lns.port() : lac.port();
    }

    /** The LNS's bound address (loopback by default); for a LAC, loopback and its port. */
    public InetSocketAddress address() {
        return lns != null ? lns.localAddress() : new InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), lac.port());
    }

    /** The status as the control socket prints it (tunnels, sessions, PPP up, echoes; one line per call). */
    public String status() {
        return lns != null ? HarnessLns.describe(lns.status()) : lac.command("status");
    }

    /** A control-socket command, e.g. {@code "stopccn result 6"} or {@code "cdn result 3 error 0"}; its reply. */
    public String command(String line) {
        return lns != null ? lns.command(line) : lac.command(line);
    }

    /** The harness LNS (for a LAC parameter: an {@link IllegalStateException}). */
    public HarnessLns lns() {
        if (lns == null) {
            throw new IllegalStateException("this parameter is a harness LAC, not an LNS");
        }
        return lns;
    }

    /** The harness LAC (for an LNS parameter: an {@link IllegalStateException}). */
    public HarnessLac lac() {
        if (lac == null) {
            throw new IllegalStateException("this parameter is a harness LNS, not a LAC");
        }
        return lac;
    }

    /** Where the pcap is written while the test runs; kept only if the test fails. */
    public Path pcap() {
        return pcap;
    }

    /** LNS: waits until at least {@code n} sessions have IPCP up; a {@link TimeoutException} with the status otherwise. */
    public HarnessLns.Status awaitSessionsUp(int n, Duration timeout) throws InterruptedException, TimeoutException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            HarnessLns.Status s = lns().status();
            if (s.sessionsUp() >= n) {
                return s;
            }
            if (System.nanoTime() > deadline) {
                throw new TimeoutException(n + " session(s) not up after " + timeout.toMillis() + " ms:\n" + HarnessLns.describe(s));
            }
            TimeUnit.MILLISECONDS.sleep(20);
        }
    }

    /** LAC: waits until every call is up (and pinged) or has failed, at most {@code timeout}; the result. */
    public HarnessLac.Result awaitSettled(Duration timeout) throws InterruptedException {
        return lac().awaitSettled(timeout);
    }

    /** Hangs up (StopCCN) and closes the socket and the pcap. Idempotent. */
    @Override
    public void close() {
        if (lns != null) {
            lns.close();
        } else {
            lac.close();
        }
    }
}
