package io.strata.systemtest.posix;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The exerciser itself, on the local file system (no mount needed): a seed replays the same run,
 * it leaves its directory empty, and a file system that disagrees with the model is reported with
 * the seed, the operation and the last operations.
 */
class FsExerciserTest {
    private static final FsExerciser.Options SMALL = new FsExerciser.Options(4, 1 << 20, 256 * 1024, 256 * 1024, 3,
            50, 50);

    @TempDir
    Path dir;

    @Test
    void aSeedReplaysTheSameRun() throws IOException {
        Path first = Files.createDirectory(dir.resolve("first"));
        Path second = Files.createDirectory(dir.resolve("second"));
        FsExerciser.Report one = new FsExerciser(first, first, SMALL).run(7, 600);
        FsExerciser.Report again = new FsExerciser(second, second, SMALL).run(7, 600);
        FsExerciser.Report other = new FsExerciser(second, second, SMALL).run(8, 600);
        assertThat(again.counts()).isEqualTo(one.counts());
        assertThat(again.bytesWritten()).isEqualTo(one.bytesWritten());
        assertThat(again.bytesRead()).isEqualTo(one.bytesRead());
        assertThat(other.bytesWritten()).as("another seed, another run").isNotEqualTo(one.bytesWritten());
        assertThat(one.counts().keySet()).as("every kind of operation happens")
                .containsAll(EnumSet.allOf(FsExerciser.Kind.class));
        try (var left = Files.list(first)) {
            assertThat(left).as("the run removes its files").isEmpty();
        }
    }

    @Test
    void twoUnrelatedDirectoriesAreReportedWithSeedOperationAndLog() throws IOException {
        // what a file system shows that loses, through one mount, what the other wrote
        Path a = Files.createDirectory(dir.resolve("a"));
        Path b = Files.createDirectory(dir.resolve("b"));
        FsExerciser.ExerciserFailure failure = catchThrowableOfType(FsExerciser.ExerciserFailure.class,
                () -> new FsExerciser(a, b, SMALL).run(99, 600));
        assertThat(failure).isNotNull();
        assertThat(failure.seed()).isEqualTo(99);
        assertThat(failure.operation()).isBetween(1, 600);
        assertThat(failure.getMessage()).contains("seed 99", "operation " + failure.operation() + " of 600",
                "last ", "#" + failure.operation() + " ", "run(99L, 600)");
    }

    @Test
    void refusesADirectoryThatIsNotEmpty() throws IOException {
        Files.writeString(dir.resolve("stray"), "x");
        assertThatThrownBy(() -> new FsExerciser(dir, dir, SMALL).run(1, 10))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("empty directory");
    }
}
