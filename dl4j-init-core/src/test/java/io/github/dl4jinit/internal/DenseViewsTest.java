package io.github.dl4jinit.internal;

import io.github.dl4jinit.sampling.FastSampler;
import io.github.dl4jinit.sampling.TorchGenerator;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * DenseViews' writes and reads land at the right offset of a larger flat array, as DL4J's
 * parameter views into {@code net.params()} are: c order, f order and transposed f order
 * (C-contiguous with an offset: the NIO path), float and double.
 */
class DenseViewsTest {
    private static final int OFFSET = 10;
    private static final int N = 30;

    private INDArray flat;

    @BeforeEach
    void setUp() {
        flat = Nd4j.create(DataType.FLOAT, 1, 100).assign(-1);
    }

    /** A [1, 30] view at offset 10 of the [1, 100] flat array, as DL4J cuts parameter views. */
    private static INDArray slice(INDArray flat) {
        INDArray v = flat.get(NDArrayIndex.interval(0, 0, true), NDArrayIndex.interval(OFFSET, OFFSET + N));
        assertThat(v.isView()).isTrue();
        return v;
    }

    private static float[] values() {
        float[] v = new float[N];
        for (int i = 0; i < N; i++) {
            v[i] = 100 + i;
        }
        return v;
    }

    private void assertOutsideUntouched(INDArray flat) {
        for (int i = 0; i < 100; i++) {
            if (i < OFFSET || i >= OFFSET + N) {
                assertThat(flat.getDouble(0, i)).as("flat[%s]", i).isEqualTo(-1);
            }
        }
    }

    @Test
    void cOrderViewWithOffset() {
        INDArray view = slice(flat).reshape('c', 5, 6);
        assertThat(DenseViews.isCContiguous(view)).isTrue();
        DenseViews.write(view, values());
        for (int i = 0; i < N; i++) {
            assertThat(flat.getFloat(0, OFFSET + i)).isEqualTo(100 + i);
        }
        assertOutsideUntouched(flat);
        assertThat(DenseViews.readFloats(view)).containsExactly(values());
        assertThat(DenseViews.readDoubles(view)[7]).isEqualTo(107);
    }

    @Test
    void fOrderViewWithOffset() {
        // [5, 6] f: element (r, c) lives at offset + r + 5c; values go in the view's C order.
        INDArray view = slice(flat).reshape('f', 5, 6);
        assertThat(view.ordering()).isEqualTo('f');
        DenseViews.write(view, values());
        for (int r = 0; r < 5; r++) {
            for (int c = 0; c < 6; c++) {
                assertThat(flat.getFloat(0, OFFSET + r + 5 * c)).isEqualTo(100 + r * 6 + c);
            }
        }
        assertOutsideUntouched(flat);
        assertThat(DenseViews.readFloats(view)).containsExactly(values());
    }

    @Test
    void transposedFOrderViewIsCContiguousWithOffset() {
        // DL4J's Dense W [nIn, nOut] f transposed is PyTorch's (nOut, nIn) in C order: the NIO path.
        INDArray w = slice(flat).reshape('f', 6, 5);
        INDArray torch = w.transpose();
        assertThat(DenseViews.isCContiguous(torch)).isTrue();
        DenseViews.write(torch, values());
        for (int i = 0; i < N; i++) {
            assertThat(flat.getFloat(0, OFFSET + i)).isEqualTo(100 + i);
        }
        assertOutsideUntouched(flat);
        assertThat(DenseViews.readFloats(torch)).containsExactly(values());
        assertThat(w.getFloat(1, 0)).isEqualTo(101);
    }

    @Test
    void memoryOrderedVisitsAddressesInOrder() {
        INDArray view = slice(flat).reshape('f', 5, 6);
        INDArray ordered = DenseViews.memoryOrdered(view);
        assertThat(DenseViews.isCContiguous(ordered)).isTrue();
        DenseViews.write(ordered, values());
        for (int i = 0; i < N; i++) {
            assertThat(flat.getFloat(0, OFFSET + i)).isEqualTo(100 + i);
        }
        assertOutsideUntouched(flat);
    }

    @Test
    void doubleViewsWithOffset() {
        INDArray dflat = Nd4j.create(DataType.DOUBLE, 1, 100).assign(-1);
        double[] v = new double[N];
        for (int i = 0; i < N; i++) {
            v[i] = 0.5 + i;
        }
        INDArray c = slice(dflat).reshape('c', 3, 10);
        DenseViews.write(c, v);
        for (int i = 0; i < N; i++) {
            assertThat(dflat.getDouble(0, OFFSET + i)).isEqualTo(0.5 + i);
        }
        assertThat(DenseViews.readDoubles(c)).containsExactly(v);
        assertOutsideUntouched(dflat);

        dflat.assign(-1);
        INDArray f = slice(dflat).reshape('f', 3, 10);
        DenseViews.write(f, v);
        assertThat(dflat.getDouble(0, OFFSET + 1)).isEqualTo(0.5 + 10);   // (1, 0) = value index 10
        assertThat(DenseViews.readDoubles(f)).containsExactly(v);
        assertOutsideUntouched(dflat);
    }

    @Test
    void samplersFillOffsetViewsLikeStandaloneArrays() {
        // The same draws land in a view at an offset as in a fresh array: nothing is shifted.
        for (boolean normal : new boolean[]{false, true}) {
            flat.assign(-1);
            INDArray view = slice(flat).reshape('f', 6, 5).transpose();
            INDArray fresh = Nd4j.create(DataType.FLOAT, new long[]{5, 6}, 'c');
            if (normal) {
                new TorchGenerator(5).normal(view, 0, 1);
                new TorchGenerator(5).normal(fresh, 0, 1);
            } else {
                new TorchGenerator(5).uniform(view, -1, 1);
                new TorchGenerator(5).uniform(fresh, -1, 1);
            }
            assertThat(DenseViews.readFloats(view)).containsExactly(fresh.data().asFloat());
            assertOutsideUntouched(flat);
            // The same through ND4J's generator (n = 30 ≥ 16 takes the Box–Muller NIO path).
            flat.assign(-1);
            Nd4j.getRandom().setSeed(77);
            if (normal) {
                FastSampler.get().normal(view, 0, 1);
            } else {
                FastSampler.get().uniform(view, -1, 1);
            }
            Nd4j.getRandom().setSeed(77);
            if (normal) {
                FastSampler.get().normal(fresh, 0, 1);
            } else {
                FastSampler.get().uniform(fresh, -1, 1);
            }
            assertThat(DenseViews.readFloats(view)).containsExactly(fresh.data().asFloat());
            assertOutsideUntouched(flat);
        }
    }
}
