package io.strata.erasure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class GfMatrixTest {

    @Test
    void vandermonde_rows_are_powers_of_the_row_index() {
        int[][] v = GfMatrix.vandermonde(4, 3);
        assertThat(v[0]).containsExactly(1, 0, 0);
        assertThat(v[1]).containsExactly(1, 1, 1);
        assertThat(v[2]).containsExactly(1, 2, 4);
        assertThat(v[3]).containsExactly(1, 3, 5); // 3*3 = (x+1)^2 = x^2+1
    }

    @Test
    void an_inverse_times_its_matrix_is_the_identity() {
        SplittableRandom random = new SplittableRandom(7);
        int inverted = 0;
        for (int attempt = 0; attempt < 200; attempt++) {
            int size = 1 + random.nextInt(16);
            int[][] m = new int[size][size];
            for (int[] row : m) {
                for (int c = 0; c < size; c++) {
                    row[c] = random.nextInt(256);
                }
            }
            int[][] inverse;
            try {
                inverse = GfMatrix.invert(m);
            } catch (IllegalStateException singular) {
                continue;
            }
            inverted++;
            assertThat(GfMatrix.multiply(m, inverse)).isDeepEqualTo(GfMatrix.identity(size));
            assertThat(GfMatrix.multiply(inverse, m)).isDeepEqualTo(GfMatrix.identity(size));
        }
        assertThat(inverted).isGreaterThan(150);
    }

    @Test
    void a_singular_matrix_is_refused() {
        int[][] twoEqualRows = {{1, 2, 3}, {4, 5, 6}, {1, 2, 3}};
        assertThatThrownBy(() -> GfMatrix.invert(twoEqualRows))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("singular");
        // Row 2 = 2 * row 0 in GF(2^8), so they are dependent although not equal.
        int[][] scaledRow = {{1, 3}, {2, 6}};
        assertThatThrownBy(() -> GfMatrix.invert(scaledRow)).isInstanceOf(IllegalStateException.class);
    }
}
