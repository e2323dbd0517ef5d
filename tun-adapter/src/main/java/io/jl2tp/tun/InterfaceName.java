package io.jl2tp.tun;

import java.nio.charset.StandardCharsets;

/**
 * The one definition of a Linux network interface name, as the kernel's {@code dev_valid_name()}
 * checks it: 1 to 15 octets (IFNAMSIZ − 1), not "." or "..", no '/', ':' or white space. Used by
 * the TUN device and by the configuration parsers, so a bad name is refused where it is written.
 */
public final class InterfaceName {

    /** IFNAMSIZ − 1: the longest name the kernel accepts, in octets. */
    public static final int MAX_OCTETS = 15;

    private InterfaceName() {
    }

    /** What is wrong with {@code name} as an interface name, or null if nothing. */
    public static String problem(String name) {
        if (name == null || name.isEmpty()) {
            return "an interface name must not be empty";
        }
        int octets = name.getBytes(StandardCharsets.UTF_8).length;
        if (octets > MAX_OCTETS) {
            return "\"" + name + "\" is " + octets + " octets; Linux allows at most " + MAX_OCTETS + " (IFNAMSIZ)";
        }
        if (name.equals(".") || name.equals("..")) {
            return "\"" + name + "\" is not a usable interface name";
        }
        if (name.chars().anyMatch(c -> c == '/' || c == ':' || Character.isWhitespace(c) || Character.isISOControl(c))) {
            return "\"" + name + "\" contains a character Linux does not allow in an interface name ('/', ':', space or control)";
        }
        return null;
    }

    /** Returns {@code name} if valid, else throws {@link IllegalArgumentException} saying why. */
    public static String require(String name) {
        String p = problem(name);
        if (p != null) {
            throw new IllegalArgumentException(p);
        }
        return name;
    }
}
