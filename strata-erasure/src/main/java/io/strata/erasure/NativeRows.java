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
 * The row loops for off-heap shards, the data path's case. Each shard is checked once per call (native,
 * alive, accessible by this thread, outputs writable; the coder has checked the lengths) and then read
 * by address through one global segment, whose checks C2 hoists out of the loops; see
 * {@link VectorKernel} for why. The caller must not close a shard's arena while a call is running.
 */
final class NativeRows {
    /** All of memory: addresses are checked against their own segments before they are used here. */
    private static final MemorySegment EVERYTHING = MemorySegment.NULL.reinterpret(Long.MAX_VALUE);
    private static final ByteOrder ORDER = ByteOrder.nativeOrder();

    private NativeRows() {
    }

    static boolean accepts(MemorySegment[] inputs, MemorySegment[] outputs) {
        for (MemorySegment input : inputs) {
            if (!usable(input)) {
                return false;
            }
        }
        for (MemorySegment output : outputs) {
            if (!usable(output) || output.isReadOnly()) {
                return false;
            }
        }
        return true;
    }

    private static boolean usable(MemorySegment segment) {
        return segment.isNative() && segment.scope().isAlive() && segment.isAccessibleBy(Thread.currentThread());
    }

    static void multiply(VectorKernel.Tables tables, MemorySegment[] inputs, MemorySegment[] outputs, int vectorEnd) {
        long[] in = addresses(inputs);
        long[] out = addresses(outputs);
        for (int first = 0; first < outputs.length; first += MAX_ROWS_PER_PASS) {
            switch (Math.min(MAX_ROWS_PER_PASS, outputs.length - first)) {
                case 1 -> rows1(tables, first, in, out, vectorEnd);
                case 2 -> rows2(tables, first, in, out, vectorEnd);
                case 3 -> rows3(tables, first, in, out, vectorEnd);
                default -> rows4(tables, first, in, out, vectorEnd);
            }
        }
    }

    private static void rows1(VectorKernel.Tables tables, int first, long[] in, long[] out, int vectorEnd) {
        byte[] t = tables.bytes();
        int stride = tables.rowStride();
        int base = first * stride;
        int[] offsets = tables.tableOffsets();
        long out0 = out[first];
        for (int i = 0; i < vectorEnd; i += LANES) {
            ByteVector acc0 = ByteVector.zero(SPECIES);
            for (int k = 0; k < in.length; k++) {
                ByteVector v = ByteVector.fromMemorySegment(SPECIES, EVERYTHING, in[k] + i, ORDER);
                ByteVector low = lowNibbles(v);
                ByteVector high = highNibbles(v);
                int at = base + offsets[k];
                acc0 = acc0.lanewise(XOR, low.selectFrom(ByteVector.fromArray(SPECIES, t, at)))
                        .lanewise(XOR, high.selectFrom(ByteVector.fromArray(SPECIES, t, at + LANES)));
            }
            acc0.intoMemorySegment(EVERYTHING, out0 + i, ORDER);
        }
    }

    private static void rows2(VectorKernel.Tables tables, int first, long[] in, long[] out, int vectorEnd) {
        byte[] t = tables.bytes();
        int stride = tables.rowStride();
        int base = first * stride;
        int[] offsets = tables.tableOffsets();
        long out0 = out[first];
        long out1 = out[first + 1];
        for (int i = 0; i < vectorEnd; i += LANES) {
            ByteVector acc0 = ByteVector.zero(SPECIES);
            ByteVector acc1 = ByteVector.zero(SPECIES);
            for (int k = 0; k < in.length; k++) {
                ByteVector v = ByteVector.fromMemorySegment(SPECIES, EVERYTHING, in[k] + i, ORDER);
                ByteVector low = lowNibbles(v);
                ByteVector high = highNibbles(v);
                int at = base + offsets[k];
                acc0 = acc0.lanewise(XOR, low.selectFrom(ByteVector.fromArray(SPECIES, t, at)))
                        .lanewise(XOR, high.selectFrom(ByteVector.fromArray(SPECIES, t, at + LANES)));
                acc1 = acc1.lanewise(XOR, low.selectFrom(ByteVector.fromArray(SPECIES, t, at + stride)))
                        .lanewise(XOR, high.selectFrom(ByteVector.fromArray(SPECIES, t, at + stride + LANES)));
            }
            acc0.intoMemorySegment(EVERYTHING, out0 + i, ORDER);
            acc1.intoMemorySegment(EVERYTHING, out1 + i, ORDER);
        }
    }

    private static void rows3(VectorKernel.Tables tables, int first, long[] in, long[] out, int vectorEnd) {
        byte[] t = tables.bytes();
        int stride = tables.rowStride();
        int base = first * stride;
        int[] offsets = tables.tableOffsets();
        long out0 = out[first];
        long out1 = out[first + 1];
        long out2 = out[first + 2];
        for (int i = 0; i < vectorEnd; i += LANES) {
            ByteVector acc0 = ByteVector.zero(SPECIES);
            ByteVector acc1 = ByteVector.zero(SPECIES);
            ByteVector acc2 = ByteVector.zero(SPECIES);
            for (int k = 0; k < in.length; k++) {
                ByteVector v = ByteVector.fromMemorySegment(SPECIES, EVERYTHING, in[k] + i, ORDER);
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
            acc0.intoMemorySegment(EVERYTHING, out0 + i, ORDER);
            acc1.intoMemorySegment(EVERYTHING, out1 + i, ORDER);
            acc2.intoMemorySegment(EVERYTHING, out2 + i, ORDER);
        }
    }

    private static void rows4(VectorKernel.Tables tables, int first, long[] in, long[] out, int vectorEnd) {
        byte[] t = tables.bytes();
        int stride = tables.rowStride();
        int base = first * stride;
        int[] offsets = tables.tableOffsets();
        long out0 = out[first];
        long out1 = out[first + 1];
        long out2 = out[first + 2];
        long out3 = out[first + 3];
        for (int i = 0; i < vectorEnd; i += LANES) {
            ByteVector acc0 = ByteVector.zero(SPECIES);
            ByteVector acc1 = ByteVector.zero(SPECIES);
            ByteVector acc2 = ByteVector.zero(SPECIES);
            ByteVector acc3 = ByteVector.zero(SPECIES);
            for (int k = 0; k < in.length; k++) {
                ByteVector v = ByteVector.fromMemorySegment(SPECIES, EVERYTHING, in[k] + i, ORDER);
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
            acc0.intoMemorySegment(EVERYTHING, out0 + i, ORDER);
            acc1.intoMemorySegment(EVERYTHING, out1 + i, ORDER);
            acc2.intoMemorySegment(EVERYTHING, out2 + i, ORDER);
            acc3.intoMemorySegment(EVERYTHING, out3 + i, ORDER);
        }
    }

    private static long[] addresses(MemorySegment[] segments) {
        long[] addresses = new long[segments.length];
        for (int i = 0; i < segments.length; i++) {
            addresses[i] = segments[i].address();
        }
        return addresses;
    }
}
