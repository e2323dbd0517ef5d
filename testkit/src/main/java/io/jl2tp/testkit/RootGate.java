package io.jl2tp.testkit;

import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.opentest4j.TestAbortedException;

import java.io.File;
import java.lang.reflect.AnnotatedElement;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The JUnit extension behind {@link RequiresRoot}. */
public final class RootGate implements BeforeAllCallback, BeforeEachCallback {

    @Override
    public void beforeAll(ExtensionContext context) {
        check(context.getElement());
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        check(context.getElement());
    }

    private static void check(Optional<AnnotatedElement> element) {
        RequiresRoot ann = element.map(e -> e.getAnnotation(RequiresRoot.class)).orElse(null);
        if (ann == null) {
            return;
        }
        String problem = problem(NetNs.isRoot(), List.of(ann.commands()), RootGate::onPath);
        decide(problem, "true".equals(System.getenv("CI")));
    }

    /** What is missing (null if nothing). */
    static String problem(boolean root, List<String> commands, java.util.function.Predicate<String> present) {
        List<String> missing = new ArrayList<>();
        for (String c : commands) {
            if (!present.test(c)) {
                missing.add(c);
            }
        }
        if (!root) {
            return "needs root (CAP_NET_ADMIN) for network namespaces; run as root, or set CI=true to make this a failure";
        }
        if (!missing.isEmpty()) {
            return "needs " + String.join(", ", missing) + " on the PATH (./test.sh installs them as root)";
        }
        return null;
    }

    /** Skips (outside CI) or fails (CI=true) when {@code problem} is not null. */
    static void decide(String problem, boolean ci) {
        if (problem == null) {
            return;
        }
        if (ci) {
            throw new AssertionError("CI=true and " + problem);
        }
        System.err.println("SKIPPED (" + problem + ")");
        throw new TestAbortedException(problem);
    }

    static boolean onPath(String command) {
        String path = System.getenv().getOrDefault("PATH", "") + ":/usr/sbin:/sbin";
        for (String dir : path.split(":")) {
            if (!dir.isEmpty() && new File(dir, command).canExecute()) {
                return true;
            }
        }
        return false;
    }
}
