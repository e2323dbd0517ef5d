package io.jl2tp.l2tp.tunnel;

import java.util.Random;

/**
 * The 16-bit Tunnel or Session IDs 1..65535 (RFC 2661 §4.4.3, §4.4.4: non-zero), handed out at
 * random among the free ones in O(1) time and memory per call — no retry loop that slows down
 * as the space fills, no exception when it is full (issue 11 rows 1 and 2).
 *
 * <p>The ids live in one array: {@code ids[0..free)} are free, the rest in use; {@code pos}
 * maps an id to its index. Allocation swaps a random free id to the boundary; release swaps
 * it back. Threads: confined to the endpoint's event loop.
 */
final class IdPool {

    static final int MAX = 0xFFFF;

    private final char[] ids = new char[MAX];
    private final char[] pos = new char[MAX + 1];
    private final Random random;
    private int free = MAX;

    IdPool(Random random) {
        this.random = random;
        for (int i = 0; i < MAX; i++) {
            ids[i] = (char) (i + 1);
            pos[i + 1] = (char) i;
        }
    }

    /** A random free id, or 0 if all 65535 are in use. */
    int allocate() {
        if (free == 0) {
            return 0;
        }
        int r = random.nextInt(free);
        int id = ids[r];
        swap(r, free - 1);
        free--;
        return id;
    }

    /** Returns {@code id} to the pool; ids not in use are ignored. */
    void release(int id) {
        if (id < 1 || id > MAX) {
            return;
        }
        int p = pos[id];
        if (p < free) {
            return; // already free
        }
        swap(p, free);
        free++;
    }

    /** True if {@code id} is currently allocated. */
    boolean inUse(int id) {
        return id >= 1 && id <= MAX && pos[id] >= free;
    }

    /** Ids in use. */
    int used() {
        return MAX - free;
    }

    private void swap(int a, int b) {
        char x = ids[a];
        char y = ids[b];
        ids[a] = y;
        ids[b] = x;
        pos[y] = (char) a;
        pos[x] = (char) b;
    }
}
