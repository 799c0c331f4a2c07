package io.strata.erasure;

/**
 * Arithmetic in GF(2^8) built on the primitive polynomial x^8 + x^4 + x^3 + x^2 + 1 (0x11D) with
 * generator 2, through log and exp tables. Elements are ints in 0..255; addition is XOR.
 *
 * <p>This is the plain reference arithmetic: the scalar coder and the matrix code use it directly,
 * and the vector coder derives its nibble tables from it.
 */
final class Gf256 {
    static final int POLYNOMIAL = 0x11D;
    static final int ORDER = 256;

    /** EXP[i] = 2^i, doubled in length so that EXP[LOG[a] + LOG[b]] needs no modulo. */
    private static final int[] EXP = new int[2 * (ORDER - 1)];
    /** LOG[a] = i such that 2^i = a; LOG[0] is unused. */
    private static final int[] LOG = new int[ORDER];

    static {
        int x = 1;
        for (int i = 0; i < ORDER - 1; i++) {
            EXP[i] = x;
            LOG[x] = i;
            x <<= 1;
            if ((x & 0x100) != 0) {
                x ^= POLYNOMIAL;
            }
        }
        for (int i = ORDER - 1; i < EXP.length; i++) {
            EXP[i] = EXP[i - (ORDER - 1)];
        }
    }

    private Gf256() {
    }

    static int add(int a, int b) {
        return a ^ b;
    }

    static int mul(int a, int b) {
        if (a == 0 || b == 0) {
            return 0;
        }
        return EXP[LOG[a] + LOG[b]];
    }

    static int inverse(int a) {
        if (a == 0) {
            throw new ArithmeticException("0 has no inverse in GF(2^8)");
        }
        return EXP[(ORDER - 1) - LOG[a]];
    }

    static int div(int a, int b) {
        return mul(a, inverse(b));
    }

    /** a^n for n >= 0, with 0^0 = 1 as a Vandermonde matrix needs. */
    static int pow(int a, int n) {
        if (n == 0) {
            return 1;
        }
        if (a == 0) {
            return 0;
        }
        return EXP[(int) ((long) LOG[a] * n % (ORDER - 1))];
    }
}
