package io.strata.cli.sandbox;

import io.strata.runtime.StrataException;
import java.io.IOException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * Waits until a just-mounted filesystem takes a write. A new cluster's filesystem is mounted
 * while its buckets may still be electing leaders, fencing drives and leasing space; a write in
 * that window waits seconds or, seen before, fails (No space left on device). So a sandbox is
 * called up only once a real write through its mount has landed: a 1 MiB probe file, written
 * and removed.
 */
final class WritableFilesystem {
    /** How long the wait took, and the last refusal met on the way (null when none). */
    record Wait(double seconds, String lastRefusal) {
    }

    static final String PROBE = ".strata-sandbox-probe";

    private WritableFilesystem() {
    }

    static Wait await(Path mountpoint, long timeoutMs, long pauseMs, BooleanSupplier cancelled) {
        Path probe = mountpoint.resolve(PROBE);
        byte[] data = new byte[1 << 20];
        long begun = System.nanoTime();
        String refusal = null;
        while (true) {
            if (cancelled.getAsBoolean()) {
                throw StrataException.unavailable("interrupted while waiting for %s to take writes", mountpoint);
            }
            try {
                Files.write(probe, data);
                Files.delete(probe);
                return new Wait((System.nanoTime() - begun) / 1e9, refusal);
            } catch (IOException e) {
                refusal = e instanceof FileSystemException fs && fs.getReason() != null ? fs.getReason() : e.toString();
            }
            if (System.nanoTime() - begun > TimeUnit.MILLISECONDS.toNanos(timeoutMs)) {
                throw StrataException.unavailable("the filesystem at %s still refuses writes %d s after it was mounted: %s",
                        mountpoint, TimeUnit.MILLISECONDS.toSeconds(timeoutMs), refusal);
            }
            Sandbox.sleep(pauseMs);
        }
    }
}
