package io.jl2tp.tun.netlink;

import io.jl2tp.tun.linux.Errno;
import io.jl2tp.tun.linux.NativeIoException;

/**
 * The kernel refused an rtnetlink request; the message names the request as {@code ip} would
 * show it: {@code RTM_NEWROUTE default dev l2tp-aaisp metric 100: EEXIST (File exists)}.
 */
public final class NetlinkException extends NativeIoException {

    private static final long serialVersionUID = 1L;

    public NetlinkException(String request, int errno) {
        super(request, errno, null);
    }

    /** True if the kernel said the object already exists. */
    public boolean exists() {
        return errno() == Errno.EEXIST;
    }

    /** True if the kernel said there is no such object. */
    public boolean notFound() {
        return errno() == Errno.ESRCH || errno() == Errno.ENOENT || errno() == Errno.ENODEV
                || errno() == Errno.EADDRNOTAVAIL;
    }
}
