package io.jl2tp.app.harness.scenario;

import java.util.ArrayList;
import java.util.List;

/**
 * A harness scenario: the misbehaviour of a harness LNS or LAC, from flags or a file in this
 * format — one directive per line, {@code #} starts a comment, words are separated by blanks,
 * a message is in double quotes:
 *
 * <pre>
 * drop control N                 never send the first transmission of each tunnel's N-th control message
 * delay control N TIME           hold it for TIME (500ms, 2s, 1.5s)
 * duplicate control N            send it twice
 * reorder control N              send it after the (N+1)-th
 * withhold-zlb                   never send a ZLB acknowledgement
 * auth reject                    LNS: fail every PPP authentication; LAC: authenticate with a wrong secret
 * nak-forever lcp mru            Configure-Nak every MRU the peer asks for
 * [after TIME] stopccn result R [error E] ["message"]
 * [after TIME] cdn result R [error E] [disconnect CODE] [q931 CAUSE] ["message"]
 * [after TIME] lcp-terminate ["message"]
 * [after TIME] send sli|wen|csurq|hello|unknown-mbit-avp
 * </pre>
 *
 * Tunnel actions (stopccn, send csurq/hello/unknown-mbit-avp) count TIME from each tunnel's
 * establishment, session actions (cdn, lcp-terminate, send sli/wen) from each session's. The
 * N-th control message is the one with Ns = N-1 (§5.8): the SCCRQ or SCCRP is the first.
 *
 * <p>Immutable; any thread.
 */
public record Scenario(List<Directive> directives) {

    /** No misbehaviour. */
    public static final Scenario NONE = new Scenario(List.of());

    public Scenario {
        directives = List.copyOf(directives);
    }

    /** This scenario plus {@code more}. */
    public Scenario plus(List<Directive> more) {
        List<Directive> all = new ArrayList<>(directives);
        all.addAll(more);
        return new Scenario(all);
    }

    /** True if some directive is of {@code type}. */
    public boolean has(Class<? extends Directive> type) {
        return directives.stream().anyMatch(type::isInstance);
    }

    /** The directives of {@code type}. */
    public <T extends Directive> List<T> all(Class<T> type) {
        return directives.stream().filter(type::isInstance).map(type::cast).toList();
    }

    /** The timed actions that act on tunnels. */
    public List<Directive.After> tunnelActions() {
        return all(Directive.After.class).stream().filter(a -> isTunnelAction(a.action())).toList();
    }

    /** The timed actions that act on sessions. */
    public List<Directive.After> sessionActions() {
        return all(Directive.After.class).stream().filter(a -> !isTunnelAction(a.action())).toList();
    }

    /** True for actions on tunnels: StopCCN and the tunnel-scoped messages. */
    public static boolean isTunnelAction(Action a) {
        return a instanceof Action.StopCcn || a instanceof Action.Send s
                && (s.kind() == Action.Kind.CSURQ || s.kind() == Action.Kind.HELLO || s.kind() == Action.Kind.UNKNOWN_MBIT_AVP);
    }

}
