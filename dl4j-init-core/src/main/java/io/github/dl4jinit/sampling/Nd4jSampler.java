package io.github.dl4jinit.sampling;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.random.impl.GaussianDistribution;
import org.nd4j.linalg.api.ops.random.impl.UniformDistribution;
import org.nd4j.linalg.api.rng.Random;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The fast source: ND4J's native generator of the calling thread ({@code Nd4j.getRandom()}), so
 * results follow DL4J's {@code .seed(...)} (a network's {@code init()} re-seeds that generator).
 *
 * <p>Each call takes one seed from the ND4J generator. Uniforms of dense float arrays below a million
 * elements are drawn in Java on all cores straight into the array's memory ({@code ParallelUniform}:
 * ND4J's native op has a fixed cost of milliseconds per call, measured at 15 ms for a 147k-value
 * convolution weight on a busy 2-core machine); larger arrays use ND4J's native op, which is faster
 * there. Uniforms of double arrays are drawn in Java with 53 bits (ND4J's op gives them float
 * resolution). Normals of float and
 * double arrays come from a Ziggurat sampler on all cores (ND4J's own Gaussian op is several times
 * slower). Both cut the array into fixed blocks with their own streams, so the values depend on the
 * seed, never on the number of cores. Other types and layouts use ND4J's native ops. The values are not PyTorch's:
 * for those use {@link TorchGenerator}.
 */
public final class Nd4jSampler implements Sampler {
    private static final Nd4jSampler INSTANCE = new Nd4jSampler();
    /**
     * From this many elements on, ND4J's native uniform op is faster than the Java fill (measured on
     * 2 cores: 19 ms vs 33 ms for 16.8 M floats); below it the op's fixed cost dominates.
     */
    static final long NATIVE_UNIFORM_MIN = 1L << 20;

    private Nd4jSampler() {
    }

    /**
     * True for arrays small enough that drawing several at once on different threads, each with its
     * own {@link SeededSampler}, beats drawing them one by one here: below {@link #NATIVE_UNIFORM_MIN}
     * elements this sampler fills in Java too, and one array's fill is too short to keep all cores busy.
     */
    public static boolean fillsInParallel(long length) {
        return length < NATIVE_UNIFORM_MIN;
    }

    /** The sampler drawing from the calling thread's ND4J generator. */
    public static Nd4jSampler get() {
        return INSTANCE;
    }

    private static Random rng() {
        return Nd4j.getRandom();
    }

    @Override
    public void uniform(INDArray target, double from, double to) {
        FastSamplers.checkUniform(target, from, to);
        long n = target.length();
        if (n == 0) {
            return;
        }
        INDArray ordered = DenseViews.memoryOrdered(target);
        if (target.dataType() == DataType.DOUBLE && n < Integer.MAX_VALUE) {
            // ND4J's native op fills DOUBLE arrays with float-resolution uniforms (multiples of 2^-24
            // of the span): 53-bit values from Java instead, as SeededSampler draws them.
            double[] values = new double[(int) n];
            ParallelUniform.fill(values, rng().nextLong(), from, to, true);
            DenseViews.write(ordered, values);
            return;
        }
        if (DenseViews.hostMemory() && target.dataType() == DataType.FLOAT && n < NATIVE_UNIFORM_MIN
                && DenseViews.isCContiguous(ordered)) {
            ParallelUniform.fill(ordered, rng().nextLong(), from, to, true);
            return;
        }
        Nd4j.getExecutioner().exec(new UniformDistribution(target, from, to), rng());
    }

    @Override
    public void normal(INDArray target, double mean, double std) {
        FastSamplers.checkNormal(target, mean, std);
        long n = target.length();
        if (n == 0) {
            return;
        }
        if (n <= Integer.MAX_VALUE && (target.dataType() == DataType.FLOAT || target.dataType() == DataType.DOUBLE)) {
            ZigguratNormal.write(DenseViews.memoryOrdered(target), target.dataType() == DataType.DOUBLE, (int) n,
                    rng().nextLong(), mean, std, true);
            return;
        }
        Nd4j.getExecutioner().exec(new GaussianDistribution(target, mean, std), rng());
    }

    @Override
    public int[] permutation(int n) {
        return FastSamplers.shuffled(n, () -> rng()::nextInt);
    }
}
