package io.strata.erasure;

import io.strata.runtime.StrataException;
import java.lang.foreign.MemorySegment;
import java.util.Arrays;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Systematic Reed-Solomon erasure coding of a stripe of D data shards and P parity shards.
 *
 * <p>Design. The code works in GF(2^8) with the primitive polynomial x^8+x^4+x^3+x^2+1 (0x11D) and
 * generator 2 ({@link Gf256}). The encoding matrix is the (D+P)xD Vandermonde matrix V[r][c] = r^c
 * multiplied by the inverse of its top DxD square, the construction of Backblaze's JavaReedSolomon
 * (it produces the same parity bytes): its top D rows become the identity, so data shards are stored
 * as they are, and every D of its rows stay independent because the Vandermonde rows are, so ANY D of
 * the D+P shards rebuild the stripe. Rebuilding inverts the DxD rows of the shards it reads (the first
 * D present, data first) and multiplies the rows of the wanted shards by that inverse; these decode
 * matrices are cached per erasure pattern. The byte work is a matrix-times-shards product done by a
 * {@link GfKernel}. The production one ({@link VectorKernel}) multiplies a vector at a time (64 bytes
 * with AVX-512, 32 with AVX2) with the Vector API and split-nibble tables: c*v = low[v &amp; 15] ^
 * high[v &gt;&gt;&gt; 4], two byte permutes. The reference one ({@link ScalarKernel}) goes a byte at a time
 * through log/exp tables. Pitfalls: the vector species must be a {@code static final} constant and
 * vectors must stay in local variables (and in methods that C2 always inlines), or C2 boxes them and
 * throughput falls by a factor of some hundreds; per-access checks of a different MemorySegment at each
 * step halve it, so off-heap shards are checked once and read by address. An all-zero data shard is
 * passed as {@code null} and skipped rather than read.
 *
 * <p>Buffers: shards are {@link MemorySegment}s (heap or off-heap; the byte[] methods wrap their arrays)
 * all of the same length, which may be anything from 0 up. A {@code null} data shard means all zeros,
 * both when encoding and as a present shard when rebuilding. An instance is immutable apart from its
 * decode-matrix cache, which is concurrent: share one per (D, P) between threads.
 */
public final class ErasureCoder {
    public static final int MAX_DATA_SHARDS = 16;
    public static final int MAX_PARITY_SHARDS = 4;
    /** 20: shard indexes fit the int bit masks used for erasure patterns. */
    public static final int MAX_TOTAL_SHARDS = MAX_DATA_SHARDS + MAX_PARITY_SHARDS;
    /** Erasure patterns whose decode matrices are kept; beyond this they are computed per call. */
    private static final int DECODE_CACHE_LIMIT = 512;

    private final int dataShards;
    private final int parityShards;
    private final GfKernel.Kind kind;
    private final int[][] encodingMatrix;
    private final GfKernel parityKernel;
    private final ConcurrentHashMap<Long, GfKernel> decodeKernels = new ConcurrentHashMap<>();

    private ErasureCoder(int dataShards, int parityShards, GfKernel.Kind kind) {
        validateShape(dataShards, parityShards);
        this.dataShards = dataShards;
        this.parityShards = parityShards;
        this.kind = kind;
        this.encodingMatrix = systematicMatrix(dataShards, parityShards);
        this.parityKernel = kind.prepare(Arrays.copyOfRange(encodingMatrix, dataShards, dataShards + parityShards));
    }

    /** The coder to use, with the Vector API kernel. StrataException for a shape outside 1..16 + 1..4. */
    public static ErasureCoder create(int dataShards, int parityShards) {
        return new ErasureCoder(dataShards, parityShards, GfKernel.Kind.VECTOR);
    }

    /** The same code computed a byte at a time: the reference the vector coder is checked against. */
    public static ErasureCoder createScalar(int dataShards, int parityShards) {
        return new ErasureCoder(dataShards, parityShards, GfKernel.Kind.SCALAR);
    }

    private static void validateShape(int dataShards, int parityShards) {
        if (dataShards < 1 || dataShards > MAX_DATA_SHARDS) {
            throw StrataException.invalid("erasure coding %d+%d: data shards must be 1..%d, not %d",
                    dataShards, parityShards, MAX_DATA_SHARDS, dataShards);
        }
        if (parityShards < 1 || parityShards > MAX_PARITY_SHARDS) {
            throw StrataException.invalid("erasure coding %d+%d: parity shards must be 1..%d, not %d",
                    dataShards, parityShards, MAX_PARITY_SHARDS, parityShards);
        }
    }

    /** Vandermonde times the inverse of its top square: identity on top, parity rows below. */
    static int[][] systematicMatrix(int dataShards, int parityShards) {
        int[][] vandermonde = GfMatrix.vandermonde(dataShards + parityShards, dataShards);
        int[][] top = Arrays.copyOfRange(vandermonde, 0, dataShards);
        return GfMatrix.multiply(vandermonde, GfMatrix.invert(top));
    }

    public int dataShards() {
        return dataShards;
    }

    public int parityShards() {
        return parityShards;
    }

    public int totalShards() {
        return dataShards + parityShards;
    }

    /** A copy of the (D+P)xD encoding matrix, elements 0..255. */
    int[][] encodingMatrix() {
        return GfMatrix.copy(encodingMatrix);
    }

    /**
     * Computes the parity shards of {@code data}: bytes [offset, offset+length) of every array.
     * A null data shard is all zeros; every parity array must be given.
     */
    public void encode(byte[][] data, byte[][] parity, int offset, int length) {
        requireCount("data shards", data.length, dataShards);
        requireCount("parity shards", parity.length, parityShards);
        encodeSegments(slices(data, offset, length), slices(parity, offset, length), length);
    }

    /** Computes the parity shards of {@code data}; all non-null segments must have one length. */
    public void encode(MemorySegment[] data, MemorySegment[] parity) {
        requireCount("data shards", data.length, dataShards);
        requireCount("parity shards", parity.length, parityShards);
        ShardLength length = new ShardLength();
        length.accept("data", data);
        length.accept("parity", parity);
        encodeSegments(data, parity, length.bytes());
    }

    private void encodeSegments(MemorySegment[] data, MemorySegment[] parity, int length) {
        for (int p = 0; p < parityShards; p++) {
            if (parity[p] == null) {
                throw new IllegalArgumentException("parity shard " + p + " has no buffer to encode into");
            }
            requireWritable("parity shard", p, parity[p]);
        }
        int[] columns = new int[dataShards];
        MemorySegment[] inputs = new MemorySegment[dataShards];
        int count = 0;
        for (int d = 0; d < dataShards; d++) {
            if (data[d] != null) {
                columns[count] = d;
                inputs[count++] = data[d];
            }
        }
        parityKernel.multiply(Arrays.copyOf(columns, count), Arrays.copyOf(inputs, count), parity, length);
    }

    /**
     * Rebuilds, in place, every shard that is not {@code present} and has a buffer, from the first D
     * present shards: bytes [offset, offset+length) of every array. A present null shard is all zeros;
     * a missing null shard is not wanted and is left alone (a read that needs only data skips parity).
     * StrataException (UNAVAILABLE) when fewer than D shards are present.
     */
    public void reconstruct(byte[][] shards, boolean[] present, int offset, int length) {
        requireCount("shards", shards.length, totalShards());
        requireCount("present flags", present.length, totalShards());
        reconstructSegments(slices(shards, offset, length), present, length);
    }

    /** As {@link #reconstruct(byte[][], boolean[], int, int)}, all non-null segments of one length. */
    public void reconstruct(MemorySegment[] shards, boolean[] present) {
        requireCount("shards", shards.length, totalShards());
        requireCount("present flags", present.length, totalShards());
        ShardLength length = new ShardLength();
        length.accept("shard", shards);
        reconstructSegments(shards, present, length.bytes());
    }

    private void reconstructSegments(MemorySegment[] shards, boolean[] present, int length) {
        int[] sources = chooseSources(present);
        int wantedMask = 0;
        for (int i = 0; i < totalShards(); i++) {
            if (!present[i] && shards[i] != null) {
                wantedMask |= 1 << i;
            }
        }
        if (wantedMask == 0) {
            return;
        }
        MemorySegment[] outputs = new MemorySegment[Integer.bitCount(wantedMask)];
        int wanted = 0;
        for (int i = 0; i < totalShards(); i++) {
            if ((wantedMask & (1 << i)) != 0) {
                requireWritable("missing shard", i, shards[i]);
                outputs[wanted++] = shards[i];
            }
        }
        int[] columns = new int[dataShards];
        MemorySegment[] inputs = new MemorySegment[dataShards];
        int count = 0;
        for (int j = 0; j < dataShards; j++) {
            if (shards[sources[j]] != null) {
                columns[count] = j;
                inputs[count++] = shards[sources[j]];
            }
        }
        GfKernel kernel = decodeKernel(sources, wantedMask);
        kernel.multiply(Arrays.copyOf(columns, count), Arrays.copyOf(inputs, count), outputs, length);
    }

    /**
     * The first D present shards in index order, so data shards are preferred: with every data shard
     * present, the decode rows of lost parity are its encoding rows and nothing is really inverted.
     */
    private int[] chooseSources(boolean[] present) {
        int[] sources = new int[dataShards];
        int count = 0;
        for (int i = 0; i < totalShards(); i++) {
            if (present[i]) {
                if (count < dataShards) {
                    sources[count] = i;
                }
                count++;
            }
        }
        if (count < dataShards) {
            throw StrataException.unavailable(
                    "stripe %d+%d cannot be rebuilt: %d of %d shards present, at least %d needed (present %s)",
                    dataShards, parityShards, count, totalShards(), dataShards, presentList(present));
        }
        return sources;
    }

    private static String presentList(boolean[] present) {
        StringBuilder list = new StringBuilder("[");
        for (int i = 0; i < present.length; i++) {
            if (present[i]) {
                list.append(list.length() > 1 ? "," : "").append(i);
            }
        }
        return list.append(']').toString();
    }

    private GfKernel decodeKernel(int[] sources, int wantedMask) {
        int sourceMask = 0;
        for (int source : sources) {
            sourceMask |= 1 << source;
        }
        long key = ((long) sourceMask << 32) | (wantedMask & 0xFFFFFFFFL);
        GfKernel kernel = decodeKernels.get(key);
        if (kernel == null) {
            kernel = kind.prepare(decodeMatrix(sources, wantedMask));
            if (decodeKernels.size() < DECODE_CACHE_LIMIT) {
                decodeKernels.putIfAbsent(key, kernel);
            }
        }
        return kernel;
    }

    /** Rows that turn the source shards into the wanted ones: wanted encoding rows x (source rows)^-1. */
    int[][] decodeMatrix(int[] sources, int wantedMask) {
        int[][] sourceInverse = GfMatrix.invert(GfMatrix.selectRows(encodingMatrix, sources));
        int[] wanted = new int[Integer.bitCount(wantedMask)];
        int count = 0;
        for (int i = 0; i < totalShards(); i++) {
            if ((wantedMask & (1 << i)) != 0) {
                wanted[count++] = i;
            }
        }
        return GfMatrix.multiply(GfMatrix.selectRows(encodingMatrix, wanted), sourceInverse);
    }

    private static MemorySegment[] slices(byte[][] arrays, int offset, int length) {
        if (offset < 0 || length < 0) {
            throw new IndexOutOfBoundsException("offset " + offset + " and length " + length + " must not be negative");
        }
        MemorySegment[] segments = new MemorySegment[arrays.length];
        for (int i = 0; i < arrays.length; i++) {
            if (arrays[i] != null) {
                segments[i] = MemorySegment.ofArray(arrays[i]).asSlice(offset, length);
            }
        }
        return segments;
    }

    private static void requireWritable(String what, int index, MemorySegment segment) {
        if (segment.isReadOnly()) {
            throw new IllegalArgumentException(what + " " + index + " is read-only and cannot be written");
        }
    }

    private static void requireCount(String what, int actual, int expected) {
        if (actual != expected) {
            throw new IllegalArgumentException(expected + " " + what + " expected, got " + actual);
        }
    }

    /** The one length that all given shards share; IllegalArgumentException naming the first misfit. */
    private static final class ShardLength {
        private long bytes = -1;
        private String firstName;

        void accept(String kind, MemorySegment[] shards) {
            for (int i = 0; i < shards.length; i++) {
                if (shards[i] == null) {
                    continue;
                }
                long size = shards[i].byteSize();
                if (bytes < 0) {
                    bytes = size;
                    firstName = kind + " shard " + i;
                } else if (size != bytes) {
                    throw new IllegalArgumentException(kind + " shard " + i + " is " + size + " bytes but "
                            + firstName + " is " + bytes + " bytes: all shards of a stripe have one length");
                }
            }
        }

        int bytes() {
            if (bytes > Integer.MAX_VALUE) {
                throw new IllegalArgumentException("shards of " + bytes + " bytes exceed the 2 GiB limit");
            }
            return (int) Math.max(bytes, 0);
        }
    }
}
