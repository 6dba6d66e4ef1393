package io.github.dl4jinit.init;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@link LapackQr#positiveQ}: for A (m × k, m ≥ k, column-major) it returns Q with orthonormal
 * columns such that R = QᵀA is upper triangular with a positive diagonal and A = QR: the unique QR
 * that {@code q * r.diag().sign()} gives in PyTorch. Checked on that definition, in float and double,
 * with A left unchanged.
 */
class LapackQrTest {

    static Stream<Arguments> cases() {
        int[][] shapes = {{1, 1}, {5, 1}, {9, 4}, {64, 64}, {300, 100}, {1000, 37}, {257, 256}};
        List<Arguments> all = new ArrayList<>();
        for (int[] s : shapes) {
            for (boolean doubles : new boolean[]{false, true}) {
                all.add(Arguments.of(s[0], s[1], doubles));
            }
        }
        return all.stream();
    }

    @ParameterizedTest(name = "{0}x{1} double={2}")
    @MethodSource("cases")
    void qIsTheUniqueQWithPositiveDiagonalR(int m, int k, boolean doubles) {
        Random rng = new Random(m * 31L + k);
        double[] values = new double[m * k];
        for (int i = 0; i < values.length; i++) {
            values[i] = rng.nextGaussian();
        }
        INDArray q;
        INDArray a;
        if (doubles) {
            double[] before = values.clone();
            q = Nd4j.create(LapackQr.positiveQ(values, m, k), new long[]{m, k}, 'f');
            assertThat(values).as("input left unchanged").containsExactly(before);
            a = Nd4j.create(values, new long[]{m, k}, 'f');
        } else {
            float[] f = new float[values.length];
            for (int i = 0; i < f.length; i++) {
                f[i] = (float) values[i];
            }
            float[] before = f.clone();
            q = Nd4j.create(LapackQr.positiveQ(f, m, k), new long[]{m, k}, 'f').castTo(DataType.DOUBLE);
            assertThat(f).as("input left unchanged").containsExactly(before);
            a = Nd4j.create(f, new long[]{m, k}, 'f').castTo(DataType.DOUBLE);
        }
        double eps = doubles ? 1e-12 : 1e-5;
        INDArray gram = q.transpose().mmul(q);
        assertThat(gram.sub(Nd4j.eye(k).castTo(DataType.DOUBLE)).amaxNumber().doubleValue())
                .as("QᵀQ = I").isLessThan(eps);
        INDArray r = q.transpose().mmul(a);
        double scale = a.norm2Number().doubleValue();
        for (int i = 0; i < k; i++) {
            assertThat(r.getDouble(i, i)).as("R[%d,%d] > 0", i, i).isPositive();
            for (int j = 0; j < i; j++) {
                assertThat(Math.abs(r.getDouble(i, j)) / scale).as("R[%d,%d] below the diagonal", i, j)
                        .isLessThan(eps);
            }
        }
        assertThat(q.mmul(r).sub(a).amaxNumber().doubleValue() / scale).as("QR = A").isLessThan(eps);
    }

    @Test
    void refusesAWideMatrixOrAWrongLength() {
        assertThatThrownBy(() -> LapackQr.positiveQ(new float[6], 2, 3)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'a.shape'").hasMessageContaining("[2, 3]").hasMessageContaining("rows >= columns");
        assertThatThrownBy(() -> LapackQr.positiveQ(new double[5], 3, 2)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("[3, 2]").hasMessageContaining("5 values");
    }

    @Test
    void transposesInTiles() {
        int rows = 70;
        int cols = 45;
        float[] v = new float[rows * cols];
        double[] d = new double[rows * cols];
        for (int i = 0; i < v.length; i++) {
            v[i] = i;
            d[i] = -i;
        }
        float[] t = LapackQr.transpose(v, rows, cols);
        double[] td = LapackQr.transpose(d, rows, cols);
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                assertThat(t[c * rows + r]).isEqualTo(v[r * cols + c]);
                assertThat(td[c * rows + r]).isEqualTo(d[r * cols + c]);
            }
        }
    }
}
