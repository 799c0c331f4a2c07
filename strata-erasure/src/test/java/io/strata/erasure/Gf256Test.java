package io.strata.erasure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class Gf256Test {

    /** Multiplication without tables: shift-and-add, reducing by 0x11D whenever x^8 appears. */
    private static int carrylessMultiply(int a, int b) {
        int product = 0;
        while (b != 0) {
            if ((b & 1) != 0) {
                product ^= a;
            }
            a <<= 1;
            if ((a & 0x100) != 0) {
                a ^= 0x11D;
            }
            b >>= 1;
        }
        return product;
    }

    @Test
    void the_polynomial_is_0x11D() {
        assertThat(Gf256.POLYNOMIAL).isEqualTo(0x11D);
        // x^7 * x = x^8 = x^4 + x^3 + x^2 + 1 modulo the polynomial.
        assertThat(Gf256.mul(0x80, 0x02)).isEqualTo(0x1D);
        assertThat(Gf256.mul(0x80, 0x04)).isEqualTo(0x3A);
    }

    @Test
    void log_exp_multiplication_agrees_with_shift_and_add_for_every_pair() {
        for (int a = 0; a < 256; a++) {
            for (int b = 0; b < 256; b++) {
                if (Gf256.mul(a, b) != carrylessMultiply(a, b)) {
                    assertThat(Gf256.mul(a, b)).as("%d * %d", a, b).isEqualTo(carrylessMultiply(a, b));
                }
            }
        }
    }

    @Test
    void two_generates_every_nonzero_element() {
        Set<Integer> seen = new HashSet<>();
        for (int n = 0; n < 255; n++) {
            seen.add(Gf256.pow(2, n));
        }
        assertThat(seen).hasSize(255).doesNotContain(0);
        assertThat(Gf256.pow(2, 255)).isEqualTo(1);
    }

    @Test
    void every_nonzero_element_has_an_inverse_and_zero_has_none() {
        for (int a = 1; a < 256; a++) {
            assertThat(Gf256.mul(a, Gf256.inverse(a))).as("a=%d", a).isEqualTo(1);
            assertThat(Gf256.div(Gf256.mul(a, 0x53), a)).isEqualTo(0x53);
        }
        assertThatThrownBy(() -> Gf256.inverse(0)).isInstanceOf(ArithmeticException.class);
    }

    @Test
    void pow_is_repeated_multiplication_with_zero_to_the_zero_being_one() {
        for (int a = 0; a < 256; a++) {
            int expected = 1;
            for (int n = 0; n < 20; n++) {
                assertThat(Gf256.pow(a, n)).as("%d^%d", a, n).isEqualTo(expected);
                expected = carrylessMultiply(expected, a);
            }
        }
    }
}
