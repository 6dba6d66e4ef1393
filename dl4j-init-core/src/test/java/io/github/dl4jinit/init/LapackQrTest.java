package io.github.dl4jinit.init;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@link LapackQr#positiveQ}: for A (m × k, m ≥ k) it returns Q with orthonormal columns such that
 * R = QᵀA is upper triangular with a non-negative diagonal and A = QR, which is the unique QR that
 * {@code q * r.diag().sign()} gives in PyTorch. Checked on its definition, in float and double, for
 * inputs in c and f order, with A left unchanged.
 */
class LapackQrTest {

    static Stream<Arguments> cases() {
        long[][] shapes = {{1, 1}, {5, 1}, {9, 4}, {64, 64}, {300, 100}, {1000, 37}, {257, 256}};
        List<Arguments> all = new ArrayList<>();
        for (long[] s : shapes) {
            for (DataType type : new DataType[]{DataType.FLOAT, DataType.DOUBLE}) {
                for (char order : new char[]{'c', 'f'}) {
                    all.add(Arguments.of(s[0], s[1], type, order));
                }
            }
        }
        return all.stream();
    }

    @ParameterizedTest(name = "{0}x{1} {2} {3}")
    @MethodSource("cases")
    void qIsTheUniqueQWithPositiveDiagonalR(long m, long k, DataType type, char order) {
        Nd4j.getRandom().setSeed(m * 31 + k);
        INDArray a = Nd4j.randn(type, m, k).dup(order);
        INDArray before = a.dup();
        INDArray q = LapackQr.positiveQ(a);

        assertThat(a).as("input left unchanged").isEqualTo(before);
        assertThat(q.shape()).containsExactly(m, k);
        assertThat(q.dataType()).isEqualTo(type);
        double eps = type == DataType.DOUBLE ? 1e-12 : 1e-5;
        INDArray qd = q.castTo(DataType.DOUBLE);
        INDArray ad = a.castTo(DataType.DOUBLE);
        INDArray gram = qd.transpose().mmul(qd);
        assertThat(gram.sub(Nd4j.eye(k).castTo(DataType.DOUBLE)).amaxNumber().doubleValue())
                .as("QᵀQ = I").isLessThan(eps);
        INDArray r = qd.transpose().mmul(ad);
        double scale = ad.norm2Number().doubleValue();
        for (long i = 0; i < k; i++) {
            assertThat(r.getDouble(i, i)).as("R[%d,%d] > 0", i, i).isPositive();
            for (long j = 0; j < i; j++) {
                assertThat(Math.abs(r.getDouble(i, j)) / scale).as("R[%d,%d] below the diagonal", i, j)
                        .isLessThan(eps);
            }
        }
        assertThat(qd.mmul(r).sub(ad).amaxNumber().doubleValue() / scale).as("QR = A").isLessThan(eps);
    }

    @ParameterizedTest(name = "{0}x{1}")
    @MethodSource("wide")
    void refusesAWideMatrix(long m, long k) {
        INDArray a = Nd4j.create(DataType.FLOAT, m, k);
        assertThatThrownBy(() -> LapackQr.positiveQ(a)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'a.shape'").hasMessageContaining("[" + m + ", " + k + "]")
                .hasMessageContaining("rows >= columns");
    }

    static Stream<Arguments> wide() {
        return Stream.of(Arguments.of(2L, 3L), Arguments.of(1L, 100L));
    }
}
