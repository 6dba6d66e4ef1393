package io.github.dl4jinit.sampling;

import io.github.dl4jinit.internal.DenseViews;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link TorchGenerator#normalAt} and {@link TorchGenerator#uniformAt}, which skip the outputs that
 * feed no requested value, against the whole-tensor draws they stand for ({@code normal}/{@code uniform}
 * of a fresh tensor, pinned to PyTorch by the fixtures): the same values at the requested positions
 * and the generator left at the same point of its stream. Sizes below 16 (scalar path), multiples of
 * 16 and others (the last 16 elements come from 16 extra uniforms), float and double.
 */
class TorchGeneratorRedrawTest {

    static Stream<Arguments> cases() {
        List<Arguments> all = new ArrayList<>();
        for (DataType type : new DataType[]{DataType.FLOAT, DataType.DOUBLE}) {
            for (int n : new int[]{1, 7, 15, 16, 17, 31, 48, 1000, 5003, 70000}) {
                for (long seed : new long[]{0, 42, -1}) {
                    all.add(Arguments.of(type, n, seed));
                }
            }
        }
        return all.stream();
    }

    /** Every 7th position, the first and the last 20 (the tail's lanes on both sides of lane 8). */
    private static int[] positions(int n) {
        return IntStream.range(0, n).filter(i -> i % 7 == 3 || i < 2 || i >= n - 20).toArray();
    }

    @ParameterizedTest(name = "{0} n={1} seed={2}")
    @MethodSource("cases")
    void normalAtIsTheWholeDrawAtThosePositions(DataType type, int n, long seed) {
        INDArray like = Nd4j.create(type, 3, n).getRow(1); // shape and type matter, not the contents
        int[] positions = positions(n);
        TorchGenerator whole = new TorchGenerator(seed);
        // a cached scalar normal carries over the same way in both
        whole.normal(Nd4j.create(type, 3), 0, 1);
        INDArray fresh = Nd4j.create(type, n);
        whole.normal(fresh, 0.5, 2.0);
        double[] all = DenseViews.readDoubles(fresh);

        TorchGenerator skipping = new TorchGenerator(seed);
        skipping.normal(Nd4j.create(type, 3), 0, 1);
        double[] some = skipping.normalAt(like, positions, 0.5, 2.0);

        for (int k = 0; k < positions.length; k++) {
            assertThat(some[k]).as("position %d", positions[k]).isEqualTo(all[positions[k]]);
        }
        assertThat(skipping.random64()).as("stream position after the redraw").isEqualTo(whole.random64());
        INDArray next = Nd4j.create(type, 5);
        INDArray nextWhole = Nd4j.create(type, 5);
        skipping.normal(next, 0, 1);
        whole.normal(nextWhole, 0, 1);
        assertThat(next).as("cached normal after the redraw").isEqualTo(nextWhole);
    }

    @ParameterizedTest(name = "{0} n={1} seed={2}")
    @MethodSource("cases")
    void uniformAtIsTheWholeDrawAtThosePositions(DataType type, int n, long seed) {
        INDArray like = Nd4j.create(type, n);
        int[] positions = positions(n);
        TorchGenerator whole = new TorchGenerator(seed);
        INDArray fresh = Nd4j.create(type, n);
        whole.uniform(fresh, -1.5, 2.5);
        double[] all = DenseViews.readDoubles(fresh);

        TorchGenerator skipping = new TorchGenerator(seed);
        double[] some = skipping.uniformAt(like, positions, -1.5, 2.5);

        for (int k = 0; k < positions.length; k++) {
            assertThat(some[k]).as("position %d", positions[k]).isEqualTo(all[positions[k]]);
        }
        assertThat(skipping.random64()).as("stream position after the redraw").isEqualTo(whole.random64());
    }
}
