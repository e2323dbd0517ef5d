package io.jl2tp.l2tp.wire;

/**
 * The IETF AVP attribute types of RFC 2661 §4.4 (vendor id 0), with the shape of each value and
 * its size limits. Values outside the table (or with a vendor id) are kept raw.
 */
public final class AvpType {

    private AvpType() {
    }

    public static final int MESSAGE_TYPE = 0;
    public static final int RESULT_CODE = 1;
    public static final int PROTOCOL_VERSION = 2;
    public static final int FRAMING_CAPABILITIES = 3;
    public static final int BEARER_CAPABILITIES = 4;
    public static final int TIE_BREAKER = 5;
    public static final int FIRMWARE_REVISION = 6;
    public static final int HOST_NAME = 7;
    public static final int VENDOR_NAME = 8;
    public static final int ASSIGNED_TUNNEL_ID = 9;
    public static final int RECEIVE_WINDOW_SIZE = 10;
    public static final int CHALLENGE = 11;
    public static final int Q931_CAUSE_CODE = 12;
    public static final int CHALLENGE_RESPONSE = 13;
    public static final int ASSIGNED_SESSION_ID = 14;
    public static final int CALL_SERIAL_NUMBER = 15;
    public static final int MINIMUM_BPS = 16;
    public static final int MAXIMUM_BPS = 17;
    public static final int BEARER_TYPE = 18;
    public static final int FRAMING_TYPE = 19;
    public static final int CALLED_NUMBER = 21;
    public static final int CALLING_NUMBER = 22;
    public static final int SUB_ADDRESS = 23;
    public static final int TX_CONNECT_SPEED = 24;
    public static final int PHYSICAL_CHANNEL_ID = 25;
    public static final int INITIAL_RECEIVED_LCP_CONFREQ = 26;
    public static final int LAST_SENT_LCP_CONFREQ = 27;
    public static final int LAST_RECEIVED_LCP_CONFREQ = 28;
    public static final int PROXY_AUTHEN_TYPE = 29;
    public static final int PROXY_AUTHEN_NAME = 30;
    public static final int PROXY_AUTHEN_CHALLENGE = 31;
    public static final int PROXY_AUTHEN_ID = 32;
    public static final int PROXY_AUTHEN_RESPONSE = 33;
    public static final int CALL_ERRORS = 34;
    public static final int ACCM = 35;
    public static final int RANDOM_VECTOR = 36;
    public static final int PRIVATE_GROUP_ID = 37;
    public static final int RX_CONNECT_SPEED = 38;
    public static final int SEQUENCING_REQUIRED = 39;

    /** How an AVP's value is laid out. */
    public enum Shape {
        /** 16-bit unsigned. */
        U16,
        /** 32-bit unsigned. */
        U32,
        /** Octets, at least {@link Info#minLength}. */
        BYTES,
        /** A string (RFC 2661 §4.4: not NUL-terminated). */
        TEXT,
        /** Result Code: result, optional error, optional message (§4.4.2). */
        RESULT_CODE,
        /** Protocol Version: version and revision octets (§4.4.3). */
        PROTOCOL_VERSION,
        /** Q.931 Cause Code: cause, message, optional advisory (§4.4.5). */
        Q931,
        /** Call Errors: reserved + six 32-bit counters (§4.4.6). */
        CALL_ERRORS,
        /** ACCM: reserved + send and receive ACCM (§4.4.6). */
        ACCM,
        /** No value at all (Sequencing Required, §4.4.5). */
        EMPTY
    }

    /** Name, shape and allowed value length (bytes, inclusive) of one attribute type. */
    public record Info(int type, String name, Shape shape, int minLength, int maxLength) {
    }

    private static final Info[] TABLE = new Info[40];

    private static void def(int type, String name, Shape shape, int min, int max) {
        TABLE[type] = new Info(type, name, shape, min, max);
    }

    static {
        final int any = 1023 - 6;
        def(MESSAGE_TYPE, "Message Type", Shape.U16, 2, 2);
        def(RESULT_CODE, "Result Code", Shape.RESULT_CODE, 2, any);
        def(PROTOCOL_VERSION, "Protocol Version", Shape.PROTOCOL_VERSION, 2, 2);
        def(FRAMING_CAPABILITIES, "Framing Capabilities", Shape.U32, 4, 4);
        def(BEARER_CAPABILITIES, "Bearer Capabilities", Shape.U32, 4, 4);
        def(TIE_BREAKER, "Tie Breaker", Shape.BYTES, 8, 8);
        def(FIRMWARE_REVISION, "Firmware Revision", Shape.U16, 2, 2);
        def(HOST_NAME, "Host Name", Shape.TEXT, 1, any);
        def(VENDOR_NAME, "Vendor Name", Shape.TEXT, 0, any);
        def(ASSIGNED_TUNNEL_ID, "Assigned Tunnel ID", Shape.U16, 2, 2);
        def(RECEIVE_WINDOW_SIZE, "Receive Window Size", Shape.U16, 2, 2);
        def(CHALLENGE, "Challenge", Shape.BYTES, 1, any);
        def(Q931_CAUSE_CODE, "Q.931 Cause Code", Shape.Q931, 3, any);
        def(CHALLENGE_RESPONSE, "Challenge Response", Shape.BYTES, 16, 16);
        def(ASSIGNED_SESSION_ID, "Assigned Session ID", Shape.U16, 2, 2);
        def(CALL_SERIAL_NUMBER, "Call Serial Number", Shape.U32, 4, 4);
        def(MINIMUM_BPS, "Minimum BPS", Shape.U32, 4, 4);
        def(MAXIMUM_BPS, "Maximum BPS", Shape.U32, 4, 4);
        def(BEARER_TYPE, "Bearer Type", Shape.U32, 4, 4);
        def(FRAMING_TYPE, "Framing Type", Shape.U32, 4, 4);
        def(CALLED_NUMBER, "Called Number", Shape.TEXT, 0, any);
        def(CALLING_NUMBER, "Calling Number", Shape.TEXT, 0, any);
        def(SUB_ADDRESS, "Sub-Address", Shape.TEXT, 0, any);
        def(TX_CONNECT_SPEED, "Tx Connect Speed", Shape.U32, 4, 4);
        def(PHYSICAL_CHANNEL_ID, "Physical Channel ID", Shape.U32, 4, 4);
        def(INITIAL_RECEIVED_LCP_CONFREQ, "Initial Received LCP CONFREQ", Shape.BYTES, 0, any);
        def(LAST_SENT_LCP_CONFREQ, "Last Sent LCP CONFREQ", Shape.BYTES, 0, any);
        def(LAST_RECEIVED_LCP_CONFREQ, "Last Received LCP CONFREQ", Shape.BYTES, 0, any);
        def(PROXY_AUTHEN_TYPE, "Proxy Authen Type", Shape.U16, 2, 2);
        def(PROXY_AUTHEN_NAME, "Proxy Authen Name", Shape.TEXT, 0, any);
        def(PROXY_AUTHEN_CHALLENGE, "Proxy Authen Challenge", Shape.BYTES, 0, any);
        def(PROXY_AUTHEN_ID, "Proxy Authen ID", Shape.U16, 2, 2);
        def(PROXY_AUTHEN_RESPONSE, "Proxy Authen Response", Shape.BYTES, 0, any);
        def(CALL_ERRORS, "Call Errors", Shape.CALL_ERRORS, 26, 26);
        def(ACCM, "ACCM", Shape.ACCM, 10, 10);
        def(RANDOM_VECTOR, "Random Vector", Shape.BYTES, 1, any);
        def(PRIVATE_GROUP_ID, "Private Group ID", Shape.BYTES, 0, any);
        def(RX_CONNECT_SPEED, "Rx Connect Speed", Shape.U32, 4, 4);
        def(SEQUENCING_REQUIRED, "Sequencing Required", Shape.EMPTY, 0, 0);
    }

    /** The table entry for an IETF attribute type, or null if RFC 2661 does not define it. */
    public static Info info(int type) {
        return type >= 0 && type < TABLE.length ? TABLE[type] : null;
    }

    /** A readable name for {@code type} (vendor 0). */
    public static String name(int type) {
        Info i = info(type);
        return i != null ? i.name() : "AVP " + type;
    }
}
