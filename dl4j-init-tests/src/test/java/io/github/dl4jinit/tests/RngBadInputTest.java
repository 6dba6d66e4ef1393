package io.github.dl4jinit.tests;

import io.github.dl4jinit.sampling.TorchGenerator;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** What PyTorch's uniform_/normal_ refuse, TorchGenerator refuses, with a message naming the argument. */
class RngBadInputTest {
    private final TorchGenerator g = new TorchGenerator(0);
    private final INDArray f = Nd4j.create(DataType.FLOAT, 4);
    private final INDArray d = Nd4j.create(DataType.DOUBLE, 4);

    @Test
    void uniformFromAboveTo() {
        assertThatThrownBy(() -> g.uniform(f, 1, 0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'from' = 1.0").hasMessageContaining("from=1.0 > to=0.0");
    }

    @Test
    void uniformInfiniteSpan() {
        assertThatThrownBy(() -> g.uniform(f, -3e38, 3e38)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'to - from'").hasMessageContaining("float maximum");
        assertThatThrownBy(() -> g.uniform(d, -Double.MAX_VALUE, Double.MAX_VALUE))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'to - from' = Infinity");
    }

    @Test
    void uniformBoundOutOfRangeOrNaN() {
        assertThatThrownBy(() -> g.uniform(f, Double.NaN, 1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'from' = NaN").hasMessageContaining("from is out of bounds for float");
        assertThatThrownBy(() -> g.uniform(f, 0, 1e39)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'to' = 1.0E39");
        assertThatThrownBy(() -> g.uniform(d, Double.NEGATIVE_INFINITY, 0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'from' = -Infinity");
    }

    @Test
    void normalNegativeOrNaNStd() {
        assertThatThrownBy(() -> g.normal(f, 0, -1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'std' = -1.0").hasMessageContaining("normal expects std >= 0.0");
        assertThatThrownBy(() -> g.normal(d, 0, Double.NaN)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'std' = NaN");
    }

    @Test
    void nonFloatingTarget() {
        INDArray ints = Nd4j.create(DataType.INT, 4);
        assertThatThrownBy(() -> g.uniform(ints, 0, 1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'target.dataType' = INT").hasMessageContaining("floating-point");
        assertThatThrownBy(() -> g.normal(Nd4j.create(DataType.LONG, 4), 0, 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("LONG");
    }

    @Test
    void refusedCallsDoNotConsumeTheStream() {
        TorchGenerator fresh = new TorchGenerator(0);
        try {
            g.normal(f, 0, -1);
        } catch (IllegalArgumentException expected) {
            // refused before any draw
        }
        assertThat(g.random()).isEqualTo(fresh.random());
    }

    @Test
    void equalBoundsFillWithFromAsTorch() {
        g.uniform(f, 0.25, 0.25);
        assertThat(f.data().asFloat()).containsOnly(0.25f);
    }
}
