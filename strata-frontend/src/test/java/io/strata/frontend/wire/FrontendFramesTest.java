package io.strata.frontend.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.strata.frontend.wire.FrontendFrames.InodesChanged;
import io.strata.frontend.wire.FrontendFrames.Name;
import io.strata.protocol.Frame;
import io.strata.protocol.ProtocolException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Notices between frontends: what is sent is what is read, and a malformed notice is refused with its reason. */
class FrontendFramesTest {
    private static ByteBuffer header(int fsId, int dirs, int names) {
        return ByteBuffer.allocate(8).order(Frame.ORDER).putInt(fsId).putShort((short) dirs).putShort((short) names).flip();
    }

    private static ByteBuffer concat(ByteBuffer... parts) {
        ByteBuffer out = ByteBuffer.allocate(Arrays.stream(parts).mapToInt(ByteBuffer::remaining).sum()).order(Frame.ORDER);
        for (ByteBuffer part : parts) {
            out.put(part.duplicate());
        }
        return out.flip();
    }

    @Test
    void aChangeReadsBackAsItWasWritten() {
        InodesChanged change = new InodesChanged(3, new long[] {1L << 48 | 5, -1L},
                List.of(new Name(1L << 48 | 5, "données"), new Name(9, "x".repeat(FrontendFrames.MAX_NAME_BYTES))));
        InodesChanged read = FrontendFrames.decode(FrontendFrames.encode(change));
        assertThat(read.fsId()).isEqualTo(3);
        assertThat(read.inos()).containsExactly(1L << 48 | 5, -1L);
        assertThat(read.names()).isEqualTo(change.names());
        assertThat(FrontendFrames.decode(FrontendFrames.encode(new InodesChanged(1, new long[0], List.of(new Name(2, "n")))))
                .names()).containsExactly(new Name(2, "n"));
    }

    @Test
    void anAnswerSaysWhetherTheFilesystemIsServed() {
        assertThat(FrontendFrames.servesFilesystem(FrontendFrames.changeSeen(true))).isTrue();
        assertThat(FrontendFrames.servesFilesystem(FrontendFrames.changeSeen(false))).isFalse();
        assertThat(FrontendFrames.servesFilesystem(ByteBuffer.allocate(0))).as("unclear answers count as yes").isTrue();
    }

    @Test
    void malformedNoticesAreRefused() {
        assertThatThrownBy(() -> FrontendFrames.decode(ByteBuffer.allocate(5))).isInstanceOf(ProtocolException.class)
                .hasMessageContaining("shorter than its header");
        assertThatThrownBy(() -> FrontendFrames.decode(header(1, 0, 0))).isInstanceOf(ProtocolException.class)
                .hasMessageContaining("0 inodes and 0 names");
        assertThatThrownBy(() -> FrontendFrames.decode(header(1, 65, 0))).isInstanceOf(ProtocolException.class)
                .hasMessageContaining("65 inodes");
        assertThatThrownBy(() -> FrontendFrames.decode(header(1, 0xFFFF, 0))).isInstanceOf(ProtocolException.class)
                .hasMessageContaining("65535 inodes");
        assertThatThrownBy(() -> FrontendFrames.decode(concat(header(1, 2, 0), ByteBuffer.allocate(12))))
                .isInstanceOf(ProtocolException.class).hasMessageContaining("ends after 12 bytes");
        ByteBuffer emptyName = ByteBuffer.allocate(10).order(Frame.ORDER).putLong(4).putShort((short) 0).flip();
        assertThatThrownBy(() -> FrontendFrames.decode(concat(header(1, 0, 1), emptyName))).isInstanceOf(ProtocolException.class)
                .hasMessageContaining("a name of 0 bytes");
        ByteBuffer longerThanLeft = ByteBuffer.allocate(12).order(Frame.ORDER).putLong(4).putShort((short) 5).put((byte) 'a')
                .put((byte) 'b').flip();
        assertThatThrownBy(() -> FrontendFrames.decode(concat(header(1, 0, 1), longerThanLeft))).isInstanceOf(ProtocolException.class)
                .hasMessageContaining("a name of 5 bytes with 2 left");
        ByteBuffer notUtf8 = ByteBuffer.allocate(11).order(Frame.ORDER).putLong(4).putShort((short) 1).put((byte) 0xFF).flip();
        assertThatThrownBy(() -> FrontendFrames.decode(concat(header(1, 0, 1), notUtf8))).isInstanceOf(ProtocolException.class)
                .hasMessageContaining("not UTF-8");
        assertThatThrownBy(() -> FrontendFrames.decode(concat(header(1, 0, 2), ByteBuffer.allocate(10).order(Frame.ORDER).putLong(4)
                .putShort((short) 1).flip(), ByteBuffer.wrap(new byte[] {'a'})))).isInstanceOf(ProtocolException.class)
                .hasMessageContaining("ends inside name 2 of 2");
        ByteBuffer trailing = concat(FrontendFrames.encode(new InodesChanged(1, new long[] {5}, List.of())), ByteBuffer.allocate(3));
        assertThatThrownBy(() -> FrontendFrames.decode(trailing)).isInstanceOf(ProtocolException.class)
                .hasMessageContaining("3 bytes after its last name");
    }

    @Test
    void aChangeOfNothingOrOfTooMuchCannotBeMade() {
        assertThatThrownBy(() -> new InodesChanged(1, new long[0], List.of())).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new InodesChanged(1, new long[65], List.of())).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Name(1, "")).isInstanceOf(IllegalArgumentException.class);
    }
}
