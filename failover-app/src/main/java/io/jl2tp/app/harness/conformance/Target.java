package io.jl2tp.app.harness.conformance;

import java.net.InetSocketAddress;
import java.time.Duration;

/**
 * The LNS under test and what the harness LAC needs to talk to it.
 *
 * @param lns          the LNS's UDP address; in the {@code --lac} suite the address the harness listens on
 * @param tunnelSecret the L2TP tunnel secret (§5.1.1, §4.3), or null: the scenarios that need one are skipped
 * @param user         the PPP user name
 * @param password     the PPP user's secret (CHAP, PAP); never logged
 * @param reply        how long to wait for an answer the LNS owes at once (default 3 s)
 */
public record Target(InetSocketAddress lns, byte[] tunnelSecret, String user, byte[] password, Duration reply) {

    /** True if a tunnel secret was given. */
    public boolean hasSecret() {
        return tunnelSecret != null && tunnelSecret.length > 0;
    }

    @Override
    public String toString() {
        return "Target[" + lns + ", user " + user + (hasSecret() ? ", tunnel secret ***" : "") + "]";
    }
}
