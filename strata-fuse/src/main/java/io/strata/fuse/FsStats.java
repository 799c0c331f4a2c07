package io.strata.fuse;

/** What statfs(2) reports ({@code struct fuse_kstatfs}); block counts are in {@code fragmentSizeBytes} units. */
public record FsStats(
        long blocks,
        long freeBlocks,
        long availableBlocks,
        long files,
        long freeFiles,
        int blockSizeBytes,
        int maxNameLength,
        int fragmentSizeBytes) {
}
