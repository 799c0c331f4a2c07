package io.strata.fuse;

/**
 * What travels with a /dev/fuse descriptor in a handover (as JSON beside the descriptor): where
 * the file system is mounted and what its INIT settled, which the new owner cannot ask again.
 *
 * @param unanswered the previous owner may have read requests it never answered (it died rather
 *     than drained): the new owner asks the kernel to send them again
 * @param clones how many descriptors of the previous owner's queues follow the master descriptor
 *     (kept open so their unanswered requests survive until they are sent again)
 */
public record HandoverState(String mountpoint, String fsName, SessionParameters parameters, boolean unanswered, int clones) {

    /** A drained connection: every request read was answered. */
    public HandoverState(String mountpoint, String fsName, SessionParameters parameters) {
        this(mountpoint, fsName, parameters, false, 0);
    }

    public HandoverState withDescriptors(boolean unanswered, int clones) {
        return new HandoverState(mountpoint, fsName, parameters, unanswered, clones);
    }
}
