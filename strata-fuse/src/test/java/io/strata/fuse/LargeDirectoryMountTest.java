package io.strata.fuse;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** A directory of 100,000 entries is listed completely, page by page, with readdir and with readdirplus. */
@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class LargeDirectoryMountTest {
    private static final int ENTRIES = 100_000;
    private TestMount mounted;

    @AfterEach
    void unmount() {
        if (mounted != null) {
            mounted.close();
        }
    }

    private MemoryFilesystem seeded() {
        MemoryFilesystem fs = new MemoryFilesystem();
        fs.seedDirectory("big");
        for (int i = 0; i < ENTRIES; i++) {
            fs.seedFile("big/entry-with-a-longish-name-" + i, new byte[0]);
        }
        return fs;
    }

    @ParameterizedTest
    @EnumSource(value = MountOptions.ReaddirPlus.class, names = {"NEVER", "ALWAYS"})
    void listsEveryEntryExactlyOnce(MountOptions.ReaddirPlus mode) throws IOException {
        MemoryFilesystem fs = seeded();
        mounted = TestMount.mount(fs, MountOptions.defaults().withReaddirPlus(mode));
        List<String> names;
        try (Stream<Path> listing = Files.list(mounted.path("big"))) {
            names = listing.map(p -> p.getFileName().toString()).toList();
        }
        assertThat(names).hasSize(ENTRIES);
        Set<String> unique = new HashSet<>(names);
        assertThat(unique).hasSize(ENTRIES);
        for (int i = 0; i < ENTRIES; i += 9_973) {
            assertThat(unique).contains("entry-with-a-longish-name-" + i);
        }
        assertThat(Shell.ok(mounted.dir, "ls -f big | wc -l")).isEqualTo(String.valueOf(ENTRIES + 2));
        assertThat(mounted.session().rejectedReplies()).isZero();
    }

    @Test
    void readdirplusCountsLookupsThatTheKernelForgetsAgain() throws Exception {
        MemoryFilesystem fs = new MemoryFilesystem();
        fs.seedDirectory("d");
        for (int i = 0; i < 2_000; i++) {
            fs.seedFile("d/f" + i, new byte[] {1});
        }
        mounted = TestMount.mount(fs, MountOptions.defaults().withReaddirPlus(MountOptions.ReaddirPlus.ALWAYS));
        assertThat(Shell.ok(mounted.dir, "ls -l d | wc -l")).isEqualTo("2001");
        Shell.ok(mounted.dir, "rm d/*");
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (fs.nodeCount() > 2 && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(fs.nodeCount()).as("root and d; every file released after unlink and forget").isEqualTo(2);
    }
}
