package io.strata.drive.store;

/** Receives completed operations on the owner thread, from {@link DriveIo#poll}. */
@FunctionalInterface
public interface CompletionHandler {
    /**
     * The op is the owner's again when this is called: it may be inspected, resubmitted or reused,
     * and its buffer released (or kept, for as long as its data is needed).
     */
    void onComplete(DriveOp op);
}
