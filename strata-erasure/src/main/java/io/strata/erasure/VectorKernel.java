package io.strata.erasure;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The fast kernel: GF(2^8) multiply-accumulate with the Vector API and split-nibble tables.
 *
 * <p>For each coefficient c it keeps two 16-entry tables, c*x and c*(x&lt;&lt;4) for x in 0..15, each
 * replicated across a whole vector. A product c*v is then {@code low[v & 15] ^ high[v >>> 4]}: two
 * lane-wise table lookups ({@code selectFrom}, one byte permute each) and XORs, so a vector of bytes
 * is multiplied in a handful of instructions. Each input vector is loaded and split into nibbles once
 * and feeds up to four output accumulators, which stay in registers across the inputs; each output
 * vector is written once.
 *
 * <p>The species is the platform's preferred one (512 bits with AVX-512, 256 with AVX2). The loops are
 * written out per memory kind and per number of outputs ({@link NativeRows}, {@link ArrayRows},
 * {@link SegmentRows}) because of two measured pitfalls. First, the species must be a
 * {@code static final} constant and every vector a local variable (never a field, array or
 * collection), or C2 boxes the vectors and throughput falls by a factor of some hundreds; likewise a
 * helper method that takes or returns vectors must always be inlined, so helpers stay under C2's
 * 35-byte always-inline size and the table lookups are written out in the loops. Second,
 * reading a different {@link MemorySegment} at every step of the inner loop repeats its scope, bounds
 * and type checks for each vector, which C2 cannot hoist: that halves throughput. Native shards are
 * therefore checked once per call and then read by address through one global segment, and heap
 * shards backed by byte[] are read with {@code fromArray}; anything else takes the plain segment loop.
 */
final class VectorKernel implements GfKernel {
    static final VectorSpecies<Byte> SPECIES = ByteVector.SPECIES_PREFERRED;
    static final int LANES = SPECIES.length();
    /** One coefficient's tables: the low-nibble products, then the high-nibble products. */
    static final int TABLE_BYTES = 2 * LANES;
    static final int MAX_ROWS_PER_PASS = 4;

    private final int[][] coefficients;
    private final int rowStride;
    private final byte[] tables;

    VectorKernel(int[][] coefficients) {
        this.coefficients = GfMatrix.copy(coefficients);
        int columnCount = coefficients[0].length;
        this.rowStride = columnCount * TABLE_BYTES;
        this.tables = new byte[coefficients.length * rowStride];
        for (int r = 0; r < coefficients.length; r++) {
            for (int c = 0; c < columnCount; c++) {
                fillTables(r * rowStride + c * TABLE_BYTES, coefficients[r][c]);
            }
        }
    }

    private void fillTables(int at, int coefficient) {
        for (int lane = 0; lane < LANES; lane++) {
            int nibble = lane & 0x0F;
            tables[at + lane] = (byte) Gf256.mul(coefficient, nibble);
            tables[at + LANES + lane] = (byte) Gf256.mul(coefficient, nibble << 4);
        }
    }

    @Override
    public int rows() {
        return coefficients.length;
    }

    @Override
    public void multiply(int[] columns, MemorySegment[] inputs, MemorySegment[] outputs, int length) {
        int vectorEnd = SPECIES.loopBound(length);
        if (vectorEnd > 0) {
            int[] tableOffsets = new int[columns.length];
            for (int k = 0; k < columns.length; k++) {
                tableOffsets[k] = columns[k] * TABLE_BYTES;
            }
            Tables prepared = new Tables(tables, rowStride, tableOffsets);
            if (NativeRows.accepts(inputs, outputs)) {
                NativeRows.multiply(prepared, inputs, outputs, vectorEnd);
            } else if (ArrayRows.accepts(inputs, outputs)) {
                ArrayRows.multiply(prepared, inputs, outputs, vectorEnd);
            } else {
                SegmentRows.multiply(prepared, inputs, outputs, vectorEnd);
            }
        }
        multiplyTail(columns, inputs, outputs, vectorEnd, length);
    }

    /**
     * The tables of one call: {@code tableOffsets[k]} is where input k's coefficient tables start in
     * the first row, each further row {@code rowStride} bytes on.
     */
    record Tables(byte[] bytes, int rowStride, int[] tableOffsets) {
    }

    // Both helpers stay under C2's 35-byte always-inline limit: a helper left out of line boxes its vectors.

    /** v &gt;&gt;&gt; 4 per byte: x86 has no byte shift, so shift 16-bit lanes and mask off the bits shifted in. */
    static ByteVector highNibbles(ByteVector v) {
        return v.reinterpretAsShorts().lanewise(VectorOperators.LSHR, 4).reinterpretAsBytes().and((byte) 0x0F);
    }

    static ByteVector lowNibbles(ByteVector v) {
        return v.and((byte) 0x0F);
    }

    /** The last bytes that do not fill a vector, one at a time. */
    private void multiplyTail(int[] columns, MemorySegment[] inputs, MemorySegment[] outputs, int from, int to) {
        for (int r = 0; r < outputs.length; r++) {
            int[] row = coefficients[r];
            for (int i = from; i < to; i++) {
                int sum = 0;
                for (int k = 0; k < inputs.length; k++) {
                    sum ^= Gf256.mul(row[columns[k]], inputs[k].get(ValueLayout.JAVA_BYTE, i) & 0xFF);
                }
                outputs[r].set(ValueLayout.JAVA_BYTE, i, (byte) sum);
            }
        }
    }
}
