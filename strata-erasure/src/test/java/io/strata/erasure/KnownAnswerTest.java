package io.strata.erasure;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HexFormat;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Fixed inputs with their parity written out, so that a change of polynomial, matrix construction or
 * row order fails here even if the vector and scalar coders change together.
 */
class KnownAnswerTest {

    static Stream<ErasureCoder> coders2plus2() {
        return Stream.of(ErasureCoder.create(2, 2), ErasureCoder.createScalar(2, 2));
    }

    /**
     * Worked by hand. For D=2 the Vandermonde rows are [1, r]; its top square [[1,0],[1,1]] is its own
     * inverse in characteristic 2, so parity row r is [1, r] x [[1,0],[1,1]] = [1^r, r]: row 2 is [3, 2],
     * row 3 is [2, 3]. With a = 0x80 and b = 0x01: 2*0x80 = x^8 = 0x1D (mod 0x11D), 3*0x80 = 0x1D^0x80
     * = 0x9D, so parity0 = 3a^2b = 0x9D^0x02 = 0x9F and parity1 = 2a^3b = 0x1D^0x03 = 0x1E.
     */
    @ParameterizedTest
    @MethodSource("coders2plus2")
    void two_plus_two_matches_hand_computation(ErasureCoder coder) {
        assertThat(coder.encodingMatrix()).isDeepEqualTo(new int[][] {{1, 0}, {0, 1}, {3, 2}, {2, 3}});
        byte[][] data = {{(byte) 0x80, 0x00, 0x01}, {0x01, 0x00, (byte) 0x80}};
        byte[][] parity = new byte[2][3];
        coder.encode(data, parity, 0, 3);
        assertThat(parity[0]).containsExactly(0x9F, 0x00, 0x1E);
        assertThat(parity[1]).containsExactly(0x1E, 0x00, 0x9F);
    }

    @ParameterizedTest
    @MethodSource("bothKinds")
    void one_data_shard_is_replicated(GfKernel.Kind kind) {
        ErasureCoder coder = kind == GfKernel.Kind.VECTOR ? ErasureCoder.create(1, 4) : ErasureCoder.createScalar(1, 4);
        byte[][] data = {bytes(200, 5)};
        byte[][] parity = new byte[4][200];
        coder.encode(data, parity, 0, 200);
        for (byte[] copy : parity) {
            assertThat(copy).isEqualTo(data[0]);
        }
    }

    /**
     * The published 5+5 vector of Backblaze's JavaReedSolomon tests, whose parity shards are {12,13},
     * {10,11}, {14,15}, {90,91}, {94,95}. The same construction gives the same parity rows, and the
     * parity rows of 5+4 are the first four of 5+5 (the top square is the same), so 5+4 must match.
     */
    @ParameterizedTest
    @MethodSource("bothKinds")
    void five_data_shards_match_backblaze(GfKernel.Kind kind) {
        ErasureCoder coder = kind == GfKernel.Kind.VECTOR ? ErasureCoder.create(5, 4) : ErasureCoder.createScalar(5, 4);
        byte[][] data = {{0, 1}, {4, 5}, {2, 3}, {6, 7}, {8, 9}};
        byte[][] parity = new byte[4][2];
        coder.encode(data, parity, 0, 2);
        assertThat(parity).isDeepEqualTo(new byte[][] {{12, 13}, {10, 11}, {14, 15}, {90, 91}});
    }

    /** 130 bytes: two 64-byte vectors (or four of 32) and a tail, so every code path is pinned. */
    @ParameterizedTest
    @MethodSource("bothKinds")
    void four_plus_two_fixed_stripe(GfKernel.Kind kind) {
        ErasureCoder coder = kind == GfKernel.Kind.VECTOR ? ErasureCoder.create(4, 2) : ErasureCoder.createScalar(4, 2);
        assertThat(coder.encodingMatrix()[4]).containsExactly(27, 28, 18, 20);
        assertThat(coder.encodingMatrix()[5]).containsExactly(28, 27, 20, 18);
        byte[][] parity = encodeFixed(coder, 130);
        assertThat(hex(parity[0])).isEqualTo(
                "d5f701762ad189202b4bb38007f1249859db3f1a1a81bfacbd0f784d2d603c75e9d8f2308b99521cbf4c00af4f2a710d"
                + "0de71052c1d42af8812030ff79a6e749c69040644d426e334c0aa1e79416e50abec85889fd402d4bae68ebaaecf2db66"
                + "8e4b15f1197e417bfe5e673ca839164c1f8083b5d2b36beae6b3d73eeb41f42e5577");
        assertThat(hex(parity[1])).isEqualTo(
                "f152cb7e397b062a38330975e32c71bf7a99e8e8e9f68aa189aad878d4e7d30f2a1ae5df22543af17174273dcc105e4d"
                + "b342a0c7d5d9786852e2f7b0409befd462352d4b5e68e1b95fd53c12f0cb170a9d0a8ffb0e903f461acdcb9fb252349c"
                + "4d0902b997b3a9969741402e2b8339ab8625b32046be9e5d35f110d6f57c7cb371d2");
    }

    @ParameterizedTest
    @MethodSource("bothKinds")
    void sixteen_plus_four_fixed_stripe(GfKernel.Kind kind) {
        ErasureCoder coder = kind == GfKernel.Kind.VECTOR ? ErasureCoder.create(16, 4) : ErasureCoder.createScalar(16, 4);
        assertThat(coder.encodingMatrix()[16]).startsWith(33, 181, 246, 133);
        byte[][] parity = encodeFixed(coder, 130);
        assertThat(hex(parity[0])).startsWith("0131876e64798fb31f1aae89d1b32aa2").endsWith("050fdbc5d619ec81b1");
        assertThat(hex(parity[1])).startsWith("12231594696612f7b78f730838bb04d5").endsWith("abed89c4befd3f2992a3");
        assertThat(hex(parity[2])).startsWith("b7b4f56a5d7563f186f8e738c89aaa83").endsWith("8f60c0d64b753734");
        assertThat(hex(parity[3])).startsWith("5340606cc470026ddcb08f5bd517fd27").endsWith("3b4fef192003d3c0");
    }

    static Stream<GfKernel.Kind> bothKinds() {
        return Stream.of(GfKernel.Kind.values());
    }

    private static byte[][] encodeFixed(ErasureCoder coder, int length) {
        byte[][] data = new byte[coder.dataShards()][length];
        for (int d = 0; d < data.length; d++) {
            for (int i = 0; i < length; i++) {
                data[d][i] = (byte) (i * 37 + d * 101 + 11);
            }
        }
        byte[][] parity = new byte[coder.parityShards()][length];
        coder.encode(data, parity, 0, length);
        return parity;
    }

    private static byte[] bytes(int length, int seed) {
        byte[] bytes = new byte[length];
        for (int i = 0; i < length; i++) {
            bytes[i] = (byte) (i * seed + 1);
        }
        return bytes;
    }

    private static String hex(byte[] bytes) {
        return HexFormat.of().formatHex(bytes);
    }
}
