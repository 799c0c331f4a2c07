package io.strata.control.service;

import io.strata.config.cluster.Health;
import io.strata.control.service.ManagementMessages.ContainerRuntimeStatus;
import java.util.Map;

/** What the management process knows of the container it lives in. */
public interface ContainerRuntime {
    ContainerRuntimeStatus status();

    /** Health of each role process, by slot. */
    Map<Integer, Health> processHealth();

    /** Finishes in-flight work and takes no new work (a graceful stop's first step). */
    void drain();
}
