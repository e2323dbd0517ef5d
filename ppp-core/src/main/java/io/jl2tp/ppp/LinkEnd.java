package io.jl2tp.ppp;

import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How a link ends: the first reason noted wins (a peer's Terminate-Request, an echo failure,
 * an administrative close, …), and the end is reported exactly once — as a
 * {@link PppEvent.Down} to the link's listener and by completing a future others can wait on.
 *
 * <p>Threads: {@link #note} and {@link #report} run on the link's event loop; the future is
 * safe from any thread.
 */
final class LinkEnd {

    private static final Logger log = LoggerFactory.getLogger(PppLink.class);

    private final CompletableFuture<PppEvent.Down> done = new CompletableFuture<>();
    private PppEvent.Reason reason;           // the first reason noted, null before
    private String message;                   // its text
    private boolean reported;                 // set before the listener runs: it may re-enter

    /** Notes why the link is ending, unless a reason was noted before. */
    void note(PppEvent.Reason r, String why) {
        if (reason == null) {
            reason = r;
            message = why;
        }
    }

    /** Reports the end once: logs it, tells {@code events}, completes the future. */
    void report(Consumer<PppEvent> events, String logPrefix) {
        if (reported) {
            return;
        }
        reported = true;
        PppEvent.Reason r = reason == null ? PppEvent.Reason.NEGOTIATION_FAILED : reason;
        if (r == PppEvent.Reason.ADMIN_CLOSE || r == PppEvent.Reason.LOWER_DOWN) {
            log.info("{}Connection terminated: {}", logPrefix, message);
        } else {
            log.warn("{}Connection terminated: {}", logPrefix, message);
        }
        PppEvent.Down down = new PppEvent.Down(r, message);
        events.accept(down);
        done.complete(down);
    }

    /** A future completed with the Down event; completing it does not affect the link. */
    CompletableFuture<PppEvent.Down> future() {
        return done.copy();
    }
}
