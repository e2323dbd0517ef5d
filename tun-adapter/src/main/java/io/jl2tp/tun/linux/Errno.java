package io.jl2tp.tun.linux;

import java.util.Map;

/** Linux errno names and texts for error messages. */
public final class Errno {

    private Errno() {
    }

    public static final int EPERM = 1;
    public static final int ENOENT = 2;
    public static final int ESRCH = 3;
    public static final int EINTR = 4;
    public static final int EBADF = 9;
    public static final int EAGAIN = 11;
    public static final int EACCES = 13;
    public static final int EBUSY = 16;
    public static final int EEXIST = 17;
    public static final int ENODEV = 19;
    public static final int EINVAL = 22;
    /** File descriptor in bad state: what read(2) on a TUN whose interface was deleted fails with. */
    public static final int EBADFD = 77;
    public static final int ENETUNREACH = 101;
    public static final int EADDRNOTAVAIL = 99;
    public static final int EOPNOTSUPP = 95;

    private static final Map<Integer, String[]> NAMES = Map.ofEntries(
            Map.entry(EPERM, new String[] {"EPERM", "Operation not permitted"}),
            Map.entry(ENOENT, new String[] {"ENOENT", "No such file or directory"}),
            Map.entry(ESRCH, new String[] {"ESRCH", "No such process"}),
            Map.entry(EINTR, new String[] {"EINTR", "Interrupted system call"}),
            Map.entry(EBADF, new String[] {"EBADF", "Bad file descriptor"}),
            Map.entry(EAGAIN, new String[] {"EAGAIN", "Resource temporarily unavailable"}),
            Map.entry(EACCES, new String[] {"EACCES", "Permission denied"}),
            Map.entry(EBUSY, new String[] {"EBUSY", "Device or resource busy"}),
            Map.entry(EEXIST, new String[] {"EEXIST", "File exists"}),
            Map.entry(ENODEV, new String[] {"ENODEV", "No such device"}),
            Map.entry(EINVAL, new String[] {"EINVAL", "Invalid argument"}),
            Map.entry(EBADFD, new String[] {"EBADFD", "File descriptor in bad state"}),
            Map.entry(EOPNOTSUPP, new String[] {"EOPNOTSUPP", "Operation not supported"}),
            Map.entry(EADDRNOTAVAIL, new String[] {"EADDRNOTAVAIL", "Cannot assign requested address"}),
            Map.entry(ENETUNREACH, new String[] {"ENETUNREACH", "Network is unreachable"}));

    /** E.g. {@code EEXIST}. */
    public static String name(int errno) {
        String[] n = NAMES.get(errno);
        return n != null ? n[0] : "errno " + errno;
    }

    /** E.g. {@code File exists}. */
    public static String describe(int errno) {
        String[] n = NAMES.get(errno);
        return n != null ? n[1] : LibC.strerrorText(errno);
    }
}
