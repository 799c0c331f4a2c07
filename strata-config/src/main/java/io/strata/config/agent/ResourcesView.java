package io.strata.config.agent;

import io.strata.config.resources.ResourceFile;

/** A container's resources: what it runs on, what is staged for the next apply, and the last good ones. */
public record ResourcesView(String container, ResourceFile running, ResourceFile staged, ResourceFile lastGood, String outcome) {
}
