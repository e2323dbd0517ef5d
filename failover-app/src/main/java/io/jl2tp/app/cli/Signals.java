package io.jl2tp.app.cli;

import sun.misc.Signal;

/**
 * SIGTERM and SIGINT as ordinary events. The JVM's default reaction (run shutdown hooks, exit
 * 143) would race the hang-up against the JVM's own teardown and report failure to systemd;
 * a daemon that hangs up cleanly on SIGTERM should exit 0, as xl2tpd and pppd do.
 */
final class Signals {

    private Signals() {
    }

    /** Runs {@code action} (once per signal, on the JVM's signal thread) on SIGTERM or SIGINT. */
    static void onTerminate(Runnable action) {
        Signal.handle(new Signal("TERM"), s -> action.run());
        Signal.handle(new Signal("INT"), s -> action.run());
    }
}
