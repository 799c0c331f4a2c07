/**
 * A bucket's replicated state machine: the pure, deterministic part of Strata's metadata service.
 *
 * <p>{@link io.strata.compute.bucket.BucketState} is the facade: {@code apply(BucketCommand)} for
 * everything that changes the bucket (what the Raft log carries, encoded by
 * {@link io.strata.compute.bucket.BucketCodec}), read-only queries, and binary snapshots. No
 * clock, randomness or I/O inside; commands carry their times and ids.
 *
 * <h2>Conventions</h2>
 * <ul>
 * <li>Ids: bucket in the top 16 bits, a per-bucket counter below ({@link io.strata.compute.bucket.Inodes}).
 *     A root directory's counter is {@code ROOT_FLAG | fsId}, so roots of filesystems that share
 *     a bucket never collide.
 * <li>Link counts: a file's nlink is the number of names pointing at it; a directory's is
 *     2 + its subdirectories (its name in the parent, its ".", each child's ".."); a root's is
 *     2 + its subdirectories too.
 * <li>Directory entries live with their directory's inode; files, symlinks and special files
 *     live in their parent's bucket when created; directories in
 *     {@link io.strata.compute.bucket.Inodes#directoryBucket}. Renames and links may leave a name
 *     in one bucket pointing at an inode in another.
 * <li>Errors: {@link io.strata.compute.bucket.FsException} with a Linux errno; EXDEV asks the
 *     leader to run the operation as a transaction, EBUSY asks the frontend to retry, ESTALE
 *     says an inode number belongs to another bucket (the frontend's routing is stale) or a
 *     transaction's view went stale, EIO marks a command the leader should not have sent.
 * </ul>
 *
 * <h2>Cross-bucket transactions</h2>
 * Two-phase commit with presumed abort. The coordinator is the bucket that received the request;
 * its log holds {@code TxBegin} (the operation), {@code TxDecided} and {@code TxFinished}.
 * {@link io.strata.compute.bucket.TxPlanner} turns the operation into rounds of
 * {@link io.strata.compute.bucket.TxOp}s from the answers of earlier rounds (a name's inode, a new
 * inode's number, where an ancestor chain leaves a bucket), so participants validate and lock in
 * {@code TxPrepare} and apply in {@code TxCommit} without any data in the commit. Participants
 * remember each round's answers, which makes resuming after a coordinator crash a matter of
 * re-sending everything from round 0 ({@link io.strata.compute.bucket.TxCoordinator}).
 * Cycles from concurrent directory moves are prevented by pinning the new parent's ancestors.
 */
package io.strata.compute.bucket;
