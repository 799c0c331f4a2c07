package io.strata.control.process;

import io.strata.protocol.Frame;
import io.strata.protocol.nio.Connection;

/**
 * What a role process does (drive, compute or frontend), run by the container's pinned agent.
 * Every method is called on that agent's thread: the service owns its state and needs no locks.
 * Other threads reach it through {@link ProcessContext#execute(Runnable)}.
 */
public interface ProcessService {
    /** Called once on the process's own thread, after pinning, before the first duty cycle. */
    default void onStart(ProcessContext context) {
    }

    /** A bounded amount of work other than network input; returns how much was done. */
    default int doWork() {
        return 0;
    }

    /** A data-plane frame arrived on one of the process's connections. */
    void onFrame(Connection connection, Frame frame);

    default void onReady(Connection connection) {
    }

    default void onClosed(Connection connection, String reason) {
    }

    /** Stop taking new work; returns true once in-flight work is done. Called each duty cycle while draining. */
    default boolean drain() {
        return true;
    }

    default void onClose() {
    }

    /** A one-line state for {@code strata cluster process} and logs. */
    default String describe() {
        return "ready";
    }
}
