package io.strata.resources;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Temporary folders for recorded shapes: in memory (/dev/shm) where there is one, as shapes are thousands of tiny files. */
final class TempDirs {
    private static final Path SHM = Path.of("/dev/shm");

    private TempDirs() {
    }

    static Path create(String prefix) {
        try {
            if (Files.isDirectory(SHM) && Files.isWritable(SHM)) {
                return Files.createTempDirectory(SHM, "strata-" + prefix);
            }
            return Files.createTempDirectory("strata-" + prefix);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
