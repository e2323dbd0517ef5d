package io.jl2tp.l2tp.tunnel;

import java.util.Random;

/**
 * The 16-bit Tunnel or Session IDs 1..65535 (RFC 2661 §4.4.3, §4.4.4: non-zero), handed out at
 * random among the free ones in O(1) time and memory per call — no retry loop that slows down
 * as the space fills, no exception when it is full (issue 11 rows 1 and 2).
 *
 * <p>The ids live in one array: {@code ids[0..free)} are free, the rest in use; {@code pos}
 * maps an id to its index. Allocation swaps a random free id to the boundary; release swaps
 * it back. Both start as the identity and are kept in pages of 256 that are allocated when first
 * written, so a new pool costs two 1 KiB page tables rather than 256 KiB filled in 65 535 steps
 * (an endpoint has two pools; a fuzz campaign creates endpoints by the million). In a page, 0
 * stands for the identity ({@code ids[i] = i + 1}, {@code pos[id] = id - 1}); a stored index is
 * one-based. Threads: confined to the endpoint's event loop.
 */
final class IdPool {

    static final int MAX = 0xFFFF;

    private static final int PAGE_BITS = 8;
    private static final int PAGE = 1 << PAGE_BITS;

    private final char[][] ids = new char[(MAX + PAGE - 1) / PAGE][];     // index -> id
    private final char[][] pos = new char[(MAX + 1 + PAGE - 1) / PAGE][]; // id -> index + 1
    private final Random random;
    private int free = MAX;

    IdPool(Random random) {
        this.random = random;
    }

    /** A random free id, or 0 if all 65535 are in use. */
    int allocate() {
        if (free == 0) {
            return 0;
        }
        int r = random.nextInt(free);
        int id = idAt(r);
        swap(r, free - 1);
        free--;
        return id;
    }

    /** Returns {@code id} to the pool; ids not in use are ignored. */
    void release(int id) {
        if (id < 1 || id > MAX) {
            return;
        }
        int p = indexOf(id);
        if (p < free) {
            return; // already free
        }
        swap(p, free);
        free++;
    }

    /** True if {@code id} is currently allocated. */
    boolean inUse(int id) {
        return id >= 1 && id <= MAX && indexOf(id) >= free;
    }

    /** Ids in use. */
    int used() {
        return MAX - free;
    }

    private int idAt(int index) {
        int id = get(ids, index);
        return id == 0 ? index + 1 : id;
    }

    private int indexOf(int id) {
        int p = get(pos, id);
        return p == 0 ? id - 1 : p - 1;
    }

    private void swap(int a, int b) {
        int x = idAt(a);
        int y = idAt(b);
        set(ids, a, y);
        set(ids, b, x);
        set(pos, y, a + 1);
        set(pos, x, b + 1);
    }

    private static int get(char[][] pages, int i) {
        char[] page = pages[i >>> PAGE_BITS];
        return page == null ? 0 : page[i & (PAGE - 1)];
    }

    private static void set(char[][] pages, int i, int value) {
        char[] page = pages[i >>> PAGE_BITS];
        if (page == null) {
            page = new char[PAGE];
            pages[i >>> PAGE_BITS] = page;
        }
        page[i & (PAGE - 1)] = (char) value;
    }
}
