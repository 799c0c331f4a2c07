package io.strata.fuse;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class UnixSocketTest {
    @Test
    void passesADescriptorThatStillWorksAfterTheSenderClosedItsCopy(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("f"), "shared through SCM_RIGHTS");
        UnixSocket[] pair = UnixSocket.pair();
        try (UnixSocket a = pair[0]; UnixSocket b = pair[1]; var arena = java.lang.foreign.Arena.ofConfined()) {
            int fd = LibC.open(arena.allocateFrom(file.toString()), 0);
            assertThat(fd).isNotNegative();
            byte[] payload = "x".repeat(100_000).getBytes(StandardCharsets.UTF_8);
            a.send(payload, fd);
            LibC.close(fd);
            UnixSocket.Received received = b.receive();
            assertThat(received.payload()).isEqualTo(payload);
            assertThat(received.descriptor()).isNotNegative();
            Path viaProc = Path.of("/proc/self/fd/" + received.descriptor());
            assertThat(Files.readString(viaProc)).isEqualTo("shared through SCM_RIGHTS");
            LibC.close(received.descriptor());
        }
    }
}
