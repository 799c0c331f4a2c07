package io.strata.drive.store;

import io.strata.runtime.StrataException;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One opened, verified drive: its superblock, its fencing table and the channel all IO goes
 * through. {@link DriveIo} drives it; the design (layout, threads, durability, fencing) is
 * described there.
 *
 * <p>Opening reads the primary superblock and falls back to the backup (the device's last block)
 * when the primary is damaged, repairing the damaged copy from the good one. Close the
 * {@link DriveIo} first, then the drive.
 */
public final class Drive implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Drive.class);
    /**
     * {@code com.sun.nio.file.DIRECT}, looked up by name: javac warns on every
     * use of that jdk.unsupported class, and the warning cannot be suppressed.
     */
    private static final OpenOption DIRECT = directOption();

    private final Path path;
    private final FileChannel channel;
    private final boolean directIo;
    private final DriveOptions options;
    private final Superblock superblock;
    private final Arena arena;
    private final FencingTable fencing;
    private final HeaderCache headerCache;
    private final GroupCommit groupCommit;
    private final ChunkStore store;

    private Drive(Path path, OpenedChannel opened, DriveOptions options, Superblock superblock, Arena arena) throws IOException {
        this.path = path;
        this.channel = opened.channel();
        this.directIo = opened.direct();
        this.options = options;
        this.superblock = superblock;
        this.arena = arena;
        ByteBuffer fenceBuffer = AlignedIo.allocateAligned(arena, superblock.fenceTableBytes());
        this.fencing = FencingTable.load(channel, superblock, fenceBuffer, path.toString());
        this.headerCache = new HeaderCache(options.headerCacheEntries(), superblock.regionCount());
        this.groupCommit = new GroupCommit(channel, options.clock());
        this.store = new ChunkStore(this, fencing, headerCache, options.clock(), options.maxReadGapBytes());
    }

    /** Opens and verifies a formatted drive; every refusal is a one-line {@link StrataException}. */
    public static Drive open(Path device, DriveOptions options) {
        if (!Files.exists(device)) {
            throw StrataException.notFound("cannot open drive %s: no such device or file", device);
        }
        Arena arena = Arena.ofShared();
        OpenedChannel opened = null;
        try {
            opened = openChannel(device, options.directIo(), options.durability());
            ByteBuffer block = AlignedIo.allocateAligned(arena, DriveLayout.SUPERBLOCK_BYTES);
            SuperblockCopies copies = readSuperblocks(device, opened.channel(), block);
            checkIdentity(device, opened.channel(), copies.good(), options);
            repairSuperblock(device, opened.channel(), block, copies, options.repairSuperblock());
            return new Drive(device, opened, options, copies.good(), arena);
        } catch (IOException e) {
            closeQuietly(opened, arena);
            throw StrataException.unavailable("cannot open drive %s: %s", device, e.getMessage());
        } catch (RuntimeException e) {
            closeQuietly(opened, arena);
            throw e;
        }
    }

    private static void checkIdentity(Path device, FileChannel channel, Superblock superblock, DriveOptions options) throws IOException {
        UUID expected = options.expectedClusterId();
        if (expected != null && !expected.equals(superblock.clusterId())) {
            throw StrataException.conflict("drive %s belongs to cluster %s (as drive %s), not to cluster %s",
                    device, superblock.clusterId(), superblock.driveId(), expected);
        }
        long size = channel.size();
        if (size < superblock.deviceSizeBytes()) {
            throw StrataException.invalid("drive %s is %d B but was formatted as %d B: it was truncated or is another device",
                    device, size, superblock.deviceSizeBytes());
        }
    }

    /** Both superblock copies as read; {@code good} is the primary when valid, else the backup. */
    private record SuperblockCopies(Superblock good, Superblock.Decoded primary, Superblock.Decoded backup, long backupOffset) {
        Superblock.Decoded damaged() {
            return primary.valid() ? (backup.valid() ? null : backup) : primary;
        }
    }

    private static SuperblockCopies readSuperblocks(Path device, FileChannel channel, ByteBuffer block) throws IOException {
        long size = channel.size();
        Superblock.Decoded primary = readCopy(channel, block, DriveLayout.PRIMARY_SUPERBLOCK_OFFSET, size);
        long backupOffset = primary.valid() ? primary.superblock().backupOffset() : DriveLayout.backupSuperblockOffset(size);
        Superblock.Decoded backup = readCopy(channel, block, backupOffset, size);
        if (!primary.valid() && !backup.valid()) {
            if (primary.defect() == Superblock.Defect.NO_MAGIC && backup.defect() == Superblock.Defect.NO_MAGIC) {
                throw StrataException.invalid("%s is not a formatted Strata drive (no superblock at offset 0 nor at %d)",
                        device, backupOffset);
            }
            throw StrataException.invalid("%s has a corrupt superblock: primary %s, backup %s",
                    device, describe(primary), describe(backup));
        }
        Superblock good = primary.valid() ? primary.superblock() : backup.superblock();
        return new SuperblockCopies(good, primary, backup, backupOffset);
    }

    /**
     * Rewrites a damaged copy from the good one. A copy without our magic is left alone: it may be
     * another program's data written over the drive, which a person should look at first.
     */
    private static void repairSuperblock(Path device, FileChannel channel, ByteBuffer block, SuperblockCopies copies,
            boolean repair) throws IOException {
        Superblock.Decoded damaged = copies.damaged();
        if (damaged == null) {
            return;
        }
        boolean primaryDamaged = damaged == copies.primary();
        String which = primaryDamaged ? "primary" : "backup";
        boolean rewrite = repair && damaged.defect() != Superblock.Defect.NO_MAGIC;
        LOG.warn("{}: {} superblock is {}; using the other copy{}", device, which, describe(damaged),
                rewrite ? " and repairing this one" : " (not repairing it)");
        if (rewrite) {
            long offset = primaryDamaged ? DriveLayout.PRIMARY_SUPERBLOCK_OFFSET : copies.good().backupOffset();
            writeSuperblock(channel, block, copies.good(), primaryDamaged ? Superblock.COPY_PRIMARY : Superblock.COPY_BACKUP, offset);
            channel.force(false);
        }
    }

    static Superblock.Decoded readCopy(FileChannel channel, ByteBuffer block, long offset, long deviceSize) throws IOException {
        if (offset < 0 || offset + DriveLayout.SUPERBLOCK_BYTES > deviceSize) {
            return new Superblock.Decoded(null, Superblock.Defect.NO_MAGIC, -1);
        }
        AlignedIo.readFully(channel, block, 0, DriveLayout.SUPERBLOCK_BYTES, offset);
        return Superblock.decode(block.duplicate().position(0));
    }

    static void writeSuperblock(FileChannel channel, ByteBuffer block, Superblock superblock, int copy, long offset) throws IOException {
        superblock.encode(block.duplicate().position(0), copy);
        AlignedIo.writeFully(channel, block, 0, DriveLayout.SUPERBLOCK_BYTES, offset);
    }

    private static String describe(Superblock.Decoded decoded) {
        return switch (decoded.defect()) {
            case NONE -> "valid";
            case NO_MAGIC -> "missing";
            case BAD_CRC -> "CRC mismatch";
            case UNSUPPORTED_VERSION -> "unsupported format version";
            case INCONSISTENT -> "inconsistent geometry";
        };
    }

    record OpenedChannel(FileChannel channel, boolean direct) {
    }

    /** Opens read-write, with O_DIRECT when asked and possible (falls back with a log line in AUTO). */
    static OpenedChannel openChannel(Path device, DirectIoMode mode, DurabilityMode durability) throws IOException {
        List<OpenOption> options = new ArrayList<>(List.of(StandardOpenOption.READ, StandardOpenOption.WRITE));
        if (durability == DurabilityMode.DSYNC) {
            options.add(StandardOpenOption.DSYNC);
        }
        if (mode != DirectIoMode.OFF) {
            String refusal = directIoRefusal(device);
            if (refusal == null) {
                options.add(DIRECT);
                try {
                    return new OpenedChannel(FileChannel.open(device, options.toArray(OpenOption[]::new)), true);
                } catch (IOException | UnsupportedOperationException e) {
                    options.remove(DIRECT);
                    refusal = e.getMessage();
                }
            }
            if (mode == DirectIoMode.REQUIRED) {
                throw StrataException.invalid("drive %s cannot be opened with direct IO: %s", device, refusal);
            }
            LOG.info("{}: direct IO not available ({}); using buffered IO", device, refusal);
        }
        return new OpenedChannel(FileChannel.open(device, options.toArray(OpenOption[]::new)), false);
    }

    private static OpenOption directOption() {
        try {
            for (Object constant : Class.forName("com.sun.nio.file.ExtendedOpenOption").getEnumConstants()) {
                if (((Enum<?>) constant).name().equals("DIRECT")) {
                    return (OpenOption) constant;
                }
            }
        } catch (ClassNotFoundException e) {
            // a JDK without jdk.unsupported: buffered IO only
        }
        return null;
    }

    /** Why O_DIRECT cannot work with 4 KiB IOs here, or null. */
    private static String directIoRefusal(Path device) {
        if (DIRECT == null) {
            return "this JDK has no ExtendedOpenOption.DIRECT";
        }
        try {
            long blockSize = Files.getFileStore(device).getBlockSize();
            return blockSize > DriveLayout.BLOCK_BYTES ? "file system block size " + blockSize + " B exceeds 4096 B" : null;
        } catch (IOException | UnsupportedOperationException e) {
            return null; // let the open itself decide
        }
    }

    private static void closeQuietly(OpenedChannel opened, Arena arena) {
        try {
            if (opened != null) {
                opened.channel().close();
            }
        } catch (IOException ignored) {
            // the error that made us close is the one to report
        }
        arena.close();
    }

    public Path path() {
        return path;
    }

    public Superblock superblock() {
        return superblock;
    }

    public UUID driveId() {
        return superblock.driveId();
    }

    public UUID clusterId() {
        return superblock.clusterId();
    }

    /** Bytes available to chunks (all regions). */
    public long capacityBytes() {
        return superblock.capacityBytes();
    }

    public long regionSizeBytes() {
        return superblock.regionSizeBytes();
    }

    public long regionCount() {
        return superblock.regionCount();
    }

    public long regionOffset(long regionIndex) {
        if (regionIndex < 0 || regionIndex >= superblock.regionCount()) {
            throw StrataException.invalid("region %d does not exist on drive %s (regions 0..%d)",
                    regionIndex, superblock.driveId(), superblock.regionCount() - 1);
        }
        return superblock.regionOffset(regionIndex);
    }

    public boolean isDirectIo() {
        return directIo;
    }

    public DurabilityMode durability() {
        return options.durability();
    }

    /** The highest term the drive has accepted for the bucket, or -1 if none. Any thread. */
    public long highestTerm(int bucketId) {
        return fencing.highestTerm(bucketId);
    }

    /** True once an fdatasync failed: from then on no write is acknowledged (reopen the drive). */
    public boolean hasFailed() {
        return groupCommit.hasFailed();
    }

    FileChannel channel() {
        return channel;
    }

    ChunkStore store() {
        return store;
    }

    HeaderCache headerCache() {
        return headerCache;
    }

    GroupCommit groupCommit() {
        return groupCommit;
    }

    Arena arena() {
        return arena;
    }

    void logIoError(String what, IOException e) {
        LOG.warn("{}: {} failed: {}", path, what, e.toString());
    }

    @Override
    public void close() {
        try {
            channel.close();
        } catch (IOException e) {
            LOG.warn("{}: close failed: {}", path, e.toString());
        }
        arena.close();
    }
}
