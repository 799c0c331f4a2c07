package io.strata.drive.store;

import static io.strata.drive.store.DriveLayout.BLOCK_BYTES;

import io.strata.runtime.Clock;
import io.strata.runtime.StrataException;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Formats a block device (or, in the sandbox, a file standing in for one) as a Strata drive:
 * zeroes the header area (superblock, fencing tables), then writes the backup superblock (last
 * block of the device) and the primary (first block), each followed by fdatasync. Chunk space is
 * not touched: chunks of an earlier format carry another format stamp and read as NOT_FOUND.
 *
 * <p>Refuses, with one line naming the path and the reason: a missing path, a device in use
 * (mounted, held, swap, backing a loop device; {@code force} does not override this), a device too
 * small for the header area and two regions, and, unless {@code force}, a device that already
 * holds a Strata superblock, of another cluster or of this one.
 */
public final class DriveFormatter {
    private static final Logger LOG = LoggerFactory.getLogger(DriveFormatter.class);

    private DriveFormatter() {
    }

    public static Superblock format(Path device, FormatRequest request) {
        return format(device, request, Clock.SYSTEM, DeviceUsage.SYSTEM);
    }

    static Superblock format(Path device, FormatRequest request, Clock clock, DeviceUsage usage) {
        checkRequest(device, request);
        checkNotInUse(device, usage);
        try (Arena arena = Arena.ofConfined();
             FileChannel channel = Drive.openChannel(device, DirectIoMode.AUTO, DurabilityMode.FDATASYNC).channel()) {
            long size = channel.size();
            long needed = DriveLayout.minDeviceBytes(request.regionSizeBytes());
            if (size < needed) {
                throw StrataException.invalid("cannot format %s: %d B is too small for the %d B header area and %d regions "
                        + "of %d B (needs at least %d B)", device, size, DriveLayout.HEADER_AREA_BYTES,
                        DriveLayout.MIN_REGION_COUNT, request.regionSizeBytes(), needed);
            }
            ByteBuffer block = AlignedIo.allocateAligned(arena, DriveLayout.HEADER_AREA_BYTES);
            Optional<Superblock> existing = checkExisting(device, channel, block, size, request);
            Superblock superblock = layout(request, size, clock.epochMillis(), existing);
            writeFormat(channel, block, superblock);
            LOG.info("formatted {}: {}", device, superblock);
            return superblock;
        } catch (IOException e) {
            throw StrataException.unavailable("cannot format %s: %s", device, e.getMessage());
        }
    }

    private static void checkRequest(Path device, FormatRequest request) {
        if (request.clusterId() == null || request.driveId() == null) {
            throw StrataException.invalid("cannot format %s: cluster id and drive id are required", device);
        }
        long region = request.regionSizeBytes();
        if (region < DriveLayout.MIN_REGION_BYTES || region > DriveLayout.MAX_REGION_BYTES
                || region % DriveLayout.REGION_ALIGNMENT_BYTES != 0) {
            throw StrataException.invalid("cannot format %s: region size %d B is not a whole number of MiB "
                    + "between 1 MiB and 1 TiB", device, region);
        }
    }

    private static void checkNotInUse(Path device, DeviceUsage usage) {
        if (!Files.exists(device)) {
            throw StrataException.notFound("cannot format %s: no such device or file", device);
        }
        try {
            if (!Files.isRegularFile(device) && !DeviceUsage.isBlockDevice(device.toRealPath())) {
                throw StrataException.invalid("cannot format %s: not a block device nor a regular file", device);
            }
            Optional<String> inUse = usage.inUse(device);
            if (inUse.isPresent()) {
                throw StrataException.conflict("cannot format %s: %s", device, inUse.get());
            }
        } catch (IOException e) {
            throw StrataException.unavailable("cannot format %s: cannot tell whether it is in use: %s", device, e.getMessage());
        }
    }

    /** The superblock already on the device, if any; refused unless {@code force}. */
    private static Optional<Superblock> checkExisting(Path device, FileChannel channel, ByteBuffer block, long size,
            FormatRequest request) throws IOException {
        Superblock.Decoded primary = Drive.readCopy(channel, block, DriveLayout.PRIMARY_SUPERBLOCK_OFFSET, size);
        long backupOffset = primary.valid() ? primary.superblock().backupOffset() : DriveLayout.backupSuperblockOffset(size);
        Superblock.Decoded backup = Drive.readCopy(channel, block, backupOffset, size);
        Superblock found = primary.valid() ? primary.superblock() : backup.valid() ? backup.superblock() : null;
        if (request.force()) {
            return Optional.ofNullable(found);
        }
        if (found != null && !found.clusterId().equals(request.clusterId())) {
            throw StrataException.conflict("cannot format %s: it belongs to cluster %s (as drive %s); use force to overwrite it",
                    device, found.clusterId(), found.driveId());
        }
        if (found != null) {
            throw StrataException.conflict("cannot format %s: already formatted for this cluster as drive %s; "
                    + "use force to overwrite it", device, found.driveId());
        }
        if (primary.defect() != Superblock.Defect.NO_MAGIC || backup.defect() != Superblock.Defect.NO_MAGIC) {
            throw StrataException.conflict("cannot format %s: it holds a damaged Strata superblock; use force to overwrite it",
                    device);
        }
        return Optional.empty();
    }

    private static Superblock layout(FormatRequest request, long size, long nowMs, Optional<Superblock> existing) {
        long deviceSize = DriveLayout.alignDown(size, BLOCK_BYTES);
        long backupOffset = DriveLayout.backupSuperblockOffset(deviceSize);
        long firstRegion = DriveLayout.HEADER_AREA_BYTES;
        long regionCount = (backupOffset - firstRegion) / request.regionSizeBytes();
        long stamp = formatStamp(request, nowMs);
        if (existing.isPresent() && existing.get().formatStamp() == stamp) {
            stamp++; // chunks of the previous format must not read as this one's
        }
        return new Superblock(DriveLayout.FORMAT_VERSION, request.clusterId(), request.driveId(), deviceSize,
                request.regionSizeBytes(), regionCount, firstRegion, nowMs, stamp, backupOffset,
                DriveLayout.FENCE_TABLE_A_OFFSET, DriveLayout.FENCE_TABLE_B_OFFSET, DriveLayout.FENCE_TABLE_BYTES);
    }

    /** Distinguishes this format of the drive from earlier ones; stored in every chunk header. */
    private static long formatStamp(FormatRequest request, long nowMs) {
        long mixed = request.driveId().getMostSignificantBits() ^ Long.rotateLeft(request.driveId().getLeastSignificantBits(), 21)
                ^ nowMs * 0x9E3779B97F4A7C15L;
        mixed = (mixed ^ (mixed >>> 33)) * 0xFF51AFD7ED558CCDL;
        mixed = (mixed ^ (mixed >>> 33)) * 0xC4CEB9FE1A85EC53L;
        return mixed ^ (mixed >>> 33);
    }

    private static void writeFormat(FileChannel channel, ByteBuffer headerArea, Superblock superblock) throws IOException {
        for (int i = 0; i < headerArea.capacity(); i += 8) {
            headerArea.putLong(i, 0);
        }
        AlignedIo.writeFully(channel, headerArea, 0, headerArea.capacity(), 0);
        Drive.writeSuperblock(channel, headerArea, superblock, Superblock.COPY_BACKUP, superblock.backupOffset());
        channel.force(false);
        Drive.writeSuperblock(channel, headerArea, superblock, Superblock.COPY_PRIMARY, DriveLayout.PRIMARY_SUPERBLOCK_OFFSET);
        channel.force(false);
    }

    /**
     * Creates (or grows) a regular file of {@code sizeBytes} to stand in for a device in the
     * sandbox. The file is sparse: blocks are allocated as chunks are first written, so a full file
     * system shows up as IO_ERROR on a write, and first writes cost more than overwrites.
     */
    public static void preallocateFile(Path file, long sizeBytes) {
        if (sizeBytes <= 0 || !DriveLayout.isBlockAligned(sizeBytes)) {
            throw StrataException.invalid("cannot create %s: size %d B is not a positive multiple of 4096", file, sizeBytes);
        }
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
                StandardOpenOption.WRITE)) {
            long current = channel.size();
            if (current > sizeBytes) {
                throw StrataException.invalid("cannot size %s to %d B: it is already %d B", file, sizeBytes, current);
            }
            if (current < sizeBytes) {
                // One zero block at the end sets the length without allocating the hole before it.
                ByteBuffer lastBlock = ByteBuffer.allocate(BLOCK_BYTES);
                AlignedIo.writeFully(channel, lastBlock, 0, BLOCK_BYTES, sizeBytes - BLOCK_BYTES);
            }
        } catch (IOException e) {
            throw StrataException.unavailable("cannot create %s: %s", file, e.getMessage());
        }
    }
}
