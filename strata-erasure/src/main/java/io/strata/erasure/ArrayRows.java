package io.strata.erasure;

import static io.strata.erasure.VectorKernel.LANES;
import static io.strata.erasure.VectorKernel.MAX_ROWS_PER_PASS;
import static io.strata.erasure.VectorKernel.SPECIES;
import static io.strata.erasure.VectorKernel.highNibbles;
import static io.strata.erasure.VectorKernel.lowNibbles;

import static jdk.incubator.vector.VectorOperators.XOR;

import java.lang.foreign.MemorySegment;
import jdk.incubator.vector.ByteVector;

/**
 * The row loops for heap shards backed by byte[] (what the coder's byte[] methods pass): read and written
 * with {@code fromArray}/{@code intoArray} at the slice's offset in its array; see {@link VectorKernel}.
 */
final class ArrayRows {
    private ArrayRows() {
    }

    /** Every shard is a writable heap segment over a byte[] (a read-only one hides its array). */
    static boolean accepts(MemorySegment[] inputs, MemorySegment[] outputs) {
        for (MemorySegment input : inputs) {
            if (!(input.heapBase().orElse(null) instanceof byte[])) {
                return false;
            }
        }
        for (MemorySegment output : outputs) {
            if (!(output.heapBase().orElse(null) instanceof byte[]) || output.isReadOnly()) {
                return false;
            }
        }
        return true;
    }

    static void multiply(VectorKernel.Tables tables, MemorySegment[] inputs, MemorySegment[] outputs, int vectorEnd) {
        Slices in = Slices.of(inputs);
        Slices out = Slices.of(outputs);
        for (int first = 0; first < outputs.length; first += MAX_ROWS_PER_PASS) {
            switch (Math.min(MAX_ROWS_PER_PASS, outputs.length - first)) {
                case 1 -> rows1(tables, first, in, out, vectorEnd);
                case 2 -> rows2(tables, first, in, out, vectorEnd);
                case 3 -> rows3(tables, first, in, out, vectorEnd);
                default -> rows4(tables, first, in, out, vectorEnd);
            }
        }
    }

    private static void rows1(VectorKernel.Tables tables, int first, Slices in, Slices out, int vectorEnd) {
        byte[] t = tables.bytes();
        int stride = tables.rowStride();
        int base = first * stride;
        int[] offsets = tables.tableOffsets();
        byte[][] inArrays = in.arrays();
        int[] inOffsets = in.offsets();
        byte[] out0 = out.arrays()[first];
        int offset0 = out.offsets()[first];
        for (int i = 0; i < vectorEnd; i += LANES) {
            ByteVector acc0 = ByteVector.zero(SPECIES);
            for (int k = 0; k < inArrays.length; k++) {
                ByteVector v = ByteVector.fromArray(SPECIES, inArrays[k], inOffsets[k] + i);
                ByteVector low = lowNibbles(v);
                ByteVector high = highNibbles(v);
                int at = base + offsets[k];
                acc0 = acc0.lanewise(XOR, low.selectFrom(ByteVector.fromArray(SPECIES, t, at)))
                        .lanewise(XOR, high.selectFrom(ByteVector.fromArray(SPECIES, t, at + LANES)));
            }
            acc0.intoArray(out0, offset0 + i);
        }
    }

    private static void rows2(VectorKernel.Tables tables, int first, Slices in, Slices out, int vectorEnd) {
        byte[] t = tables.bytes();
        int stride = tables.rowStride();
        int base = first * stride;
        int[] offsets = tables.tableOffsets();
        byte[][] inArrays = in.arrays();
        int[] inOffsets = in.offsets();
        byte[] out0 = out.arrays()[first];
        int offset0 = out.offsets()[first];
        byte[] out1 = out.arrays()[first + 1];
        int offset1 = out.offsets()[first + 1];
        for (int i = 0; i < vectorEnd; i += LANES) {
            ByteVector acc0 = ByteVector.zero(SPECIES);
            ByteVector acc1 = ByteVector.zero(SPECIES);
            for (int k = 0; k < inArrays.length; k++) {
                ByteVector v = ByteVector.fromArray(SPECIES, inArrays[k], inOffsets[k] + i);
                ByteVector low = lowNibbles(v);
                ByteVector high = highNibbles(v);
                int at = base + offsets[k];
                acc0 = acc0.lanewise(XOR, low.selectFrom(ByteVector.fromArray(SPECIES, t, at)))
                        .lanewise(XOR, high.selectFrom(ByteVector.fromArray(SPECIES, t, at + LANES)));
                acc1 = acc1.lanewise(XOR, low.selectFrom(ByteVector.fromArray(SPECIES, t, at + stride)))
                        .lanewise(XOR, high.selectFrom(ByteVector.fromArray(SPECIES, t, at + stride + LANES)));
            }
            acc0.intoArray(out0, offset0 + i);
            acc1.intoArray(out1, offset1 + i);
        }
    }

    private static void rows3(VectorKernel.Tables tables, int first, Slices in, Slices out, int vectorEnd) {
        byte[] t = tables.bytes();
        int stride = tables.rowStride();
        int base = first * stride;
        int[] offsets = tables.tableOffsets();
        byte[][] inArrays = in.arrays();
        int[] inOffsets = in.offsets();
        byte[] out0 = out.arrays()[first];
        int offset0 = out.offsets()[first];
        byte[] out1 = out.arrays()[first + 1];
        int offset1 = out.offsets()[first + 1];
        byte[] out2 = out.arrays()[first + 2];
        int offset2 = out.offsets()[first + 2];
        for (int i = 0; i < vectorEnd; i += LANES) {
            ByteVector acc0 = ByteVector.zero(SPECIES);
            ByteVector acc1 = ByteVector.zero(SPECIES);
            ByteVector acc2 = ByteVector.zero(SPECIES);
            for (int k = 0; k < inArrays.length; k++) {
                ByteVector v = ByteVector.fromArray(SPECIES, inArrays[k], inOffsets[k] + i);
                ByteVector low = lowNibbles(v);
                ByteVector high = highNibbles(v);
                int at = base + offsets[k];
                acc0 = acc0.lanewise(XOR, low.selectFrom(ByteVector.fromArray(SPECIES, t, at)))
                        .lanewise(XOR, high.selectFrom(ByteVector.fromArray(SPECIES, t, at + LANES)));
                acc1 = acc1.lanewise(XOR, low.selectFrom(ByteVector.fromArray(SPECIES, t, at + stride)))
                        .lanewise(XOR, high.selectFrom(ByteVector.fromArray(SPECIES, t, at + stride + LANES)));
                acc2 = acc2.lanewise(XOR, low.selectFrom(ByteVector.fromArray(SPECIES, t, at + 2 * stride)))
                        .lanewise(XOR, high.selectFrom(ByteVector.fromArray(SPECIES, t, at + 2 * stride + LANES)));
            }
            acc0.intoArray(out0, offset0 + i);
            acc1.intoArray(out1, offset1 + i);
            acc2.intoArray(out2, offset2 + i);
        }
    }

    private static void rows4(VectorKernel.Tables tables, int first, Slices in, Slices out, int vectorEnd) {
        byte[] t = tables.bytes();
        int stride = tables.rowStride();
        int base = first * stride;
        int[] offsets = tables.tableOffsets();
        byte[][] inArrays = in.arrays();
        int[] inOffsets = in.offsets();
        byte[] out0 = out.arrays()[first];
        int offset0 = out.offsets()[first];
        byte[] out1 = out.arrays()[first + 1];
        int offset1 = out.offsets()[first + 1];
        byte[] out2 = out.arrays()[first + 2];
        int offset2 = out.offsets()[first + 2];
        byte[] out3 = out.arrays()[first + 3];
        int offset3 = out.offsets()[first + 3];
        for (int i = 0; i < vectorEnd; i += LANES) {
            ByteVector acc0 = ByteVector.zero(SPECIES);
            ByteVector acc1 = ByteVector.zero(SPECIES);
            ByteVector acc2 = ByteVector.zero(SPECIES);
            ByteVector acc3 = ByteVector.zero(SPECIES);
            for (int k = 0; k < inArrays.length; k++) {
                ByteVector v = ByteVector.fromArray(SPECIES, inArrays[k], inOffsets[k] + i);
                ByteVector low = lowNibbles(v);
                ByteVector high = highNibbles(v);
                int at = base + offsets[k];
                acc0 = acc0.lanewise(XOR, low.selectFrom(ByteVector.fromArray(SPECIES, t, at)))
                        .lanewise(XOR, high.selectFrom(ByteVector.fromArray(SPECIES, t, at + LANES)));
                acc1 = acc1.lanewise(XOR, low.selectFrom(ByteVector.fromArray(SPECIES, t, at + stride)))
                        .lanewise(XOR, high.selectFrom(ByteVector.fromArray(SPECIES, t, at + stride + LANES)));
                acc2 = acc2.lanewise(XOR, low.selectFrom(ByteVector.fromArray(SPECIES, t, at + 2 * stride)))
                        .lanewise(XOR, high.selectFrom(ByteVector.fromArray(SPECIES, t, at + 2 * stride + LANES)));
                acc3 = acc3.lanewise(XOR, low.selectFrom(ByteVector.fromArray(SPECIES, t, at + 3 * stride)))
                        .lanewise(XOR, high.selectFrom(ByteVector.fromArray(SPECIES, t, at + 3 * stride + LANES)));
            }
            acc0.intoArray(out0, offset0 + i);
            acc1.intoArray(out1, offset1 + i);
            acc2.intoArray(out2, offset2 + i);
            acc3.intoArray(out3, offset3 + i);
        }
    }

    /** Each slice's array and the offset of the slice in it. */
    private record Slices(byte[][] arrays, int[] offsets) {
        static Slices of(MemorySegment[] segments) {
            byte[][] arrays = new byte[segments.length][];
            int[] offsets = new int[segments.length];
            for (int i = 0; i < segments.length; i++) {
                arrays[i] = (byte[]) segments[i].heapBase().orElseThrow();
                offsets[i] = Math.toIntExact(segments[i].address());
            }
            return new Slices(arrays, offsets);
        }
    }
}
