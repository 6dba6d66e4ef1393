package io.github.dl4jinit.sampling;

import io.github.dl4jinit.internal.Args;
import io.github.dl4jinit.internal.DenseViews;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.SplittableRandom;

/**
 * A fast source with its own seed, drawing in Java only: it touches no ND4J generator, so
 * instances may fill different arrays on different threads at once and the values still depend on
 * their seeds alone. {@code NetworkInitializer}'s fast mode gives each parameter one, seeded in turn
 * from ND4J's generator, and fills the parameters in parallel.
 *
 * <p>Each call takes the next seed of a SplitMix64 sequence started at the given seed. Uniforms come
 * from {@code ParallelUniform} (24-bit floats, 53-bit doubles), normals from the Ziggurat sampler
 * {@code ZigguratNormal}, as in {@link FastSampler}. Half-precision targets are drawn as floats and
 * rounded. The values are not PyTorch's: for those use {@link TorchGenerator}.
 */
public final class SeededSampler implements Sampler {
    private final boolean parallel;
    private long state;

    private SeededSampler(long seed, boolean parallel) {
        this.state = seed;
        this.parallel = parallel;
    }

    /** A sampler whose draws are fixed by {@code seed}, filling each array on all cores. */
    public static SeededSampler allCores(long seed) {
        return new SeededSampler(seed, true);
    }

    /**
     * A sampler whose draws are fixed by {@code seed}, filling each array on the calling thread: for
     * callers that fill several arrays at once on different threads. Its values are those of
     * {@link #allCores(long)} with the same seed.
     */
    public static SeededSampler onCallingThread(long seed) {
        return new SeededSampler(seed, false);
    }

    private long nextSeed() {
        state += ParallelUniform.GAMMA;
        return ParallelUniform.mix64(state);
    }

    @Override
    public void uniform(INDArray target, double from, double to) {
        DataType type = SamplerArgs.fastUniform(target, from, to);
        int n = length(target);
        if (n == 0) {
            return;
        }
        long seed = nextSeed();
        INDArray ordered = DenseViews.memoryOrdered(target);
        if (type == DataType.DOUBLE) {
            double[] values = new double[n];
            ParallelUniform.fill(values, seed, from, to, parallel);
            DenseViews.write(ordered, values);
        } else if (type == DataType.FLOAT && DenseViews.hostMemory() && DenseViews.isCContiguous(ordered)) {
            ParallelUniform.fill(ordered, seed, from, to, parallel);
        } else {
            float[] values = new float[n];
            ParallelUniform.fill(values, seed, from, to, parallel);
            DenseViews.write(ordered, values);
        }
    }

    @Override
    public void normal(INDArray target, double mean, double std) {
        DataType type = SamplerArgs.fastNormal(target, mean, std);
        int n = length(target);
        if (n == 0) {
            return;
        }
        ZigguratNormal.write(DenseViews.memoryOrdered(target), type == DataType.DOUBLE, n, nextSeed(), mean, std, parallel);
    }

    /** Draws value by value: the same distribution as PyTorch's whole-tensor redraws, with less work. */
    @Override
    public boolean normalWithin(INDArray target, double mean, double std, double lo, double hi) {
        return ZigguratNormal.normalWithin(target, this::nextSeed, mean, std, lo, hi, parallel);
    }

    @Override
    public int[] permutation(int n) {
        return FisherYates.shuffled(n, () -> new SplittableRandom(nextSeed())::nextInt);
    }

    private static int length(INDArray target) {
        long n = target.length();
        if (n > Integer.MAX_VALUE - 1) {
            throw Args.invalid("target.length()", n, "at most " + (Integer.MAX_VALUE - 1) + " elements");
        }
        return (int) n;
    }
}
