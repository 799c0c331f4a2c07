package io.strata.container;

import io.strata.control.service.ManagementApi;
import io.strata.control.service.ManagementMessages.DriveFormatRequest;
import io.strata.control.service.ManagementMessages.FormattedDrive;
import io.strata.drive.store.DriveFormatter;
import io.strata.drive.store.FormatRequest;
import io.strata.drive.store.Superblock;
import io.strata.protocol.rpc.Access;
import io.strata.protocol.rpc.RpcRegistry;
import io.strata.runtime.StrataException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Formats drives on this server for the cluster, when a management process asks on behalf of
 * {@code strata cluster drive add}. All paths are checked before any is formatted, so a bad
 * path leaves every drive as it was.
 */
final class DriveAdmin {
    private static final long MIN_REGION_BYTES = 64L << 20;
    private static final long MAX_REGION_BYTES = 1L << 30;
    /** Regions per drive the geometry aims at: enough for every bucket to lease a few on each drive. */
    private static final long TARGET_REGIONS = 512;

    private DriveAdmin() {
    }

    static void register(RpcRegistry registry) {
        registry.register(ManagementApi.DRIVE_FORMAT, DriveFormatRequest.class, Access.MEMBER, (ctx, request) -> format(request));
    }

    static long regionBytesFor(long deviceBytes) {
        long region = MIN_REGION_BYTES;
        while (region < MAX_REGION_BYTES && deviceBytes / region > TARGET_REGIONS) {
            region <<= 1;
        }
        return region;
    }

    private static List<FormattedDrive> format(DriveFormatRequest request) {
        for (String path : request.paths()) {
            if (!Files.exists(Path.of(path))) {
                throw StrataException.notFound("no drive at %s", path);
            }
        }
        List<FormattedDrive> formatted = new ArrayList<>();
        for (String path : request.paths()) {
            long size = deviceSize(Path.of(path));
            FormatRequest format = new FormatRequest(UUID.fromString(request.clusterId()), UUID.randomUUID(), regionBytesFor(size),
                    request.force());
            Superblock superblock = DriveFormatter.format(Path.of(path), format);
            formatted.add(new FormattedDrive(path, superblock.driveId().toString(), superblock.deviceSizeBytes(),
                    superblock.regionSizeBytes(), superblock.firstRegionOffset(), (int) superblock.regionCount()));
        }
        return formatted;
    }

    private static long deviceSize(Path path) {
        try (var channel = java.nio.channels.FileChannel.open(path, java.nio.file.StandardOpenOption.READ)) {
            return channel.size();
        } catch (IOException e) {
            throw StrataException.unavailable("cannot read the size of %s: %s", path, e.getMessage());
        }
    }
}
