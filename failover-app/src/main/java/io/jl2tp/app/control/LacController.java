package io.jl2tp.app.control;

import java.util.List;

/** What the control FIFO drives: the daemon's LACs. Implementations are thread-safe. */
public interface LacController {

    /** {@code c NAME [user [pass]]}: dial (no-op error if already active). */
    void connect(String name, String user, String password) throws ControlException;

    /** {@code d NAME}: hang up and stop redialling. */
    void disconnect(String name) throws ControlException;

    /** {@code a NAME key=val;…}: add or modify a LAC. */
    void add(String name, String settings) throws ControlException;

    /** {@code r NAME}: disconnect and remove. */
    void remove(String name) throws ControlException;

    /** {@code s NAME}: the LAC's state as lines of text. */
    List<String> status(String name) throws ControlException;

    /** {@code x}: the names of the configured LACs. */
    List<String> available();

    /** A command that cannot be carried out; the message becomes the {@code 01 …} reply. */
    final class ControlException extends Exception {
        private static final long serialVersionUID = 1L;

        public ControlException(String message) {
            super(message, null, false, false);
        }
    }
}
