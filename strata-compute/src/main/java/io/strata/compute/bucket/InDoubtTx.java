package io.strata.compute.bucket;

/**
 * A transaction this bucket has prepared and not yet seen decided. If it stays so for long, the
 * leader asks the coordinator bucket ({@link BucketState#coordinatorPhase}) and resolves it with
 * {@link TxCoordinator#resolveInDoubt}.
 */
public record InDoubtTx(long txId, int coordinatorBucket, long preparedAtNs) {
}
