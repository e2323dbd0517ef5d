package io.jl2tp.l2tp.tunnel;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetSocketAddress;

/**
 * Where a tunnel's peer is, and the source rule of RFC 2661 §8.1: datagrams are accepted only
 * from the peer's address; a LAC follows the port the LNS first answers from (an LNS may reply
 * from another port than 1701), then holds it. Threads: the endpoint's event loop.
 */
final class PeerAddress {

    private static final Logger log = LoggerFactory.getLogger(PeerAddress.class);

    private InetSocketAddress current;
    private boolean portLearned;

    PeerAddress(InetSocketAddress peer, boolean followFirstReplyPort) {
        this.current = peer;
        this.portLearned = !followFirstReplyPort;
    }

    InetSocketAddress current() {
        return current;
    }

    /** True if a datagram from {@code sender} may belong to the tunnel. */
    boolean accepts(InetSocketAddress sender, String logPrefix) {
        if (!sender.getAddress().equals(current.getAddress())) {
            return false;
        }
        if (!portLearned) {
            if (sender.getPort() != current.getPort()) {
                log.info("{}LNS answered from port {}; following it (RFC 2661 §8.1)", logPrefix, sender.getPort());
                current = sender;
            }
            portLearned = true;
            return true;
        }
        return sender.getPort() == current.getPort();
    }
}
