package io.strata.erasure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import org.junit.jupiter.api.Test;

/** The any-D property, proven exhaustively on the matrices of every supported shape. */
class EncodingMatrixTest {

    @Test
    void every_shape_is_systematic() {
        for (int d = 1; d <= ErasureCoder.MAX_DATA_SHARDS; d++) {
            for (int p = 1; p <= ErasureCoder.MAX_PARITY_SHARDS; p++) {
                int[][] matrix = ErasureCoder.systematicMatrix(d, p);
                assertThat(matrix).hasNumberOfRows(d + p);
                for (int r = 0; r < d; r++) {
                    assertThat(matrix[r]).as("%d+%d row %d", d, p, r).isEqualTo(GfMatrix.identity(d)[r]);
                }
            }
        }
    }

    /** Every choice of D rows out of D+P is invertible, for every D in 1..16 and P in 1..4. */
    @Test
    void any_d_rows_of_every_shape_are_independent() {
        long checked = 0;
        for (int d = 1; d <= ErasureCoder.MAX_DATA_SHARDS; d++) {
            for (int p = 1; p <= ErasureCoder.MAX_PARITY_SHARDS; p++) {
                checked += checkAllSubsets(ErasureCoder.systematicMatrix(d, p), d, p);
            }
        }
        // Sum over the 64 shapes of C(D+P, D).
        assertThat(checked).isEqualTo(expectedSubsetCount());
    }

    private static long checkAllSubsets(int[][] matrix, int d, int p) {
        long checked = 0;
        int total = d + p;
        for (int mask = 0; mask < (1 << total); mask++) {
            if (Integer.bitCount(mask) != d) {
                continue;
            }
            int[] rows = new int[d];
            int count = 0;
            for (int i = 0; i < total; i++) {
                if ((mask & (1 << i)) != 0) {
                    rows[count++] = i;
                }
            }
            int[][] square = GfMatrix.selectRows(matrix, rows);
            assertThatCode(() -> GfMatrix.invert(square)).as("%d+%d rows %s", d, p, java.util.Arrays.toString(rows))
                    .doesNotThrowAnyException();
            checked++;
        }
        return checked;
    }

    private static long expectedSubsetCount() {
        long sum = 0;
        for (int d = 1; d <= 16; d++) {
            for (int p = 1; p <= 4; p++) {
                long c = 1;
                for (int i = 1; i <= p; i++) {
                    c = c * (d + i) / i;
                }
                sum += c;
            }
        }
        return sum;
    }
}
