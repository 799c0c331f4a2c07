package io.strata.compute.bucket;

/** Where a coordinator's transaction stands in its bucket's log. */
public enum TxPhase {
    PREPARING,
    COMMITTING,
    ABORTING
}
