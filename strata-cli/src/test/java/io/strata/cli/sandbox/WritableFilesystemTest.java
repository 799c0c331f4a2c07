package io.strata.cli.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.strata.runtime.StrataException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WritableFilesystemTest {
    @TempDir
    Path dir;

    @Test
    void aWritableFilesystemIsReadyAtOnceAndKeepsNoProbe() {
        WritableFilesystem.Wait wait = WritableFilesystem.await(dir, 5_000, 10, () -> false);
        assertThat(wait.lastRefusal()).isNull();
        assertThat(dir).isEmptyDirectory();
    }

    @Test
    void refusedWritesAreTriedAgainUntilOneLands() throws Exception {
        Path mount = dir.resolve("mnt");
        AtomicInteger asked = new AtomicInteger();
        // the "filesystem" starts taking writes on the third try: its folder appears
        WritableFilesystem.Wait wait = WritableFilesystem.await(mount, 5_000, 1, () -> {
            if (asked.incrementAndGet() == 3) {
                try {
                    Files.createDirectories(mount);
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }
            return false;
        });
        assertThat(asked).hasValue(3);
        assertThat(wait.lastRefusal()).contains("mnt");
        assertThat(mount).isEmptyDirectory();
    }

    @Test
    void aFilesystemThatNeverTakesWritesIsAClearErrorAfterTheTimeout() {
        Path missing = dir.resolve("never");
        assertThatThrownBy(() -> WritableFilesystem.await(missing, 50, 5, () -> false)).isInstanceOf(StrataException.class)
                .hasMessageStartingWith("the filesystem at " + missing + " still refuses writes 0 s after it was mounted: ")
                .hasMessageContaining(WritableFilesystem.PROBE);
    }

    @Test
    void aCancelledWaitStopsAtOnce() {
        assertThatThrownBy(() -> WritableFilesystem.await(dir.resolve("never"), 60_000, 5, () -> true))
                .isInstanceOf(StrataException.class).hasMessageContaining("interrupted");
    }
}
