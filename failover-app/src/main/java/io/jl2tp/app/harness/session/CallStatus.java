package io.jl2tp.app.harness.session;

/**
 * One call as a status snapshot: ids, peer, PPP phase and addresses, traffic counters of its
 * user-space terminator, set-up time, and why it ended (null while it lives). Immutable.
 */
public record CallStatus(int tunnelId, int sessionId, int peerSessionId, String peerName, String phase, String ipv4Local,
                         String ipv4Remote, String ipv6Remote, long setupMillis, long rxPackets, long rxOctets,
                         long txPackets, long txOctets, long echoAnswered, long echoRepliesReceived, String downCause) {

    /** A snapshot of {@code c} (event loop). */
    public static CallStatus of(HarnessCall c) {
        long[] n = c.plane().counters();
        var ip = c.ip();
        var ip6 = c.ip6();
        long setup = c.setupNanos();
        return new CallStatus(c.session().tunnel().localId(), c.session().localId(), c.session().peerId(), c.peerName(),
                c.phase(), ip == null ? null : ip.local().getHostAddress(), ip == null ? null : ip.remote().getHostAddress(),
                ip6 == null ? null : io.jl2tp.ppp.PppLink.compact(ip6.remoteLinkLocal()), setup < 0 ? -1 : setup / 1_000_000,
                n[0], n[1], n[2], n[3], n[4], n[5], c.downCause());
    }

    /** True once IPCP came up and the call has not ended. */
    public boolean up() {
        return ipv4Local != null && downCause == null;
    }
}
