package io.jl2tp.app.cli;

import io.netty.channel.epoll.Epoll;

/**
 * Which data path this machine gets, said once at start-up: Netty's native epoll transport
 * (recvmmsg, sendto from the TUN reader, TUN reads and writes through Netty's JNI) where its
 * library for this architecture loads — the jar carries linux-x86_64 and linux-aarch_64 — else
 * Java NIO and JNA, slower but complete. {@code -Dio.netty.transport.noNative=true} forces the
 * latter (tested: TransportTest). Stateless; any thread.
 */
final class Transport {

    private Transport() {
    }

    /** One log line's worth: the transport in use and, for NIO, why. */
    static String describe() {
        String arch = System.getProperty("os.arch");
        if (Epoll.isAvailable()) {
            return "transport: native epoll (" + arch + ")";
        }
        Throwable cause = Epoll.unavailabilityCause();
        String why = cause == null ? "unknown" : cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
        return "transport: Java NIO and JNA, slower (Netty's native epoll is unavailable on " + arch + ": " + why + ")";
    }
}
