package io.strata.config.cluster;

/** The outcome of applying a command: the next state and what to answer the proposer. */
public record Applied(ControlState state, Object reply) {
}
