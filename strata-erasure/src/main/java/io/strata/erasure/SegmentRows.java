package io.strata.erasure;

import static io.strata.erasure.VectorKernel.LANES;
import static io.strata.erasure.VectorKernel.MAX_ROWS_PER_PASS;
import static io.strata.erasure.VectorKernel.SPECIES;
import static io.strata.erasure.VectorKernel.highNibbles;
import static io.strata.erasure.VectorKernel.lowNibbles;

import static jdk.incubator.vector.VectorOperators.XOR;

import java.lang.foreign.MemorySegment;
import java.nio.ByteOrder;
import jdk.incubator.vector.ByteVector;

/**
 * The row loops for any other mix of shards (other heap arrays, read-only or mixed heap and native):
 * plain segment access, correct for every segment but slower, as {@link VectorKernel} explains.
 */
final class SegmentRows {
    private static final ByteOrder ORDER = ByteOrder.nativeOrder();

    private SegmentRows() {
    }

    static void multiply(VectorKernel.Tables tables, MemorySegment[] in, MemorySegment[] out, int vectorEnd) {
        for (int first = 0; first < out.length; first += MAX_ROWS_PER_PASS) {
            switch (Math.min(MAX_ROWS_PER_PASS, out.length - first)) {
                case 1 -> rows1(tables, first, in, out, vectorEnd);
                case 2 -> rows2(tables, first, in, out, vectorEnd);
                case 3 -> rows3(tables, first, in, out, vectorEnd);
                default -> rows4(tables, first, in, out, vectorEnd);
            }
        }
    }

    private static void rows1(VectorKernel.Tables tables, int first, MemorySegment[] in, MemorySegment[] out, int vectorEnd) {
        byte[] t = tables.bytes();
        int stride = tables.rowStride();
        int base = first * stride;
        int[] offsets = tables.tableOffsets();
        MemorySegment out0 = out[first];
        for (int i = 0; i < vectorEnd; i += LANES) {
            ByteVector acc0 = ByteVector.zero(SPECIES);
            for (int k = 0; k < in.length; k++) {
                ByteVector v = ByteVector.fromMemorySegment(SPECIES, in[k], i, ORDER);
                ByteVector low = lowNibbles(v);
                ByteVector high = highNibbles(v);
                int at = base + offsets[k];
                acc0 = acc0.lanewise(XOR, low.selectFrom(ByteVector.fromArray(SPECIES, t, at)))
                        .lanewise(XOR, high.selectFrom(ByteVector.fromArray(SPECIES, t, at + LANES)));
            }
            acc0.intoMemorySegment(out0, i, ORDER);
        }
    }

    private static void rows2(VectorKernel.Tables tables, int first, MemorySegment[] in, MemorySegment[] out, int vectorEnd) {
        byte[] t = tables.bytes();
        int stride = tables.rowStride();
        int base = first * stride;
        int[] offsets = tables.tableOffsets();
        MemorySegment out0 = out[first];
        MemorySegment out1 = out[first + 1];
        for (int i = 0; i < vectorEnd; i += LANES) {
            ByteVector acc0 = ByteVector.zero(SPECIES);
            ByteVector acc1 = ByteVector.zero(SPECIES);
            for (int k = 0; k < in.length; k++) {
                ByteVector v = ByteVector.fromMemorySegment(SPECIES, in[k], i, ORDER);
                ByteVector low = lowNibbles(v);
                ByteVector high = highNibbles(v);
                int at = base + offsets[k];
                acc0 = acc0.lanewise(XOR, low.selectFrom(ByteVector.fromArray(SPECIES, t, at)))
                        .lanewise(XOR, high.selectFrom(ByteVector.fromArray(SPECIES, t, at + LANES)));
                acc1 = acc1.lanewise(XOR, low.selectFrom(ByteVector.fromArray(SPECIES, t, at + stride)))
                        .lanewise(XOR, high.selectFrom(ByteVector.fromArray(SPECIES, t, at + stride + LANES)));
            }
            acc0.intoMemorySegment(out0, i, ORDER);
            acc1.intoMemorySegment(out1, i, ORDER);
        }
    }

    private static void rows3(VectorKernel.Tables tables, int first, MemorySegment[] in, MemorySegment[] out, int vectorEnd) {
        byte[] t = tables.bytes();
        int stride = tables.rowStride();
        int base = first * stride;
        int[] offsets = tables.tableOffsets();
        MemorySegment out0 = out[first];
        MemorySegment out1 = out[first + 1];
        MemorySegment out2 = out[first + 2];
        for (int i = 0; i < vectorEnd; i += LANES) {
            ByteVector acc0 = ByteVector.zero(SPECIES);
            ByteVector acc1 = ByteVector.zero(SPECIES);
            ByteVector acc2 = ByteVector.zero(SPECIES);
            for (int k = 0; k < in.length; k++) {
                ByteVector v = ByteVector.fromMemorySegment(SPECIES, in[k], i, ORDER);
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
            acc0.intoMemorySegment(out0, i, ORDER);
            acc1.intoMemorySegment(out1, i, ORDER);
            acc2.intoMemorySegment(out2, i, ORDER);
        }
    }

    private static void rows4(VectorKernel.Tables tables, int first, MemorySegment[] in, MemorySegment[] out, int vectorEnd) {
        byte[] t = tables.bytes();
        int stride = tables.rowStride();
        int base = first * stride;
        int[] offsets = tables.tableOffsets();
        MemorySegment out0 = out[first];
        MemorySegment out1 = out[first + 1];
        MemorySegment out2 = out[first + 2];
        MemorySegment out3 = out[first + 3];
        for (int i = 0; i < vectorEnd; i += LANES) {
            ByteVector acc0 = ByteVector.zero(SPECIES);
            ByteVector acc1 = ByteVector.zero(SPECIES);
            ByteVector acc2 = ByteVector.zero(SPECIES);
            ByteVector acc3 = ByteVector.zero(SPECIES);
            for (int k = 0; k < in.length; k++) {
                ByteVector v = ByteVector.fromMemorySegment(SPECIES, in[k], i, ORDER);
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
            acc0.intoMemorySegment(out0, i, ORDER);
            acc1.intoMemorySegment(out1, i, ORDER);
            acc2.intoMemorySegment(out2, i, ORDER);
            acc3.intoMemorySegment(out3, i, ORDER);
        }
    }
}
