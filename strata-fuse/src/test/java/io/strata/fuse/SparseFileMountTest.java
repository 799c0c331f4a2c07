package io.strata.fuse;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.StandardOpenOption;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Files beyond 4 GiB (offsets past 32 bits), sparse, through the mount. */
@Timeout(value = 30, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class SparseFileMountTest {
    private static final long GIB = 1L << 30;
    private TestMount mounted;

    @AfterEach
    void unmount() {
        if (mounted != null) {
            mounted.close();
        }
    }

    @Test
    void aSixGibibyteSparseFileKeepsDataPastFourGibibytesAndZerosElsewhere() throws IOException {
        mounted = TestMount.mount(new MemoryFilesystem());
        var file = mounted.path("huge");
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            raf.setLength(6 * GIB);
            raf.seek(4 * GIB + 12345);
            raf.write("past four gib".getBytes(UTF_8));
            raf.seek(GIB - 3);
            raf.write("straddle".getBytes(UTF_8));
        }
        assertThat(Files.size(file)).isEqualTo(6 * GIB);
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            assertThat(read(channel, 4 * GIB + 12345, 13)).isEqualTo("past four gib");
            assertThat(read(channel, GIB - 3, 8)).isEqualTo("straddle");
            assertThat(read(channel, 5 * GIB, 4)).isEqualTo("\0\0\0\0");
            assertThat(read(channel, 6 * GIB - 2, 10)).as("short read at the end").isEqualTo("\0\0");
        }
        assertThat(Shell.ok(mounted.dir, "stat -c %s huge")).isEqualTo(String.valueOf(6 * GIB));
        assertThat(Long.parseLong(Shell.ok(mounted.dir, "stat -c %b huge"))).as("512-byte blocks allocated")
                .isLessThan(4096);
        assertThat(Shell.ok(mounted.dir, "dd if=huge bs=1 skip=" + (4 * GIB + 12345) + " count=13 status=none"))
                .isEqualTo("past four gib");
        Shell.ok(mounted.dir, "truncate -s " + (4 * GIB + 12350) + " huge");
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            assertThat(read(channel, 4 * GIB + 12345, 13)).isEqualTo("past ");
        }
    }

    private static String read(FileChannel channel, long position, int length) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(length);
        while (buffer.hasRemaining()) {
            if (channel.read(buffer, position + buffer.position()) < 0) {
                break;
            }
        }
        return new String(buffer.array(), 0, buffer.position(), UTF_8);
    }
}
