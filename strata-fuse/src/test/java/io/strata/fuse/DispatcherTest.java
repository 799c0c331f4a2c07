package io.strata.fuse;

import static io.strata.fuse.Fixtures.le;
import static io.strata.fuse.Fixtures.request;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Requests built as the kernel lays them out go through the dispatcher; what the file system gets and what is written back is checked. */
class DispatcherTest {
    private static final Attributes FILE = new Attributes(5, 11, 1, 0, 0, 0, 0, 0, 0, 0100644, 1, 1000, 100, 0, 4096);

    private final BufferPool pool = new BufferPool(2, (1 << 20) + 4096);
    private final Fixtures.RecordingChannel channel = new Fixtures.RecordingChannel();
    private final List<String> calls = new ArrayList<>();

    @AfterEach
    void freePool() {
        pool.close();
    }

    private void dispatch(FuseFilesystem fs, byte[] request) throws InterruptedException {
        RequestBuffer buffer = pool.take();
        MemorySegment.copy(request, 0, buffer.memory, ValueLayout.JAVA_BYTE, 0, request.length);
        new Dispatcher(fs, pool, () -> calls.add("destroy")).dispatch(buffer, request.length, channel);
    }

    private static int replyError(byte[] reply) {
        return le(reply).getInt(4);
    }

    private static long replyUnique(byte[] reply) {
        return le(reply).getLong(8);
    }

    @Test
    void lookupGetsParentAndNameAndAnswersAnEntry() throws Exception {
        AtomicReference<Request> seen = new AtomicReference<>();
        FuseFilesystem fs = new FuseFilesystem() {
            @Override
            public void lookup(Request r, long parent, String name, EntryReply reply) {
                seen.set(r);
                calls.add("lookup " + parent + " " + name);
                reply.entry(new Entry(5, 0, FILE, 1_000_000_000L, 0));
            }
        };
        dispatch(fs, request(Wire.LOOKUP, 77, 1).string("hello.txt").bytes());
        assertThat(calls).containsExactly("lookup 1 hello.txt");
        assertThat(seen.get().uid()).isEqualTo(1000);
        assertThat(seen.get().gid()).isEqualTo(100);
        assertThat(seen.get().pid()).isEqualTo(4242);
        byte[] reply = channel.last();
        assertThat(reply).hasSize(Wire.OUT_HEADER_SIZE + Wire.ENTRY_OUT_SIZE);
        assertThat(le(reply).getInt(0)).isEqualTo(reply.length);
        assertThat(replyError(reply)).isZero();
        assertThat(replyUnique(reply)).isEqualTo(77);
        assertThat(le(reply).getLong(16)).as("nodeid").isEqualTo(5);
        assertThat(le(reply).getLong(32)).as("entry_valid").isEqualTo(1);
        assertThat(pool.inUse()).as("buffer back in the pool").isZero();
    }

    @Test
    void errorsAreNegatedInTheHeader() throws Exception {
        dispatch(new FuseFilesystem() {
        }, request(Wire.LOOKUP, 8, 1).string("x").bytes());
        byte[] reply = channel.last();
        assertThat(reply).hasSize(16);
        assertThat(replyError(reply)).isEqualTo(-Errno.ENOSYS);
    }

    @Test
    void writeDataIsASliceOfTheRequestReadableUntilTheReply() throws Exception {
        byte[] payload = "0123456789abcdef".repeat(1000).getBytes(StandardCharsets.US_ASCII);
        AtomicReference<String> got = new AtomicReference<>();
        FuseFilesystem fs = new FuseFilesystem() {
            @Override
            public void write(Request r, long node, long fh, long offset, MemorySegment data, int flags, WriteReply reply) {
                got.set(node + " " + fh + " " + offset + " " + flags + " "
                        + new String(data.toArray(ValueLayout.JAVA_BYTE), StandardCharsets.US_ASCII).hashCode()
                        + " native=" + data.isNative());
                reply.written((int) data.byteSize());
            }
        };
        byte[] write = request(Wire.WRITE, 9, 5)
                .u64(3).u64(1L << 32).u32(payload.length).u32(0).u64(0).u32(FuseProtocol.O_APPEND | 1).u32(0)
                .raw(payload).bytes();
        dispatch(fs, write);
        String expected = new String(payload, StandardCharsets.US_ASCII).hashCode() + " native=true";
        assertThat(got.get()).isEqualTo("5 3 " + (1L << 32) + " " + (FuseProtocol.O_APPEND | 1) + " " + expected);
        byte[] reply = channel.last();
        assertThat(reply).hasSize(24);
        assertThat(le(reply).getInt(16)).isEqualTo(payload.length);
    }

    @Test
    void rename2CarriesFlagsAndBothNames() throws Exception {
        FuseFilesystem fs = new FuseFilesystem() {
            @Override
            public void rename(Request r, long parent, String name, long newParent, String newName, int flags,
                    EmptyReply reply) {
                calls.add(parent + "/" + name + " -> " + newParent + "/" + newName + " flags " + flags);
                reply.ok();
            }
        };
        dispatch(fs, request(Wire.RENAME2, 10, 1).u64(7).u32(FuseProtocol.RENAME_EXCHANGE).u32(0)
                .string("a").string("b").bytes());
        dispatch(fs, request(Wire.RENAME, 11, 7).u64(1).string("c").string("d").bytes());
        assertThat(calls).containsExactly("1/a -> 7/b flags 2", "7/c -> 1/d flags 0");
        assertThat(replyError(channel.last())).isZero();
    }

    @Test
    void createDecodesFlagsModeAndUmaskAndAnswersEntryAndOpen() throws Exception {
        FuseFilesystem fs = new FuseFilesystem() {
            @Override
            public void create(Request r, long parent, String name, int mode, int umask, int flags, CreateReply reply) {
                calls.add(parent + " " + name + " " + Integer.toOctalString(mode) + " " + Integer.toOctalString(umask)
                        + " " + Integer.toOctalString(flags));
                reply.created(new Entry(5, 0, FILE, 0, 0), 99, FuseProtocol.FOPEN_DIRECT_IO);
            }
        };
        int flags = FuseProtocol.O_CREAT | FuseProtocol.O_EXCL | FuseProtocol.O_WRONLY;
        dispatch(fs, request(Wire.CREATE, 12, 1).u32(flags).u32(0100644).u32(022).u32(0).string("new").bytes());
        assertThat(calls).containsExactly("1 new 100644 22 " + Integer.toOctalString(flags));
        byte[] reply = channel.last();
        assertThat(reply).hasSize(16 + 128 + 16);
        assertThat(le(reply).getLong(144)).as("fh").isEqualTo(99);
        assertThat(le(reply).getInt(152)).as("open flags").isEqualTo(FuseProtocol.FOPEN_DIRECT_IO);
    }

    @Test
    void symlinkMkdirMknodLinkAndSetxattrDecodeTheirArguments() throws Exception {
        FuseFilesystem fs = new FuseFilesystem() {
            @Override
            public void symlink(Request r, long parent, String name, String target, EntryReply reply) {
                calls.add("symlink " + name + " -> " + target);
                reply.error(Errno.EEXIST);
            }

            @Override
            public void mkdir(Request r, long parent, String name, int mode, int umask, EntryReply reply) {
                calls.add("mkdir " + name + " " + Integer.toOctalString(mode) + " " + Integer.toOctalString(umask));
                reply.error(Errno.EEXIST);
            }

            @Override
            public void mknod(Request r, long parent, String name, int mode, int rdev, int umask, EntryReply reply) {
                calls.add("mknod " + name + " " + Integer.toOctalString(mode) + " " + rdev);
                reply.error(Errno.EEXIST);
            }

            @Override
            public void link(Request r, long node, long newParent, String newName, EntryReply reply) {
                calls.add("link " + node + " " + newParent + " " + newName);
                reply.error(Errno.EEXIST);
            }

            @Override
            public void setxattr(Request r, long node, String name, MemorySegment value, int flags, EmptyReply reply) {
                calls.add("setxattr " + name + "=" + new String(value.toArray(ValueLayout.JAVA_BYTE),
                        StandardCharsets.UTF_8) + " " + flags);
                reply.ok();
            }
        };
        dispatch(fs, request(Wire.SYMLINK, 1, 1).string("l").string("/target/x").bytes());
        dispatch(fs, request(Wire.MKDIR, 2, 1).u32(040755).u32(022).string("d").bytes());
        dispatch(fs, request(Wire.MKNOD, 3, 1).u32(010644).u32(0x0801).u32(022).u32(0).string("fifo").bytes());
        dispatch(fs, request(Wire.LINK, 4, 1).u64(5).string("hard").bytes());
        dispatch(fs, request(Wire.SETXATTR, 5, 5).u32(3).u32(FuseProtocol.XATTR_CREATE).string("user.k").raw(
                "v\0w".getBytes(StandardCharsets.UTF_8)).bytes());
        assertThat(calls).containsExactly("symlink l -> /target/x", "mkdir d 40755 22", "mknod fifo 10644 2049",
                "link 5 1 hard", "setxattr user.k=v\0w 1");
    }

    @Test
    void forgetsAndInterruptsGetNoReply() throws Exception {
        FuseFilesystem fs = new FuseFilesystem() {
            @Override
            public void forget(long node, long lookups) {
                calls.add("forget " + node + " " + lookups);
            }
        };
        dispatch(fs, request(Wire.FORGET, 1, 9).u64(3).bytes());
        dispatch(fs, request(Wire.BATCH_FORGET, 2, 0).u32(2).u32(0).u64(10).u64(1).u64(11).u64(2).bytes());
        dispatch(fs, request(Wire.INTERRUPT, 3, 0).u64(12345).bytes());
        assertThat(calls).containsExactly("forget 9 3", "forget 10 1", "forget 11 2");
        assertThat(channel.count()).isZero();
        assertThat(pool.inUse()).isZero();
    }

    @Test
    void aReplyMayCompleteLaterFromAnotherThreadHoldingItsBufferUntilThen() throws Exception {
        CompletableFuture<ReadReply> pending = new CompletableFuture<>();
        FuseFilesystem fs = new FuseFilesystem() {
            @Override
            public void read(Request r, long node, long fh, long offset, int size, ReadReply reply) {
                pending.complete(reply);
            }
        };
        dispatch(fs, request(Wire.READ, 21, 5).u64(1).u64(0).u32(4096).u32(0).u64(0).u32(0).u32(0).bytes());
        assertThat(channel.count()).isZero();
        assertThat(pool.inUse()).as("held by the pending request").isEqualTo(1);
        ReadReply reply = pending.get(5, TimeUnit.SECONDS);
        CompletableFuture.runAsync(() -> reply.data("abc".getBytes(StandardCharsets.UTF_8), 0, 3)).get(5, TimeUnit.SECONDS);
        assertThat(new String(channel.last(), 16, 3, StandardCharsets.UTF_8)).isEqualTo("abc");
        assertThat(le(channel.last()).getInt(0)).isEqualTo(19);
        assertThat(pool.inUse()).isZero();
        assertThatThrownBy(() -> reply.error(Errno.EIO)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("completed twice");
        assertThat(channel.count()).isEqualTo(1);
    }

    @Test
    void readRepliesFromNativeMemoryGoOutAsHeaderPlusBody() throws Exception {
        MemorySegment data = java.lang.foreign.Arena.ofAuto().allocate(8192);
        data.fill((byte) 'z');
        FuseFilesystem fs = new FuseFilesystem() {
            @Override
            public void read(Request r, long node, long fh, long offset, int size, ReadReply reply) {
                reply.data(data.asSlice(0, size));
            }
        };
        dispatch(fs, request(Wire.READ, 22, 5).u64(1).u64(0).u32(5000).u32(0).u64(0).u32(0).u32(0).bytes());
        byte[] reply = channel.last();
        assertThat(reply).hasSize(5016);
        assertThat(le(reply).getInt(0)).isEqualTo(5016);
        assertThat(reply[5015]).isEqualTo((byte) 'z');
    }

    @Test
    void aHandlerThatThrowsIsAnsweredWithEio() throws Exception {
        FuseFilesystem fs = new FuseFilesystem() {
            @Override
            public void getattr(Request r, long node, long fh, AttrReply reply) {
                throw new IllegalStateException("bug in the file system");
            }
        };
        dispatch(fs, request(Wire.GETATTR, 30, 1).u32(0).u32(0).u64(0).bytes());
        assertThat(replyError(channel.last())).isEqualTo(-Errno.EIO);
        assertThat(replyUnique(channel.last())).isEqualTo(30);
        assertThat(pool.inUse()).isZero();
    }

    @Test
    void readdirEntriesCarryTheirNextOffsetAndStopWhenFull() throws Exception {
        List<Boolean> added = new ArrayList<>();
        FuseFilesystem fs = new FuseFilesystem() {
            @Override
            public void readdir(Request r, long node, long fh, long offset, DirectoryReply reply) {
                for (int i = 0; i < 10; i++) {
                    added.add(reply.add("entry-" + i, 100 + i, 0100644, offset + i + 1));
                }
                reply.ok();
            }
        };
        dispatch(fs, request(Wire.READDIR, 40, 1).u64(0).u64(5).u32(100).u32(0).u64(0).u32(0).u32(0).bytes());
        assertThat(added).containsExactly(true, true, true, false, false, false, false, false, false, false);
        byte[] reply = channel.last();
        assertThat(reply).hasSize(16 + 3 * 32);
        ByteBuffer b = le(reply);
        assertThat(b.getLong(16 + 32 + 8)).as("second entry's next offset").isEqualTo(7);
        assertThat(new String(reply, 16 + 64 + 24, 7, StandardCharsets.UTF_8)).isEqualTo("entry-2");
    }

    @Test
    void getxattrAnswersTheSizeWhenAskedForZeroBytesAndErangeWhenTooSmall() throws Exception {
        FuseFilesystem fs = new FuseFilesystem() {
            @Override
            public void getxattr(Request r, long node, String name, XattrReply reply) {
                reply.value("twelve bytes".getBytes(StandardCharsets.UTF_8));
            }
        };
        dispatch(fs, request(Wire.GETXATTR, 50, 5).u32(0).u32(0).string("user.x").bytes());
        assertThat(channel.last()).hasSize(24);
        assertThat(le(channel.last()).getInt(16)).isEqualTo(12);
        dispatch(fs, request(Wire.GETXATTR, 51, 5).u32(4).u32(0).string("user.x").bytes());
        assertThat(replyError(channel.last())).isEqualTo(-Errno.ERANGE);
        dispatch(fs, request(Wire.GETXATTR, 52, 5).u32(64).u32(0).string("user.x").bytes());
        assertThat(new String(channel.last(), 16, 12, StandardCharsets.UTF_8)).isEqualTo("twelve bytes");
    }
}
