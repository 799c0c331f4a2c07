package io.strata.fuse;

import static org.assertj.core.api.Assertions.assertThat;

import io.strata.runtime.Clock;
import java.nio.file.Files;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The benchmark backend: writes accepted and dropped, sizes tracked, reads of zeros. */
@Timeout(value = 30, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class DiscardStorageMountTest {
    private TestMount mounted;

    @AfterEach
    void unmount() {
        if (mounted != null) {
            mounted.close();
        }
    }

    @Test
    void keepsSizesButNoData() throws Exception {
        MemoryFilesystem fs = new MemoryFilesystem(MemoryFilesystem.Options.defaults()
                .withStorage(MemoryFilesystem.Storage.DISCARD).withDirectIo(true), Clock.SYSTEM);
        mounted = TestMount.mount(fs);
        Shell.ok(mounted.dir, "dd if=/dev/urandom of=f bs=1M count=64 oflag=direct status=none");
        assertThat(Files.size(mounted.path("f"))).isEqualTo(64L << 20);
        assertThat(Shell.ok(mounted.dir, "dd if=f bs=1M iflag=direct status=none | tr -d '\\000' | wc -c")).isEqualTo("0");
        assertThat(Shell.ok(mounted.dir, "dd if=f bs=1M iflag=direct status=none | wc -c")).isEqualTo(String.valueOf(64L << 20));
        Files.writeString(mounted.path("g"), "gone");
        assertThat(Files.readAllBytes(mounted.path("g"))).isEqualTo(new byte[4]);
        assertThat(mounted.session().rejectedReplies()).isZero();
    }
}
