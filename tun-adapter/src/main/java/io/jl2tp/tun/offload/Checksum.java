package io.jl2tp.tun.offload;

import io.netty.buffer.ByteBuf;
import io.netty.util.internal.PlatformDependent;

import java.nio.ByteOrder;

/**
 * The Internet checksum (RFC 1071): the 16-bit one's complement of the one's complement sum of
 * the data taken as 16-bit big-endian words. Sums are carried in a {@code long} and folded at
 * the end (RFC 1071 §2(B): the sum may be accumulated in wider words), eight octets a load.
 * Absolute indices; no allocation; stateless.
 *
 * <p>On the packet path (a direct buffer, a platform with unaligned loads) the words are read
 * straight from native memory in the machine's byte order, without the buffer's bounds and
 * reference-count checks that {@link ByteBuf#getLong} makes per call: on a little-endian machine
 * each 16-bit lane then holds a byte-swapped word, and since the one's complement sum is
 * independent of byte order up to a swap of the result (RFC 1071 §2(B)), the folded sum is
 * swapped once at the end. This was the largest user-space cost of both tunnel ends at a fixed
 * packet rate (docs/benchmarks.md, "CPU per packet").
 */
public final class Checksum {

    private static final boolean RAW = PlatformDependent.hasUnsafe() && PlatformDependent.isUnaligned();
    private static final boolean LITTLE = ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN;

    private Checksum() {
    }

    /** Adds {@code buf[from, from + len)} to {@code acc} (an odd tail is padded with a zero octet). */
    public static long add(ByteBuf buf, int from, int len, long acc) {
        if (RAW && len >= 16 && buf.hasMemoryAddress()) {
            if (from < 0 || len > buf.capacity() - from) { // once, as each getLong below would
                throw new IndexOutOfBoundsException("checksum over " + from + "+" + len + " of " + buf.capacity());
            }
            return addRaw(buf.memoryAddress() + from, len, acc);
        }
        return addChecked(buf, from, len, acc);
    }

    private static long addRaw(long address, int len, long acc) {
        long a = address;
        long end = address + (len & ~7);
        long sum = 0;
        for (; a < end; a += 8) {
            long x = PlatformDependent.getLong(a);
            sum += (x >>> 32) + (x & 0xffffffffL);
        }
        int folded = fold(sum);
        if (LITTLE) {
            folded = Integer.reverseBytes(folded) >>> 16;
        }
        acc += folded;
        int rest = len & 7;
        if (rest == 0) {
            return acc;
        }
        // The tail, big-endian as in addChecked: at most three more words.
        int i = 0;
        if (rest >= 4) {
            acc += ((PlatformDependent.getByte(a) & 0xffL) << 24) | ((PlatformDependent.getByte(a + 1) & 0xffL) << 16)
                    | ((PlatformDependent.getByte(a + 2) & 0xffL) << 8) | (PlatformDependent.getByte(a + 3) & 0xffL);
            i = 4;
        }
        if (rest - i >= 2) {
            acc += ((PlatformDependent.getByte(a + i) & 0xff) << 8) | (PlatformDependent.getByte(a + i + 1) & 0xff);
            i += 2;
        }
        if (i < rest) {
            acc += (PlatformDependent.getByte(a + i) & 0xff) << 8;
        }
        return acc;
    }

    private static long addChecked(ByteBuf buf, int from, int len, long acc) {
        int i = from;
        int end = from + len;
        // Eight octets a load, as two 32-bit words: at most 2^32 − 1 per add, so a long holds
        // the sum of any packet (< 2^17 words) without overflow.
        for (; i + 8 <= end; i += 8) {
            long x = buf.getLong(i);
            acc += (x >>> 32) + (x & 0xffffffffL);
        }
        if (i + 4 <= end) {
            acc += buf.getUnsignedInt(i);
            i += 4;
        }
        if (i + 2 <= end) {
            acc += buf.getUnsignedShort(i);
            i += 2;
        }
        if (i < end) {
            acc += (buf.getUnsignedByte(i) << 8);
        }
        return acc;
    }

    /** Folds a wide sum to 16 bits with end-around carry (not complemented). */
    public static int fold(long acc) {
        while ((acc >>> 16) != 0) {
            acc = (acc & 0xffff) + (acc >>> 16);
        }
        return (int) acc;
    }

    /** The checksum field value for a sum: its complement, folded. */
    public static int finish(long acc) {
        return ~fold(acc) & 0xffff;
    }

    /**
     * The pseudo-header sum of TCP/UDP over IPv4 (RFC 793 §3.1, RFC 768): source and destination
     * address of the IPv4 header at {@code ip}, the protocol and the upper-layer length.
     */
    public static long pseudoIpv4(ByteBuf buf, int ip, int protocol, int length) {
        return buf.getUnsignedInt(ip + 12) + buf.getUnsignedInt(ip + 16) + protocol + length;
    }

    /**
     * The pseudo-header sum over IPv6 (RFC 8200 §8.1): source and destination address of the IPv6
     * header at {@code ip}, the upper-layer length and the next-header value.
     */
    public static long pseudoIpv6(ByteBuf buf, int ip, int protocol, int length) {
        return add(buf, ip + 8, 32, 0) + protocol + length;
    }
}
