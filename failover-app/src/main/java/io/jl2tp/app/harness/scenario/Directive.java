package io.jl2tp.app.harness.scenario;

import java.time.Duration;

/** One line of a scenario file: a misbehaviour the harness keeps up, or an {@link Action} on cue. */
public sealed interface Directive {

    /** Never sends the first transmission of the n-th control message of each tunnel (Ns = n-1); §5.8 retransmission repairs it. */
    record DropControl(int n) implements Directive {
    }

    /** Holds the first transmission of the n-th control message of each tunnel for {@code delay}. */
    record DelayControl(int n, Duration delay) implements Directive {
    }

    /** Sends the n-th control message of each tunnel twice (§5.8: the peer must acknowledge and discard the duplicate). */
    record DuplicateControl(int n) implements Directive {
    }

    /** Holds the n-th control message of each tunnel until the next one has gone (at most 200 ms): a reordered pair. */
    record ReorderControl(int n) implements Directive {
    }

    /** Never sends a ZLB acknowledgement (§5.8): the peer has to rely on piggybacked Nr or retransmit. */
    record WithholdZlb() implements Directive {
    }

    /** Refuses PPP authentication of every peer (LNS), or authenticates with a wrong secret (LAC). */
    record AuthReject() implements Directive {
    }

    /** Answers every LCP Configure-Request carrying MRU with a Configure-Nak of another MRU (RFC 1661 §5.3), forever. */
    record NakForeverLcpMru() implements Directive {
    }

    /** Does {@code action} {@code after} this long: tunnel actions after each tunnel is up, session actions after each session is. */
    record After(Duration after, Action action) implements Directive {
    }
}
