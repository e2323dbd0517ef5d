package io.jl2tp.app.harness.session;

import io.jl2tp.app.harness.scenario.Action;
import io.jl2tp.app.harness.scenario.Scenario;
import io.jl2tp.app.harness.scenario.ScenarioException;
import io.jl2tp.app.harness.scenario.ScenarioParser;
import io.jl2tp.l2tp.tunnel.Tunnel;

import java.util.List;
import java.util.concurrent.Callable;

/**
 * The control commands of a harness LNS or LAC (from its control socket or in-process):
 * {@code status}, {@code streams} (the traffic streams' report), or a scenario action — {@code stopccn …}, {@code cdn …}, {@code lcp-terminate},
 * {@code send …} — for every tunnel or call, or, after {@code tunnel ID} / {@code session ID},
 * for that one. Stateless; event loop only.
 */
public final class HarnessControl {

    private HarnessControl() {
    }

    /** Runs {@code line}; returns the reply (one line for actions and errors). */
    public static String run(String line, List<Tunnel> tunnels, List<HarnessCall> calls, Callable<String> status)
            throws Exception {
        return run(line, tunnels, calls, status, () -> "error: no streams (start with --stream)");
    }

    /** {@link #run(String, List, List, Callable)} where {@code streams} answers the command {@code streams}. */
    public static String run(String line, List<Tunnel> tunnels, List<HarnessCall> calls, Callable<String> status,
                             Callable<String> streams) throws Exception {
        String cmd = line.strip();
        if (cmd.equals("status")) {
            return status.call();
        }
        if (cmd.equals("streams")) {
            return streams.call();
        }
        Integer tunnelId = null;
        Integer sessionId = null;
        String[] w = cmd.split("\\s+", 3);
        if (w.length == 3 && (w[0].equals("tunnel") || w[0].equals("session"))) {
            int id;
            try {
                id = Integer.parseInt(w[1]);
            } catch (NumberFormatException e) {
                return "error: '" + w[1] + "' is not a " + w[0] + " id";
            }
            if (w[0].equals("tunnel")) {
                tunnelId = id;
            } else {
                sessionId = id;
            }
            cmd = w[2];
        }
        Action a;
        try {
            a = ScenarioParser.action(cmd, "command");
        } catch (ScenarioException e) {
            return "error: " + e.getMessage().substring("command:1: ".length());
        }
        int n = 0;
        if (Scenario.isTunnelAction(a)) {
            if (sessionId != null) {
                return "error: a tunnel action takes 'tunnel ID', not 'session ID'";
            }
            for (Tunnel t : tunnels) {
                if ((tunnelId == null || t.localId() == tunnelId) && t.state() == Tunnel.State.ESTABLISHED) {
                    Actions.onTunnel(t, a);
                    n++;
                }
            }
            return "ok: " + n + (n == 1 ? " tunnel" : " tunnels");
        }
        for (HarnessCall c : calls) {
            if ((tunnelId == null || c.session().tunnel().localId() == tunnelId)
                    && (sessionId == null || c.session().localId() == sessionId) && c.session().isEstablished()) {
                Actions.onCall(c, a);
                n++;
            }
        }
        return "ok: " + n + (n == 1 ? " session" : " sessions");
    }

    /** One call as a status line. */
    public static String line(CallStatus c) {
        return "tunnel " + c.tunnelId() + " session " + c.sessionId() + " peer-session " + c.peerSessionId()
                + " user " + (c.peerName() == null ? "-" : c.peerName()) + " phase " + c.phase()
                + " ipv4 " + (c.ipv4Remote() == null ? "-" : c.ipv4Local() + "->" + c.ipv4Remote())
                + " ipv6 " + (c.ipv6Remote() == null ? "-" : c.ipv6Remote())
                + " rx " + c.rxPackets() + "/" + c.rxOctets() + " tx " + c.txPackets() + "/" + c.txOctets()
                + " echo " + c.echoAnswered() + (c.downCause() == null ? "" : " down " + c.downCause());
    }
}
