package io.jl2tp.app.cli;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;

/**
 * The two native libraries the jar carries — Netty's epoll transport and JNA's dispatch library
 * — copied out of it once, into a directory the launcher then names with
 * {@code -Djava.library.path} and {@code -Djna.boot.library.path}. Without that, both libraries
 * unpack themselves into /tmp on every start and load from there (≈ 30–40 ms of a daemon's
 * start-up CPU, docs/benchmarks.md "Footprint and start-up"; and no native transport at all
 * where /tmp is mounted noexec, as on many hardened routers). dist/jl2tp-java has the class-data
 * training run ({@link CdsTraining}) do it, into the same cache directory as the archive, and
 * re-do it whenever the jar is newer. Only this machine's architecture is copied.
 */
public final class NativeLibraries {

    /** The system property that makes {@link CdsTraining} copy the libraries into its directory. */
    public static final String OUT_PROPERTY = "jl2tp.native.out";

    private NativeLibraries() {
    }

    /** Jar resource and file name of each library for this machine's architecture (the jar may lack either). */
    static List<String[]> forThisMachine() {
        List<String[]> libs = new ArrayList<>();
        String netty = "libnetty_transport_native_epoll_" + io.netty.util.internal.PlatformDependent.normalizedArch() + ".so";
        libs.add(new String[] {"META-INF/native/" + netty, netty});
        libs.add(new String[] {"com/sun/jna/" + com.sun.jna.Platform.RESOURCE_PREFIX + "/libjnidispatch.so", "libjnidispatch.so"});
        return libs;
    }

    /**
     * Copies the libraries of this machine's architecture into {@code dir} (created if needed),
     * each through a temporary file and an atomic rename, so that a JVM starting meanwhile sees
     * the old file or the new one. Returns the number copied: 0 where the jar carries none for
     * this architecture (the launcher then passes nothing and each library falls back to its own
     * unpacking, or to Java NIO).
     */
    public static int extract(Path dir) throws IOException {
        Files.createDirectories(dir);
        ClassLoader loader = NativeLibraries.class.getClassLoader();
        int copied = 0;
        for (String[] lib : forThisMachine()) {
            try (InputStream in = loader.getResourceAsStream(lib[0])) {
                if (in == null) {
                    continue;
                }
                Path tmp = Files.createTempFile(dir, lib[1], ".tmp");
                try {
                    Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
                    Files.move(tmp, dir.resolve(lib[1]), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                } finally {
                    Files.deleteIfExists(tmp);
                }
                copied++;
            }
        }
        return copied;
    }
}
