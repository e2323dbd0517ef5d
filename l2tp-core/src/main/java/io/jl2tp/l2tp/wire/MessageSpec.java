package io.jl2tp.l2tp.wire;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The mandatory AVPs of each control message (RFC 2661 §6.1–§6.15). */
public final class MessageSpec {

    private MessageSpec() {
    }

    private static final int[] SCC = {AvpType.PROTOCOL_VERSION, AvpType.HOST_NAME, AvpType.FRAMING_CAPABILITIES,
        AvpType.ASSIGNED_TUNNEL_ID};

    private static final Map<MessageType, int[]> MANDATORY = Map.ofEntries(
            Map.entry(MessageType.SCCRQ, SCC),  // §6.1 SCCRQ
            Map.entry(MessageType.SCCRP, SCC),  // §6.2 SCCRP
            Map.entry(MessageType.SCCCN, new int[0]),  // §6.3 SCCCN
            Map.entry(MessageType.STOPCCN, new int[] {AvpType.ASSIGNED_TUNNEL_ID, AvpType.RESULT_CODE}),  // §6.4 StopCCN
            Map.entry(MessageType.HELLO, new int[0]),  // §6.5 HELLO
            Map.entry(MessageType.OCRQ, new int[] {AvpType.ASSIGNED_SESSION_ID, AvpType.CALL_SERIAL_NUMBER, AvpType.MINIMUM_BPS,
                AvpType.MAXIMUM_BPS, AvpType.BEARER_TYPE, AvpType.FRAMING_TYPE, AvpType.CALLED_NUMBER}), // §6.6 OCRQ
            Map.entry(MessageType.OCRP, new int[] {AvpType.ASSIGNED_SESSION_ID}),  // §6.7 OCRP
            Map.entry(MessageType.OCCN, new int[] {AvpType.TX_CONNECT_SPEED, AvpType.FRAMING_TYPE}),  // §6.8 OCCN
            Map.entry(MessageType.ICRQ, new int[] {AvpType.ASSIGNED_SESSION_ID, AvpType.CALL_SERIAL_NUMBER}), // §6.9 ICRQ
            Map.entry(MessageType.ICRP, new int[] {AvpType.ASSIGNED_SESSION_ID}),  // §6.10 ICRP
            Map.entry(MessageType.ICCN, new int[] {AvpType.TX_CONNECT_SPEED, AvpType.FRAMING_TYPE}),  // §6.11 ICCN
            Map.entry(MessageType.CDN, new int[] {AvpType.RESULT_CODE, AvpType.ASSIGNED_SESSION_ID}),  // §6.12 CDN
            Map.entry(MessageType.WEN, new int[] {AvpType.CALL_ERRORS}),  // §6.13 WEN
            Map.entry(MessageType.SLI, new int[] {AvpType.ACCM}));                                        // §6.14 SLI

    /** The mandatory AVP types of {@code type} besides Message Type (empty for unknown types). */
    public static int[] mandatory(MessageType type) {
        int[] m = MANDATORY.get(type);
        return m == null ? new int[0] : m.clone();
    }

    /** Names of the mandatory AVPs missing from {@code msg} (empty if complete, or a ZLB). */
    public static List<String> missingMandatory(ControlMessage msg) {
        List<String> missing = new ArrayList<>();
        if (msg.isZlb()) {
            return missing;
        }
        for (int t : mandatory(msg.messageType())) {
            if (!msg.has(t)) {
                missing.add(AvpType.name(t));
            }
        }
        return missing;
    }
}
