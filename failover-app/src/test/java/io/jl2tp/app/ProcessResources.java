package io.jl2tp.app;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * This JVM's threads and descriptors, for leak tests. Compare snapshots as sets ("nothing was
 * added"), not counts: threads and descriptors of earlier tests in the same JVM may end meanwhile.
 */
public final class ProcessResources {

    private ProcessResources() {
    }

    /** Live threads, minus the JDK's and Netty's own idle-timed pools that come and go by themselves. */
    public static Set<Thread> threads() {
        return Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive).filter(t -> !transientPool(t.getName()))
                .collect(Collectors.toCollection(HashSet::new));
    }

    private static boolean transientPool(String name) {
        return name.startsWith("globalEventExecutor") || name.startsWith("ForkJoinPool") || name.startsWith("process reaper")
                || name.equals("Attach Listener");
    }

    /** Open descriptors as "number -> what it is", without the listing's own. */
    public static Set<String> fds() throws IOException {
        Set<String> out = new HashSet<>();
        try (DirectoryStream<Path> dir = Files.newDirectoryStream(Path.of("/proc/self/fd"))) {
            for (Path p : dir) {
                try {
                    String target = Files.readSymbolicLink(p).toString();
                    if (!(target.startsWith("/proc/") && target.endsWith("/fd"))) {
                        out.add(p.getFileName() + " -> " + target);
                    }
                } catch (IOException e) {
                    // gone while listing
                }
            }
        }
        return out;
    }

    /** The names of the threads in {@code now} that are not in {@code before}. */
    public static List<String> added(Set<Thread> before, Set<Thread> now) {
        return now.stream().filter(t -> !before.contains(t)).map(Thread::getName).sorted().toList();
    }

    /** The descriptors in {@code now} that are not in {@code before}. */
    public static Set<String> addedFds(Set<String> before, Set<String> now) {
        Set<String> out = new HashSet<>(now);
        out.removeAll(before);
        return out;
    }
}
