package io.strata.erasure;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * The reference kernel: one byte at a time through the log/exp tables of {@link Gf256}. It is
 * deliberately plain, so that the vector kernel can be checked against it.
 */
final class ScalarKernel implements GfKernel {
    private final int[][] coefficients;

    ScalarKernel(int[][] coefficients) {
        this.coefficients = GfMatrix.copy(coefficients);
    }

    @Override
    public int rows() {
        return coefficients.length;
    }

    @Override
    public void multiply(int[] columns, MemorySegment[] inputs, MemorySegment[] outputs, int length) {
        for (int r = 0; r < outputs.length; r++) {
            int[] row = coefficients[r];
            MemorySegment output = outputs[r];
            for (int i = 0; i < length; i++) {
                int sum = 0;
                for (int k = 0; k < inputs.length; k++) {
                    int value = inputs[k].get(ValueLayout.JAVA_BYTE, i) & 0xFF;
                    sum ^= Gf256.mul(row[columns[k]], value);
                }
                output.set(ValueLayout.JAVA_BYTE, i, (byte) sum);
            }
        }
    }
}
