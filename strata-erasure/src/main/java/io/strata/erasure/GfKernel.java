package io.strata.erasure;

import java.lang.foreign.MemorySegment;

/**
 * A coefficient matrix prepared for one way of multiplying it with shard buffers.
 *
 * <p>{@code multiply} computes, for every output row r and byte position i below {@code length},
 * {@code outputs[r][i] = XOR over k of coefficient(r, columns[k]) * inputs[k][i]}. Inputs missing from
 * {@code columns} are all-zero shards: they contribute nothing, so they are never read. Outputs are
 * overwritten, never accumulated into, and must not overlap the inputs.
 */
sealed interface GfKernel permits VectorKernel, ScalarKernel {

    /** Output rows of the prepared matrix; {@code outputs.length} must equal it. */
    int rows();

    void multiply(int[] columns, MemorySegment[] inputs, MemorySegment[] outputs, int length);

    /** Which kernel a coder prepares its matrices for. */
    enum Kind {
        VECTOR,
        SCALAR;

        GfKernel prepare(int[][] coefficients) {
            return switch (this) {
                case VECTOR -> new VectorKernel(coefficients);
                case SCALAR -> new ScalarKernel(coefficients);
            };
        }
    }
}
