package io.github.dl4jinit.sampling;

import io.github.dl4jinit.internal.DenseViews;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.random.impl.GaussianDistribution;
import org.nd4j.linalg.api.ops.random.impl.UniformDistribution;
import org.nd4j.linalg.api.rng.Random;
import org.nd4j.linalg.factory.Nd4j;

import java.util.ArrayList;
import java.util.List;

/**
 * The fast source: seeded from ND4J's generator of the calling thread ({@code Nd4j.getRandom()}), so
 * results follow DL4J's {@code .seed(...)} (a network's {@code init()} re-seeds that generator).
 * PyTorch's distributions, not its values: for those use {@link TorchGenerator}.
 *
 * <p>Each call takes one seed from the ND4J generator and draws from it:
 * <ul>
 *   <li>uniforms of dense float arrays below {@link #NATIVE_UNIFORM_MIN} elements in Java on all
 *       cores straight into the array's memory ({@code ParallelUniform}; ND4J's native op has a fixed
 *       cost per call that dominates small arrays), larger ones with ND4J's native op, which is faster
 *       there;</li>
 *   <li>uniforms of double arrays in Java with 53 bits (ND4J's op gives them float resolution);</li>
 *   <li>normals of float and double arrays from a Ziggurat sampler on all cores (ND4J's own Gaussian
 *       op is several times slower);</li>
 *   <li>other types and layouts with ND4J's native ops.</li>
 * </ul>
 * The Java fills cut the array into fixed blocks with their own streams, so the values depend on the
 * seed, never on the number of cores.
 */
public final class FastSampler implements Sampler {
    private static final FastSampler INSTANCE = new FastSampler();
    /**
     * From this many elements on, uniforms come from ND4J's native op (faster for large arrays; below
     * it the op's fixed cost dominates). The best switch point depends on the machine: the system
     * property {@code dl4jinit.nativeUniformMinElements} overrides the default of 2^20.
     */
    static final long NATIVE_UNIFORM_MIN = Long.getLong("dl4jinit.nativeUniformMinElements", 1L << 20);

    private FastSampler() {
    }

    /** One array to fill, for {@link #drawAll}. */
    public interface Draw {
        /** The number of values the draw fills. */
        long length();

        /** Fills the array from {@code sampler}. */
        void fill(Sampler sampler);
    }

    /**
     * Fills several arrays as fast as the machine allows, with values that depend on ND4J's seed
     * alone, never on the number of cores or on which thread drew them: in order, each array of
     * {@link #NATIVE_UNIFORM_MIN} values or more is drawn by this sampler (whose fills use all cores
     * already), and each smaller one gets a {@link SeededSampler} seeded in turn from ND4J's
     * generator; the small ones are then drawn at once on all cores (a ResNet has dozens of small
     * tensors, each too small for its own fill to keep the cores busy).
     */
    public void drawAll(List<? extends Draw> draws) {
        List<Runnable> small = new ArrayList<>();
        for (Draw d : draws) {
            if (d.length() < NATIVE_UNIFORM_MIN) {
                SeededSampler sampler = SeededSampler.onCallingThread(rng().nextLong());
                small.add(() -> d.fill(sampler));
            } else {
                d.fill(this);
            }
        }
        small.parallelStream().forEach(Runnable::run);
    }

    /** The sampler drawing from the calling thread's ND4J generator. */
    public static FastSampler get() {
        return INSTANCE;
    }

    private static Random rng() {
        return Nd4j.getRandom();
    }

    @Override
    public void uniform(INDArray target, double from, double to) {
        SamplerArgs.fastUniform(target, from, to);
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
        SamplerArgs.fastNormal(target, mean, std);
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

    /** Draws value by value: the same distribution as PyTorch's whole-tensor redraws, with less work. */
    @Override
    public boolean normalWithin(INDArray target, double mean, double std, double lo, double hi) {
        return ZigguratNormal.normalWithin(target, () -> rng().nextLong(), mean, std, lo, hi, true);
    }

    @Override
    public int[] permutation(int n) {
        return FisherYates.shuffled(n, () -> rng()::nextInt);
    }
}
