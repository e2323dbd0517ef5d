package io.jl2tp.app.harness.session;

import java.time.Duration;

/**
 * The traffic streams of a harness run: each session, once IPCP is up, sends {@code rate}
 * UDP packets a second with {@code size} octets of UDP payload to its peer for
 * {@code duration}. Immutable.
 */
public record StreamConfig(int rate, int size, Duration duration) {

    /** Most packets a second per session and direction. */
    public static final int MAX_RATE = 100_000;
    public static final int DEFAULT_SIZE = 128;
    public static final Duration DEFAULT_DURATION = Duration.ofSeconds(10);
    public static final Duration MAX_DURATION = Duration.ofDays(1);

    public StreamConfig {
        if (rate < 1 || rate > MAX_RATE) {
            throw new IllegalArgumentException("rate " + rate + ": out of range 1-" + MAX_RATE + " packets/s");
        }
        if (size < StreamPacket.HEADER || size > StreamPacket.MAX_PAYLOAD) {
            throw new IllegalArgumentException("size " + size + ": out of range " + StreamPacket.HEADER + "-"
                    + StreamPacket.MAX_PAYLOAD + " octets");
        }
        if (duration.isNegative() || duration.isZero() || duration.compareTo(MAX_DURATION) > 0) {
            throw new IllegalArgumentException("duration must be positive and at most 24h");
        }
    }

    /**
     * {@code RATE[:SIZE]} as the {@code --stream} flag gives it; the message of the
     * IllegalArgumentException says what is wrong (without the flag's name).
     */
    public static StreamConfig parse(String rateSize, Duration duration) {
        String[] p = rateSize.strip().split(":", -1);
        if (p.length > 2) {
            throw new IllegalArgumentException("expected RATE[:SIZE]");
        }
        int rate = number(p[0], "rate");
        int size = p.length == 2 ? number(p[1], "size") : DEFAULT_SIZE;
        return new StreamConfig(rate, size, duration);
    }

    private static int number(String v, String what) {
        try {
            long n = Long.parseLong(v);
            return (int) Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, n)); // range checked by the constructor
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(what + " '" + v + "' is not an integer");
        }
    }
}
