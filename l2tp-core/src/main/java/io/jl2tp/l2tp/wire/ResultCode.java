package io.jl2tp.l2tp.wire;

/** Result and error codes of StopCCN and CDN (RFC 2661 §4.4.2), with readable texts. */
public final class ResultCode {

    private ResultCode() {
    }

    // StopCCN result codes
    public static final int STOPCCN_CLEAR = 1;
    public static final int STOPCCN_GENERAL_ERROR = 2;
    public static final int STOPCCN_ALREADY_EXISTS = 3;
    public static final int STOPCCN_NOT_AUTHORIZED = 4;
    public static final int STOPCCN_BAD_PROTOCOL_VERSION = 5;
    public static final int STOPCCN_SHUTTING_DOWN = 6;
    public static final int STOPCCN_FSM_ERROR = 7;

    // CDN result codes
    public static final int CDN_LOST_CARRIER = 1;
    public static final int CDN_GENERAL_ERROR = 2;
    public static final int CDN_ADMIN = 3;
    public static final int CDN_TEMPORARY_NO_FACILITIES = 4;
    public static final int CDN_PERMANENT_NO_FACILITIES = 5;
    public static final int CDN_INVALID_DESTINATION = 6;
    public static final int CDN_NO_CARRIER = 7;
    public static final int CDN_BUSY = 8;
    public static final int CDN_NO_DIAL_TONE = 9;
    public static final int CDN_TIMEOUT = 10;
    public static final int CDN_NO_FRAMING = 11;

    // General error codes
    public static final int ERROR_NONE = 0;
    public static final int ERROR_NO_CONTROL_CONNECTION = 1;
    public static final int ERROR_BAD_LENGTH = 2;
    public static final int ERROR_BAD_VALUE = 3;
    public static final int ERROR_NO_RESOURCES = 4;
    public static final int ERROR_BAD_SESSION_ID = 5;
    public static final int ERROR_VENDOR = 6;
    public static final int ERROR_TRY_ANOTHER = 7;
    public static final int ERROR_UNKNOWN_MANDATORY_AVP = 8;

    private static final String[] STOPCCN = {null, "general request to clear control connection", "general error",
        "control channel already exists", "requester is not authorized to establish a control channel",
        "protocol version not supported", "requester is being shut down", "finite state machine error"};
    private static final String[] CDN = {null, "lost carrier", "general error", "administrative reasons",
        "temporary lack of facilities", "permanent lack of facilities", "invalid destination", "no carrier",
        "busy", "no dial tone", "not established in time", "no appropriate framing"};
    private static final String[] ERRORS = {"no general error", "no control connection exists yet",
        "length is wrong", "a field is out of range or a reserved field was non-zero", "insufficient resources",
        "invalid session ID", "vendor-specific error", "try another LNS", "unknown mandatory AVP"};

    /** Text of a StopCCN result code. */
    public static String stopCcnText(int result) {
        return result > 0 && result < STOPCCN.length ? STOPCCN[result] : "result " + result;
    }

    /** Text of a CDN result code. */
    public static String cdnText(int result) {
        return result > 0 && result < CDN.length ? CDN[result] : "result " + result;
    }

    /** Text of a general error code. */
    public static String errorText(int error) {
        return error >= 0 && error < ERRORS.length ? ERRORS[error] : "error " + error;
    }

    /** "result R (text)[, error E (text)][: message]" for logs. */
    public static String describe(boolean stopCcn, AvpValue.ResultCodeValue rc) {
        if (rc == null) {
            return "no result code";
        }
        StringBuilder sb = new StringBuilder("result ").append(rc.result()).append(" (")
                .append(stopCcn ? stopCcnText(rc.result()) : cdnText(rc.result())).append(')');
        if (rc.error() != null && rc.error() != 0) {
            sb.append(", error ").append(rc.error()).append(" (").append(errorText(rc.error())).append(')');
        }
        if (rc.message() != null && !rc.message().isEmpty()) {
            sb.append(": ").append(io.jl2tp.l2tp.util.PeerText.escape(rc.message()));
        }
        return sb.toString();
    }
}
