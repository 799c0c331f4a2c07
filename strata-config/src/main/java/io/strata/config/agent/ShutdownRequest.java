package io.strata.config.agent;

/** Stops the host agent; its containers keep running unless {@code stopContainers}. */
public record ShutdownRequest(boolean stopContainers) {
}
