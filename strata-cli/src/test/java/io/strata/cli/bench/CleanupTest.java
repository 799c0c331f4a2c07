package io.strata.cli.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Every action runs once: by its owner, or newest first when the bench ends. */
class CleanupTest {
    private final StringWriter text = new StringWriter();
    private final Cleanup cleanup = new Cleanup(new PrintWriter(text, true));
    private final List<String> ran = new ArrayList<>();

    @Test
    void whatIsLeftIsUndoneNewestFirstAndOnlyOnce() {
        cleanup.register("stop the sandbox", () -> ran.add("sandbox"));
        Cleanup.Action mount = cleanup.register("unmount", () -> ran.add("unmount"));
        cleanup.register("remove the folder", () -> ran.add("folder"));
        mount.close();
        mount.close();
        cleanup.close();
        cleanup.close();
        assertThat(ran).containsExactly("unmount", "folder", "sandbox");
    }

    @Test
    void aDiscardedActionNeverRuns() {
        Cleanup.Action action = cleanup.register("stop the sandbox", () -> ran.add("sandbox"));
        action.discard();
        action.close();
        cleanup.close();
        assertThat(ran).isEmpty();
    }

    @Test
    void oneFailureDoesNotStopTheRest() {
        cleanup.register("first", () -> ran.add("first"));
        cleanup.register("fail", () -> {
            throw new IllegalStateException("busy");
        });
        cleanup.close();
        assertThat(ran).containsExactly("first");
        assertThat(text.toString()).isEqualTo("warning: could not fail: busy" + System.lineSeparator());
    }

    @Test
    void beforeAnInterruptNothingIsCancelled() {
        assertThat(cleanup.cancelled()).isFalse();
        cleanup.checkNotCancelled();
        cleanup.close();
    }
}
