package io.strata.drive.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.strata.runtime.Clock;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class GroupCommitTest {
    /** A channel whose fdatasync takes 2 ms and records when each one started and ended. */
    private static final class SlowSyncChannel extends FileChannel {
        final ConcurrentLinkedQueue<long[]> syncs = new ConcurrentLinkedQueue<>();
        final AtomicInteger concurrent = new AtomicInteger();
        volatile boolean overlapped;
        volatile IOException failWith;

        @Override
        public void force(boolean metaData) throws IOException {
            if (concurrent.incrementAndGet() > 1) {
                overlapped = true;
            }
            long start = System.nanoTime();
            try {
                if (failWith != null) {
                    throw failWith;
                }
                Thread.sleep(2);
            } catch (InterruptedException e) {
                throw new IOException(e);
            } finally {
                concurrent.decrementAndGet();
            }
            syncs.add(new long[] {start, System.nanoTime()});
        }

        @Override public int read(ByteBuffer dst) { throw new UnsupportedOperationException(); }
        @Override public long read(ByteBuffer[] dsts, int offset, int length) { throw new UnsupportedOperationException(); }
        @Override public int write(ByteBuffer src) { throw new UnsupportedOperationException(); }
        @Override public long write(ByteBuffer[] srcs, int offset, int length) { throw new UnsupportedOperationException(); }
        @Override public long position() { return 0; }
        @Override public FileChannel position(long newPosition) { return this; }
        @Override public long size() { return 0; }
        @Override public FileChannel truncate(long size) { return this; }
        @Override public long transferTo(long position, long count, WritableByteChannel target) { return 0; }
        @Override public long transferFrom(ReadableByteChannel src, long position, long count) { return 0; }
        @Override public int read(ByteBuffer dst, long position) { throw new UnsupportedOperationException(); }
        @Override public int write(ByteBuffer src, long position) { throw new UnsupportedOperationException(); }
        @Override public MappedByteBuffer map(MapMode mode, long position, long size) { throw new UnsupportedOperationException(); }
        @Override public FileLock lock(long position, long size, boolean shared) { throw new UnsupportedOperationException(); }
        @Override public FileLock tryLock(long position, long size, boolean shared) { throw new UnsupportedOperationException(); }
        @Override protected void implCloseChannel() { }
    }

    @Test
    void everySyncCallIsCoveredByAnFdatasyncThatStartedAfterItAndSyncsAreShared() throws Exception {
        SlowSyncChannel channel = new SlowSyncChannel();
        GroupCommit commit = new GroupCommit(channel, Clock.SYSTEM);
        ConcurrentLinkedQueue<long[]> calls = new ConcurrentLinkedQueue<>();
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < 6; t++) {
            threads.add(Thread.ofPlatform().start(() -> {
                for (int i = 0; i < 20; i++) {
                    long start = System.nanoTime();
                    try {
                        commit.sync();
                    } catch (IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                    calls.add(new long[] {start, System.nanoTime()});
                }
            }));
        }
        for (Thread thread : threads) {
            thread.join(30_000);
        }
        assertThat(calls).hasSize(120);
        assertThat(channel.overlapped).isFalse();
        for (long[] call : calls) {
            boolean covered = channel.syncs.stream().anyMatch(sync -> sync[0] >= call[0] && sync[1] <= call[1]);
            assertThat(covered).as("a sync call returned without an fdatasync inside it").isTrue();
        }
        assertThat(channel.syncs.size()).isLessThan(120);
        assertThat(commit.syncCount()).isEqualTo(channel.syncs.size());
    }

    @Test
    void afterAFailedSyncNoLaterSyncSucceeds() {
        SlowSyncChannel channel = new SlowSyncChannel();
        GroupCommit commit = new GroupCommit(channel, Clock.SYSTEM);
        channel.failWith = new IOException("EIO");
        assertThatThrownBy(commit::sync).isInstanceOf(IOException.class).hasMessage("EIO");
        channel.failWith = null;
        assertThatThrownBy(commit::sync).isInstanceOf(IOException.class).hasMessageContaining("an earlier fdatasync failed");
        assertThat(commit.hasFailed()).isTrue();
    }
}
