package io.strata.fuse;

/**
 * What travels with a /dev/fuse descriptor in a handover (as JSON beside the descriptor): where
 * the file system is mounted and what its INIT settled, which the new owner cannot ask again.
 */
public record HandoverState(String mountpoint, String fsName, SessionParameters parameters) {
}
