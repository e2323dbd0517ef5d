package io.jl2tp.app.harness.session;

import io.jl2tp.app.harness.scenario.Action;
import io.jl2tp.l2tp.tunnel.Session;
import io.jl2tp.l2tp.tunnel.Tunnel;
import io.jl2tp.l2tp.wire.Avp;
import io.jl2tp.l2tp.wire.AvpType;
import io.jl2tp.l2tp.wire.AvpValue;
import io.jl2tp.l2tp.wire.ControlMessage;
import io.jl2tp.l2tp.wire.MessageType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Performs a scenario {@link Action} on one tunnel or one call, through l2tp-core's public
 * surface: {@code Tunnel.close(result, …)}, {@code Session.close(result, …, AVPs)} and the
 * tunnel's reliable transport for the extra messages. Stateless; event loop only.
 */
public final class Actions {

    private static final Logger log = LoggerFactory.getLogger(Actions.class);

    /** RFC 3145 §3.1: PPP Disconnect Cause Code AVP. */
    public static final int PPP_DISCONNECT_CAUSE = 46;
    /** RFC 5515: Connect-Speed-Update-Request message type (IANA L2TP registry). */
    public static final int CSURQ = 29;
    /** RFC 5515: Connect Speed Update AVP (IANA L2TP registry), one per session listed in a CSURQ. */
    public static final int CONNECT_SPEED_UPDATE = 97;
    /** An AVP type no L2TP registry assigns, sent with the M bit (RFC 2661 §4.1). */
    public static final int UNKNOWN_AVP = 32_767;

    private Actions() {
    }

    /** Does a tunnel action (StopCCN, CSURQ, HELLO, unknown M-bit AVP) on {@code t}. */
    public static void onTunnel(Tunnel t, Action a) {
        if (t.state() != Tunnel.State.ESTABLISHED) {
            return;
        }
        if (a instanceof Action.StopCcn s) {
            log.info("tunnel {}: sending StopCCN result {} error {}", t.localId(), s.result(), s.error());
            t.close(s.result(), s.error(), s.message() == null ? "harness: stopccn" : s.message());
        } else if (a instanceof Action.Send s) {
            List<Avp> avps = new ArrayList<>();
            MessageType type = MessageType.HELLO;
            switch (s.kind()) {
                case CSURQ -> {
                    type = MessageType.valueOf(CSURQ);
                    for (Session x : t.sessions()) {
                        if (x.isEstablished()) {
                            avps.add(new Avp(0, CONNECT_SPEED_UPDATE, false, false, 0,
                                    new AvpValue.Raw(new byte[] {0, 0, (byte) (x.peerId() >> 8), (byte) x.peerId()}), null));
                        }
                    }
                }
                case UNKNOWN_MBIT_AVP -> avps.add(new Avp(0, UNKNOWN_AVP, true, false, 0,
                        new AvpValue.Raw("jl2tp harness".getBytes(StandardCharsets.US_ASCII)), null));
                default -> { }
            }
            List<Avp> all = new ArrayList<>();
            all.add(Avp.messageType(type));
            all.addAll(avps);
            log.info("tunnel {}: sending {}", t.localId(), s.kind());
            t.transport().send(new ControlMessage(t.peerId(), 0, 0, 0, all));
        }
    }

    /** Does a session action (CDN, LCP Terminate, SLI, WEN) on {@code call}. */
    public static void onCall(HarnessCall call, Action a) {
        Session s = call.session();
        if (!s.isEstablished()) {
            return;
        }
        if (a instanceof Action.Cdn c) {
            List<Avp> extra = new ArrayList<>();
            if (c.disconnect() != null) {
                // RFC 3145 §3.1: Disconnect Code, Control Protocol Number (0: none), Direction (0: global), message.
                byte[] msg = c.message() == null ? new byte[0] : c.message().getBytes(StandardCharsets.UTF_8);
                byte[] v = new byte[5 + msg.length];
                v[0] = (byte) (c.disconnect() >> 8);
                v[1] = (byte) (int) c.disconnect();
                System.arraycopy(msg, 0, v, 5, msg.length);
                extra.add(new Avp(0, PPP_DISCONNECT_CAUSE, false, false, 0, new AvpValue.Raw(v), null));
            }
            if (c.q931() != null) {
                extra.add(Avp.of(AvpType.Q931_CAUSE_CODE, true, new AvpValue.Q931Value(c.q931(), 0, "")));
            }
            log.info("session {}: sending CDN result {} error {} disconnect {}", s.localId(), c.result(), c.error(),
                    c.disconnect());
            s.close(c.result(), c.error(), c.message() == null ? "harness: cdn" : c.message(), extra);
        } else if (a instanceof Action.LcpTerminate l) {
            call.link().ppp().close(l.message() == null ? "harness: lcp-terminate" : l.message());
        } else if (a instanceof Action.Send x) {
            Tunnel t = s.tunnel();
            Avp avp = x.kind() == Action.Kind.SLI
                    // RFC 2661 §6.16: ACCM AVP; both maps 0 for a synchronous link.
                    ? Avp.of(AvpType.ACCM, true, new AvpValue.AccmValue(0, 0, 0))
                    // RFC 2661 §6.15: Call Errors AVP.
                    : Avp.of(AvpType.CALL_ERRORS, true, new AvpValue.CallErrorsValue(0, 1, 2, 3, 4, 5, 6));
            MessageType type = x.kind() == Action.Kind.SLI ? MessageType.SLI : MessageType.WEN;
            log.info("session {}: sending {}", s.localId(), type);
            t.transport().send(ControlMessage.of(type, t.peerId(), s.peerId(), List.of(avp)));
        }
    }
}
