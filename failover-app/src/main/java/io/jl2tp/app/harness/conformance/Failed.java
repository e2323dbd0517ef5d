package io.jl2tp.app.harness.conformance;

/** A scenario step that did not go as the RFC says; the message is the verdict's detail. */
final class Failed extends Exception {

    Failed(String detail) {
        super(detail, null, false, false);
    }
}
