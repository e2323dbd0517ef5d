package io.jl2tp.tun;

import java.io.IOException;

/**
 * The interface behind a {@link TunDevice} no longer exists while the device is still open — it
 * was deleted from outside ({@code ip link del}); Linux then fails read(2) on the descriptor with
 * EBADFD. The device is of no further use: its owner ends what it carried.
 */
public final class InterfaceGoneException extends IOException {

    public InterfaceGoneException(String ifname, String call) {
        super("interface " + ifname + " was deleted (" + call + ": EBADFD)");
    }
}
