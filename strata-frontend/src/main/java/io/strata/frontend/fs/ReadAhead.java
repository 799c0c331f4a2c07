package io.strata.frontend.fs;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiPredicate;
import java.util.function.Supplier;

/**
 * Reads ahead of a file handle that reads a file in sequence: a 1 MiB read at depth 1 otherwise
 * waits for its chunks from the drives each time, and the drives idle while the kernel and the
 * application take the answer. Once a handle has read {@link #TRIGGER_BYTES} in sequence after a
 * first read (so a lone large read, likely random, reads nothing ahead), this
 * keeps {@link #DEPTH} pieces of {@link #PIECE_BYTES} on their way ahead of it, and answers its
 * reads from them. Reads need not be of one size or aligned: the kernel cuts a read into an
 * unaligned buffer into a large request and a small one.
 *
 * <p>Coherence is the layouts' ({@link CacheCoherence}): a piece is used only if nothing dropped
 * its inode since it was asked for and it is younger than {@link CacheCoherence#CACHE_NS}; a
 * change to the inode through any mount drops it ({@link #drop(long)}) before the change is
 * acknowledged. The frontend's thread only.
 */
final class ReadAhead {
    static final int PIECE_BYTES = 1 << 20;
    /** Pieces kept on their way ahead of a reader: 1 MiB reads went 700, 800 and 870 MiB/s with 1, 2 and 4. */
    static final int DEPTH = 4;
    /** Bytes a handle reads in sequence, after its first read, before reading ahead starts. */
    static final int TRIGGER_BYTES = 256 << 10;
    /** Handles followed at once (about 40 MiB of pieces at most); the least recently read one is forgotten first. */
    static final int MAX_STREAMS = 8;
    /** Enough for every piece that may be on its way at once, so memory is reused, never left to the collector. */
    private static final int FREE_BUFFERS = MAX_STREAMS * (DEPTH + 1);
    private static final int PENDING = Integer.MIN_VALUE;

    /** Reads {@code length} bytes of the handle's inode at {@code offset} into a target. */
    interface Fetch {
        void fetch(long offset, int length, ReadTarget target);
    }

    private final Supplier<CacheCoherence.Asked> asked;
    /** Whether what was asked at {@code Asked} of an inode may still be used. */
    private final BiPredicate<Long, CacheCoherence.Asked> valid;
    private final LinkedHashMap<Long, Stream> streams = new LinkedHashMap<>(16, 0.75f, true);
    private final ArrayDeque<MemorySegment> freeBuffers = new ArrayDeque<>();
    private long served;

    ReadAhead(Supplier<CacheCoherence.Asked> asked, BiPredicate<Long, CacheCoherence.Asked> valid) {
        this.asked = asked;
        this.valid = valid;
    }

    /** Reads answered from pieces read ahead. */
    long served() {
        return served;
    }

    /**
     * Answers a read of handle {@code handle} from the pieces read ahead, or returns false (then
     * the caller reads the ordinary way and calls {@link #readFrom}). Pieces that turn out
     * unusable when they arrive leave the read to {@code fallback}.
     */
    boolean serve(long handle, long ino, long offset, int size, ReadTarget reply, Runnable fallback) {
        Stream stream = streams.get(handle);
        if (stream == null || stream.ino != ino || stream.next != offset || stream.ahead.isEmpty()
                || stream.ahead.peekFirst().offset > offset || size <= 0) {
            return false;
        }
        topUp(stream);
        long end = offset + size;
        List<Block> needed = new ArrayList<>();
        for (Block block : stream.ahead) {
            if (block.offset >= end) {
                break;
            }
            needed.add(block);
        }
        Block last = needed.getLast();
        if (last.end() < end && last.end() < stream.endOfFile) {
            return false; // not read that far ahead (nothing may be read ahead just now)
        }
        stream.next = end;
        while (!stream.ahead.isEmpty() && stream.ahead.peekFirst().end() <= end) {
            stream.ahead.pollFirst().inQueue = false;
        }
        new Delivery(stream.ino, offset, size, needed, reply, fallback).await();
        return true;
    }

    /** Notes a read served the ordinary way; a handle that has read enough in sequence starts reading ahead. */
    void readFrom(long handle, long ino, long offset, int size, Fetch fetch) {
        Stream stream = streams.get(handle);
        if (stream != null) {
            stream.discard(); // what it read ahead did not serve this read
        }
        if (stream == null || stream.ino != ino) {
            stream = new Stream(ino);
            streams.put(handle, stream);
            evictBeyondLimit();
        } else if (stream.next == offset) {
            stream.sequentialBytes += size;
        } else {
            stream.sequentialBytes = 0; // a lone read, however large, starts no read-ahead: it may be random
        }
        stream.fetch = fetch;
        stream.next = offset + size;
        if (stream.sequentialBytes >= TRIGGER_BYTES) {
            topUp(stream);
        }
    }

    /** The inode changed, or its layout went stale: nothing read ahead of it may be used. */
    void drop(long ino) {
        for (Stream stream : streams.values()) {
            if (stream.ino == ino) {
                stream.discard();
            }
        }
    }

    void release(long handle) {
        Stream stream = streams.remove(handle);
        if (stream != null) {
            stream.discard();
        }
    }

    private void evictBeyondLimit() {
        Iterator<Map.Entry<Long, Stream>> eldest = streams.entrySet().iterator();
        while (streams.size() > MAX_STREAMS && eldest.hasNext()) {
            eldest.next().getValue().discard();
            eldest.remove();
        }
    }

    /** Keeps {@link #DEPTH} pieces on their way beyond where the handle reads next. */
    private void topUp(Stream stream) {
        CacheCoherence.Asked now = asked.get();
        if (!valid.test(stream.ino, now)) {
            return; // nothing of this file may be kept now (caching is off, or it just changed)
        }
        long at = stream.ahead.isEmpty() ? stream.next : stream.ahead.peekLast().end();
        long until = Math.min(stream.next + (long) DEPTH * PIECE_BYTES, stream.endOfFile);
        while (at < until) {
            // pieces end on multiples of their size, so none crosses a layout window (LayoutCache.WINDOW_BYTES)
            int length = (int) (PIECE_BYTES - at % PIECE_BYTES);
            Block block = new Block(stream, at, length, buffer(), now);
            stream.ahead.addLast(block);
            stream.fetch.fetch(at, length, block);
            at = block.end();
        }
    }

    private MemorySegment buffer() {
        MemorySegment free = freeBuffers.pollFirst();
        return free != null ? free : Arena.ofAuto().allocate(PIECE_BYTES, 4096);
    }

    /** Gives a piece's memory back once nothing reads from it or into it any more. */
    private void recycleIfUnused(Block block) {
        if (!block.inQueue && block.readers == 0 && block.isCompleted() && !block.recycled) {
            block.recycled = true;
            if (freeBuffers.size() < FREE_BUFFERS) {
                freeBuffers.addLast(block.memory);
            }
        }
    }

    private final class Stream {
        final long ino;
        final ArrayDeque<Block> ahead = new ArrayDeque<>();
        Fetch fetch;
        long next;
        long sequentialBytes;
        /** Where a piece came back short: nothing beyond is read ahead. */
        long endOfFile = Long.MAX_VALUE;

        Stream(long ino) {
            this.ino = ino;
        }

        void discard() {
            for (Block block : ahead) {
                block.discarded = true;
                block.inQueue = false;
                recycleIfUnused(block);
            }
            ahead.clear();
            endOfFile = Long.MAX_VALUE;
        }
    }

    /** One read answered from pieces, once they have all arrived. */
    private final class Delivery {
        final long ino;
        final long offset;
        final int size;
        final List<Block> blocks;
        final ReadTarget reply;
        final Runnable fallback;
        int awaited;

        Delivery(long ino, long offset, int size, List<Block> blocks, ReadTarget reply, Runnable fallback) {
            this.ino = ino;
            this.offset = offset;
            this.size = size;
            this.blocks = blocks;
            this.reply = reply;
            this.fallback = fallback;
        }

        void await() {
            for (Block block : blocks) {
                block.readers++;
                if (!block.isCompleted()) {
                    awaited++;
                    block.onArrival.add(this::arrived);
                }
            }
            if (awaited == 0) {
                deliver();
            }
        }

        private void arrived() {
            if (--awaited == 0) {
                deliver();
            }
        }

        private void deliver() {
            long end = offset + size;
            long copied = 0;
            boolean usable = true;
            for (Block block : blocks) {
                if (block.result < 0 || block.discarded || !valid.test(ino, block.asked)) {
                    usable = false;
                    break;
                }
                long from = Math.max(offset, block.offset);
                long to = Math.min(end, block.offset + block.result);
                if (from != offset + copied) {
                    break; // an earlier piece came back short: the file ends there
                }
                if (to > from) {
                    MemorySegment.copy(block.memory, from - block.offset, reply.memory(), from - offset, to - from);
                    copied += to - from;
                }
                if (block.result < block.length) {
                    break;
                }
            }
            for (Block block : blocks) {
                block.readers--;
                recycleIfUnused(block);
            }
            if (usable) {
                served++;
                reply.ok((int) copied);
            } else {
                fallback.run();
            }
        }
    }

    /** One piece read ahead; the read's target until it arrives. */
    private final class Block implements ReadTarget {
        final Stream stream;
        final long offset;
        final int length;
        final MemorySegment memory;
        final CacheCoherence.Asked asked;
        /** Bytes read, or minus the errno; {@link #PENDING} until it arrives. */
        int result = PENDING;
        boolean discarded;
        boolean inQueue = true;
        boolean recycled;
        /** Deliveries reading from this piece. */
        int readers;
        final List<Runnable> onArrival = new ArrayList<>(1);

        Block(Stream stream, long offset, int length, MemorySegment memory, CacheCoherence.Asked asked) {
            this.stream = stream;
            this.offset = offset;
            this.length = length;
            this.memory = memory;
            this.asked = asked;
        }

        long end() {
            return offset + length;
        }

        @Override
        public MemorySegment memory() {
            return memory.asSlice(0, length);
        }

        @Override
        public void ok(int bytes) {
            if (bytes < length && !discarded) {
                stream.endOfFile = Math.min(stream.endOfFile, offset + bytes);
            }
            arrived(bytes);
        }

        @Override
        public void error(int errno) {
            arrived(-errno);
        }

        @Override
        public boolean isCompleted() {
            return result != PENDING;
        }

        private void arrived(int value) {
            if (isCompleted()) {
                return;
            }
            result = value;
            List<Runnable> waiting = List.copyOf(onArrival);
            onArrival.clear();
            waiting.forEach(Runnable::run);
            recycleIfUnused(this);
        }
    }
}
