package io.strata.config.server;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import io.strata.config.resources.ResourceFile;
import java.util.List;

/**
 * A container as its host agent keeps it on disk ({@code containers/<name>/container.json}): the
 * release it runs (and the one before, for rollback), whether it should run, how its processes
 * idle, and its resources: the running ones, edits staged for the next apply, and the last ones
 * it came up healthy on.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record ContainerDefinition(
        String name,
        String release,
        String previousRelease,
        DesiredState desired,
        String idleStrategy,
        ResourceFile resources,
        ResourceFile staged,
        ResourceFile lastGood,
        List<String> joinIps,
        long createdAtMillis) {

    public enum DesiredState { RUNNING, STOPPED }

    public ContainerDefinition {
        joinIps = joinIps == null ? List.of() : List.copyOf(joinIps);
    }

    public ContainerDefinition withDesired(DesiredState state) {
        return new ContainerDefinition(name, release, previousRelease, state, idleStrategy, resources, staged, lastGood, joinIps,
                createdAtMillis);
    }

    public ContainerDefinition withRelease(String newRelease) {
        return new ContainerDefinition(name, newRelease, release, desired, idleStrategy, resources, staged, lastGood, joinIps,
                createdAtMillis);
    }

    public ContainerDefinition withResources(ResourceFile newResources, ResourceFile newStaged, ResourceFile newLastGood) {
        return new ContainerDefinition(name, release, previousRelease, desired, idleStrategy, newResources, newStaged,
                newLastGood, joinIps, createdAtMillis);
    }
}
