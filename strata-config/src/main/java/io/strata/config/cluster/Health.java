package io.strata.config.cluster;

/** Whether the control plane hears from a container (and its processes). */
public enum Health { UP, DOWN }
