package io.strata.erasure;

/** Small dense matrices over GF(2^8), as int[row][column] with elements in 0..255. */
final class GfMatrix {
    private GfMatrix() {
    }

    static int[][] identity(int size) {
        int[][] m = new int[size][size];
        for (int i = 0; i < size; i++) {
            m[i][i] = 1;
        }
        return m;
    }

    /** V[r][c] = r^c: any {@code columns} of its rows are independent since the points r are distinct. */
    static int[][] vandermonde(int rows, int columns) {
        if (rows > Gf256.ORDER) {
            throw new IllegalArgumentException("a Vandermonde matrix over GF(2^8) has at most 256 rows, not " + rows);
        }
        int[][] m = new int[rows][columns];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < columns; c++) {
                m[r][c] = Gf256.pow(r, c);
            }
        }
        return m;
    }

    static int[][] multiply(int[][] a, int[][] b) {
        int inner = b.length;
        int columns = b[0].length;
        int[][] product = new int[a.length][columns];
        for (int r = 0; r < a.length; r++) {
            if (a[r].length != inner) {
                throw new IllegalArgumentException("row " + r + " has " + a[r].length + " columns, expected " + inner);
            }
            for (int c = 0; c < columns; c++) {
                int sum = 0;
                for (int k = 0; k < inner; k++) {
                    sum ^= Gf256.mul(a[r][k], b[k][c]);
                }
                product[r][c] = sum;
            }
        }
        return product;
    }

    static int[][] selectRows(int[][] m, int[] rowIndexes) {
        int[][] selected = new int[rowIndexes.length][];
        for (int i = 0; i < rowIndexes.length; i++) {
            selected[i] = m[rowIndexes[i]].clone();
        }
        return selected;
    }

    static int[][] copy(int[][] m) {
        int[][] copy = new int[m.length][];
        for (int r = 0; r < m.length; r++) {
            copy[r] = m[r].clone();
        }
        return copy;
    }

    /** The inverse of a square matrix by Gauss-Jordan elimination; IllegalStateException if singular. */
    static int[][] invert(int[][] square) {
        int size = square.length;
        int[][] work = copy(square);
        int[][] inverse = identity(size);
        for (int column = 0; column < size; column++) {
            int pivot = findPivot(work, column);
            swapRows(work, inverse, column, pivot);
            int scale = Gf256.inverse(work[column][column]);
            scaleRow(work[column], scale);
            scaleRow(inverse[column], scale);
            for (int r = 0; r < size; r++) {
                int factor = work[r][column];
                if (r != column && factor != 0) {
                    subtractScaled(work[r], work[column], factor);
                    subtractScaled(inverse[r], inverse[column], factor);
                }
            }
        }
        return inverse;
    }

    private static int findPivot(int[][] work, int column) {
        for (int r = column; r < work.length; r++) {
            if (work[r][column] != 0) {
                return r;
            }
        }
        throw new IllegalStateException("matrix is singular at column " + column);
    }

    private static void swapRows(int[][] a, int[][] b, int i, int j) {
        if (i != j) {
            int[] t = a[i];
            a[i] = a[j];
            a[j] = t;
            t = b[i];
            b[i] = b[j];
            b[j] = t;
        }
    }

    private static void scaleRow(int[] row, int factor) {
        for (int c = 0; c < row.length; c++) {
            row[c] = Gf256.mul(row[c], factor);
        }
    }

    private static void subtractScaled(int[] target, int[] source, int factor) {
        for (int c = 0; c < target.length; c++) {
            target[c] ^= Gf256.mul(source[c], factor);
        }
    }
}
