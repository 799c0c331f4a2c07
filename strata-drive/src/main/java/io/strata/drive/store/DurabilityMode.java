package io.strata.drive.store;

/** How a WRITE reaches stable storage before it is acknowledged. */
public enum DurabilityMode {
    /** Group commit: the writes of a batch land, then one fdatasync covers them all. */
    FDATASYNC,
    /** The drive is opened O_DSYNC: every write is durable when it returns, no separate sync. */
    DSYNC
}
