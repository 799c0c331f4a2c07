package io.strata.config.agent;

import io.strata.config.resources.ResourceFile;

/**
 * A container as its host agent sees it: what it should be doing, what it is doing, and how it
 * last failed. One line of {@code strata local ps}.
 */
public record ContainerStatus(
        String name,
        String release,
        String desired,
        String state,
        boolean ready,
        long pid,
        long startedAtMillis,
        int basePort,
        Integer containerId,
        String lastFailure,
        long lastFailureAtMillis,
        int restarts,
        ResourceFile resources) {
}
