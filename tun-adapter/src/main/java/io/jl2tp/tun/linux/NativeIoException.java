package io.jl2tp.tun.linux;

import java.io.IOException;

/**
 * A failed system call, named with its errno (the shape of Netty's
 * {@code Errors.NativeIoException}): {@code ioctl(TUNSETIFF): EPERM (Operation not permitted)}.
 */
public class NativeIoException extends IOException {

    private static final long serialVersionUID = 1L;

    private final String call;
    private final int errno;

    public NativeIoException(String call, int errno, String hint) {
        super(call + ": " + Errno.name(errno) + " (" + Errno.describe(errno) + ")" + (hint == null ? "" : " — " + hint));
        this.call = call;
        this.errno = errno;
    }

    /** The call that failed, e.g. {@code ioctl(TUNSETIFF)}. */
    public String call() {
        return call;
    }

    /** The errno value. */
    public int errno() {
        return errno;
    }
}
