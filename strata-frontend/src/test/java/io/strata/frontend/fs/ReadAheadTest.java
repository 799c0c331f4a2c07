package io.strata.frontend.fs;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

/**
 * A handle that reads in sequence is read ahead, whatever the sizes of its reads; what was read
 * ahead answers a read only while nothing changed the file, and nothing is read past its end or
 * for reads out of sequence.
 */
class ReadAheadTest {
    private static final int P = ReadAhead.PIECE_BYTES;
    private static final int M = 1 << 20;
    private static final long INO = 77;
    private static final long HANDLE = 5;

    /** Byte {@code i} of the file, as the drives hold it before anything changes. */
    private static byte fileByte(long i) {
        return (byte) (i * 31 + (i >> 12));
    }

    private record Fetched(long offset, int length, ReadTarget target) {
        void arrive(int bytes) {
            for (int i = 0; i < bytes; i++) {
                target.memory().set(ValueLayout.JAVA_BYTE, i, fileByte(offset + i));
            }
            target.ok(bytes);
        }

        void arrive() {
            arrive(length);
        }
    }

    /** A kernel's read reply. */
    private static final class Reply implements ReadTarget {
        final MemorySegment memory = Arena.ofAuto().allocate(M);
        int answered = -1;

        @Override
        public MemorySegment memory() {
            return memory;
        }

        @Override
        public void ok(int length) {
            answered = length;
        }

        @Override
        public void error(int errno) {
            throw new AssertionError("error " + errno);
        }

        @Override
        public boolean isCompleted() {
            return answered >= 0;
        }

        /** Whether it answered exactly the file's bytes at {@code offset}, {@code length} of them. */
        boolean holds(long offset, int length) {
            if (answered != length) {
                return false;
            }
            for (int i = 0; i < length; i++) {
                if (memory.get(ValueLayout.JAVA_BYTE, i) != fileByte(offset + i)) {
                    return false;
                }
            }
            return true;
        }
    }

    private long generation = 1;
    /** What was asked before this generation is stale. */
    private long changedAt = 0;
    private boolean cachingAllowed = true;
    private final List<Fetched> fetched = new ArrayList<>();
    private int fallbacks;
    private final ReadAhead ahead = new ReadAhead(() -> new CacheCoherence.Asked(generation, 0),
            (ino, asked) -> cachingAllowed && asked.generation() > changedAt);

    private void ordinaryRead(long offset, int size) {
        ahead.readFrom(HANDLE, INO, offset, size, (at, length, target) -> fetched.add(new Fetched(at, length, target)));
    }

    /** Reads through the read-ahead; null when it left the read to the ordinary way. */
    private Reply serve(long offset, int size) {
        Reply reply = new Reply();
        return ahead.serve(HANDLE, INO, offset, size, reply, () -> fallbacks++) ? reply : null;
    }

    private void change() {
        changedAt = generation++;
        ahead.drop(INO);
    }

    /** The offsets of {@code count} pieces from {@code from} on: the first ends where a piece size divides the offset. */
    private static List<Long> pieces(long from, int count) {
        return LongStream.range(0, count).map(i -> i == 0 ? from : (from / P + i) * P).boxed().toList();
    }

    /** Where what was fetched ends. */
    private long fetchedUpTo() {
        Fetched last = fetched.getLast();
        return last.offset() + last.length();
    }

    @Test
    void readsInSequenceAreReadAheadAndAnsweredFromMemoryWhateverTheirSizes() {
        ordinaryRead(0, 128 << 10);
        assertThat(fetched).as("too little read in sequence yet").isEmpty();
        // the kernel cuts a read into an unaligned buffer into a large request and a small one
        ordinaryRead(128 << 10, M - 48);
        long next = (128 << 10) + M - 48;
        assertThat(fetched).extracting(Fetched::offset).containsExactlyElementsOf(pieces(next, fetched.size()));
        assertThat(fetchedUpTo()).as("%d pieces ahead", ReadAhead.DEPTH)
                .isBetween(next + (long) ReadAhead.DEPTH * P, next + (ReadAhead.DEPTH + 1L) * P);
        fetched.get(0).arrive();
        Reply small = serve(next, 48);
        assertThat(small.holds(next, 48)).isTrue();
        Reply spanning = serve(next + 48, M);
        assertThat(spanning).as("waits for the second piece").isNotNull();
        assertThat(spanning.isCompleted()).isFalse();
        fetched.get(1).arrive();
        assertThat(spanning.holds(next + 48, M)).as("across two pieces").isTrue();
        assertThat(fetched).extracting(Fetched::offset).containsExactlyElementsOf(pieces(next, fetched.size()));
        assertThat(fetchedUpTo()).as("kept %d pieces ahead", ReadAhead.DEPTH)
                .isGreaterThanOrEqualTo(next + 48 + M + (long) (ReadAhead.DEPTH - 1) * P);
        assertThat(ahead.served()).isEqualTo(2);
        assertThat(fallbacks).isZero();
    }

    private long startReadingAhead() {
        ordinaryRead(0, M);
        assertThat(fetched).as("a lone read, however large").isEmpty();
        ordinaryRead(M, M);
        assertThat(fetched).hasSize(ReadAhead.DEPTH);
        return 2L * M;
    }

    @Test
    void aChangeToTheFileDropsWhatWasReadAhead() {
        long next = startReadingAhead();
        fetched.forEach(Fetched::arrive);
        change();
        assertThat(serve(next, M)).as("dropped").isNull();
    }

    @Test
    void aPieceAwaitedWhenTheFileChangesLeavesTheReadToTheOrdinaryWay() {
        long next = startReadingAhead();
        Reply reply = serve(next, M);
        assertThat(reply).isNotNull();
        change();
        fetched.get(0).arrive();
        assertThat(reply.isCompleted()).isFalse();
        assertThat(fallbacks).isEqualTo(1);
    }

    @Test
    void readsOutOfSequenceOrUncachedAreNotReadAhead() {
        startReadingAhead();
        fetched.clear();
        assertThat(serve(5L * M, M)).as("out of sequence").isNull();
        ordinaryRead(5L * M, M);
        ordinaryRead(2L * M, M);
        assertThat(fetched).as("a jump starts counting again").isEmpty();
        cachingAllowed = false;
        ordinaryRead(3L * M, M);
        assertThat(fetched).as("nothing may be kept").isEmpty();
        assertThat(serve(4L * M, M)).isNull();
    }

    @Test
    void nothingIsReadPastWhereAPieceCameBackShort() {
        long next = startReadingAhead();
        fetched.get(0).arrive(P / 2);
        fetched.get(1).arrive(0);
        Reply reply = serve(next, M);
        assertThat(reply.holds(next, P / 2)).as("up to the end of the file").isTrue();
        assertThat(fetched).as("nothing fetched past the end").hasSize(ReadAhead.DEPTH);
    }

    @Test
    void aReleasedHandleIsForgotten() {
        long next = startReadingAhead();
        ahead.release(HANDLE);
        fetched.forEach(Fetched::arrive);
        assertThat(serve(next, M)).isNull();
    }
}
