package io.github.dl4jinit.tests;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.io.File;
import java.net.URISyntaxException;
import java.net.URL;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

/** Reads the PyTorch fixtures written by {@code python/make_model_fixtures.py}. */
final class Fixtures {
    private Fixtures() {
    }

    /** One array of {@code fixtures/models/<model>_seed<seed>/<name>.npy}. */
    static INDArray load(String model, long seed, String name) {
        return loadPath("/fixtures/models/" + model + "_seed" + seed + "/" + name + ".npy");
    }

    /** One array of {@code fixtures/modules/<module>_seed<seed>/<name>.npy}. */
    static INDArray loadModule(String module, long seed, String name) {
        return loadPath("/fixtures/modules/" + module + "_seed" + seed + "/" + name + ".npy");
    }

    private static INDArray loadPath(String path) {
        URL url = Fixtures.class.getResource(path);
        assertNotNull(url, "missing fixture " + path + " (run python/make_model_fixtures.py)");
        try {
            return Nd4j.createFromNpyFile(new File(url.toURI())).castTo(DataType.FLOAT);
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Float values of an array in its C order. */
    static float[] values(INDArray a) {
        return a.dup('c').castTo(DataType.FLOAT).data().asFloat();
    }

    /** Asserts the same float bits, in C order of both arrays. */
    static void assertBitEqual(INDArray expected, INDArray actual, String what) {
        float[] e = values(expected);
        float[] a = values(actual);
        assertArrayEquals(bits(e), bits(a), what + ": not bit-identical to PyTorch");
    }

    static int[] bits(float[] v) {
        int[] r = new int[v.length];
        for (int i = 0; i < v.length; i++) {
            r[i] = Float.floatToIntBits(v[i]);
        }
        return r;
    }
}
