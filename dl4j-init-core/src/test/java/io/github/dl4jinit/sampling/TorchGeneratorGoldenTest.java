package io.github.dl4jinit.sampling;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import static org.assertj.core.api.Assertions.assertThat;

/** Golden vectors printed by real torch 2.13 (shared reference, golden_vectors.txt). */
class TorchGeneratorGoldenTest {

    private static int[] bits(INDArray a) {
        float[] f = a.dup('c').data().asFloat();
        int[] out = new int[f.length];
        for (int i = 0; i < f.length; i++) {
            out[i] = Float.floatToRawIntBits(f[i]);
        }
        return out;
    }

    @Test
    void rawOutputsOfSeedZero() {
        TorchGenerator g = new TorchGenerator(0);
        assertThat(g.random()).isEqualTo(0x8c7f0aac);
        assertThat(g.random()).isEqualTo(0x97c4aa2f);
        assertThat(g.random()).isEqualTo(0xb716a675);
    }

    @Test
    void randEightSeedZero() {
        INDArray t = Nd4j.create(DataType.FLOAT, 8);
        new TorchGenerator(0).uniform(t, 0, 1);
        assertThat(bits(t)).containsExactly(0x3efe1558, 0x3f44aa2f, 0x3db533a8, 0x3e073300, 0x3e9d6686,
                0x3f2252fb, 0x3efaed86, 0x3f657d67);
    }

    @Test
    void randnTwentySeedZeroUsesBatchedPath() {
        INDArray t = Nd4j.create(DataType.FLOAT, 20);
        new TorchGenerator(0).normal(t, 0, 1);
        int[] b = bits(t);
        assertThat(b[0]).isEqualTo(0xbf901b85);
        assertThat(b[7]).isEqualTo(0x3fed2f4e);
        assertThat(b[15]).isEqualTo(0xbf57fb33);
        assertThat(b[19]).isEqualTo(0x3d5c1b3a);
    }

    @Test
    void randnEightSeedZeroUsesScalarPath() {
        INDArray t = Nd4j.create(DataType.FLOAT, 8);
        new TorchGenerator(0).normal(t, 0, 1);
        int[] b = bits(t);
        assertThat(b[0]).isEqualTo(0x3fc53f5c);
        assertThat(b[1]).isEqualTo(0xbe963c50);
    }

    @Test
    void fillsOfViewsWithAnOffsetLandInTheViewNotAtTheBufferStart() {
        INDArray flat = Nd4j.zeros(DataType.FLOAT, 1, 10 + 2000);
        INDArray view = flat.get(org.nd4j.linalg.indexing.NDArrayIndex.point(0),
                org.nd4j.linalg.indexing.NDArrayIndex.interval(10, 2010)).reshape('c', 40, 50);
        new TorchGenerator(5).uniform(view, -1, 1);
        INDArray fresh = Nd4j.create(DataType.FLOAT, 40, 50);
        new TorchGenerator(5).uniform(fresh, -1, 1);
        assertThat(bits(view)).containsExactly(bits(fresh));
        for (int i = 0; i < 10; i++) {
            assertThat(flat.getFloat(0, i)).isZero();
        }
    }
}
