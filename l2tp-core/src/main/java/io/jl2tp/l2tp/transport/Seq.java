package io.jl2tp.l2tp.transport;

/** Sequence-number arithmetic modulo 2^16 (RFC 2661 §5.8). */
public final class Seq {

    private Seq() {
    }

    /** {@code s + 1} modulo 65536. */
    public static int next(int s) {
        return (s + 1) & 0xFFFF;
    }

    /** {@code s + n} modulo 65536. */
    public static int add(int s, int n) {
        return (s + n) & 0xFFFF;
    }

    /** Forward distance from {@code from} to {@code to}, 0..65535. */
    public static int distance(int from, int to) {
        return (to - from) & 0xFFFF;
    }

    /**
     * True if {@code a} comes before {@code b}: RFC 2661 §5.8 treats a value as "less than or
     * equal to" the last one when it lies in the last value or the 32767 values before it.
     */
    public static boolean before(int a, int b) {
        int d = distance(a, b);
        return d != 0 && d <= 0x8000;
    }
}
