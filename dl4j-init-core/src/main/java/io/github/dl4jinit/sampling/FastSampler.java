package io.github.dl4jinit.sampling;

import io.github.dl4jinit.internal.Args;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.nio.FloatBuffer;
import java.util.SplittableRandom;
import java.util.stream.IntStream;

/**
 * A fast source for whole networks: uniforms of dense float arrays are drawn in Java on all cores,
 * straight into the array's memory; everything else goes to {@link Nd4jSampler}. Seeded from ND4J's
 * generator, so results follow DL4J's {@code .seed(...)} and do not depend on the number of cores
 * (each block of {@value #BLOCK} elements has its own {@link SplittableRandom} stream).
 *
 * <p>Why: ND4J's native uniform op costs about 15 ms for a 3x3x128x128 convolution weight on a
 * 2-core machine (10 M values/s), while a Java fill runs at hundreds of millions per second. The
 * values are U[from, to) in float with 24 random bits, {@code v = from + u·(to − from)}, and a value
 * rounding up to {@code to} becomes {@code from}, as PyTorch does; they are not PyTorch's bits (for
 * those use {@link TorchGenerator}).
 */
public final class FastSampler implements Sampler {
    static final int BLOCK = 1 << 15;
    private static final boolean CPU_BACKEND =
            Nd4j.getBackend().getClass().getName().toLowerCase().contains("cpu");

    private final SplittableRandom root;

    /** A sampler whose stream is fixed by {@code seed}. */
    public FastSampler(long seed) {
        this.root = new SplittableRandom(seed);
    }

    /** A sampler seeded from the calling thread's ND4J generator (so it follows DL4J's seed). */
    public static FastSampler fromNd4j() {
        return new FastSampler(Nd4j.getRandom().nextLong());
    }

    @Override
    public void uniform(INDArray target, double from, double to) {
        TorchGenerator.floatingType(target);
        Args.finite("from", from);
        Args.finite("to", to);
        if (from > to) {
            throw Args.invalid("from", from, "from <= to = " + to);
        }
        long n = target.length();
        if (n == 0) {
            return;
        }
        INDArray ordered = DenseViews.memoryOrdered(target);
        if (!CPU_BACKEND || target.dataType() != DataType.FLOAT || !DenseViews.isCContiguous(ordered)
                || n > Integer.MAX_VALUE) {
            Nd4jSampler.get().uniform(target, from, to);
            return;
        }
        float f = (float) from;
        float t = (float) to;
        float span = t - f;
        long base = root.nextLong();
        FloatBuffer buffer = ordered.data().asNioFloat();
        int start = buffer.position();
        int blocks = (int) ((n + BLOCK - 1) / BLOCK);
        IntStream range = IntStream.range(0, blocks);
        (blocks > 1 ? range.parallel() : range).forEach(b -> {
            SplittableRandom r = new SplittableRandom(base + 0x9E3779B97F4A7C15L * b);
            int lo = b * BLOCK;
            int len = (int) Math.min(BLOCK, n - lo);
            float[] v = new float[len];
            for (int i = 0; i < len; i++) {
                float x = (r.nextInt() & 0xFFFFFF) * 0x1.0p-24f;
                float y = Math.fma(x, span, f);
                v[i] = y == t ? f : y;
            }
            FloatBuffer dup = buffer.duplicate();
            dup.position(start + lo);
            dup.put(v, 0, len);
        });
    }

    @Override
    public void normal(INDArray target, double mean, double std) {
        Nd4jSampler.get().normal(target, mean, std);
    }

    @Override
    public int[] permutation(int n) {
        return Nd4jSampler.get().permutation(n);
    }
}
