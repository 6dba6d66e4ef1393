package io.github.dl4jinit.sampling;

import org.nd4j.linalg.api.ndarray.INDArray;

import java.nio.FloatBuffer;
import java.util.SplittableRandom;
import java.util.stream.IntStream;

/**
 * U[from, to) for a C-contiguous float array on all cores, written straight into its memory.
 *
 * <p>Values are {@code fma(u, to − from, from)} with 24-bit uniforms u, and a value that rounds up to
 * {@code to} becomes {@code from}, as in PyTorch's kernel (but not PyTorch's bits: those come from
 * {@link TorchGenerator}). Block b of {@value #BLOCK} elements draws from its own
 * {@link SplittableRandom}, so the result depends on the seed alone, not on the number of cores.
 */
final class ParallelUniform {
    static final int BLOCK = 1 << 15;

    private ParallelUniform() {
    }

    static void fill(INDArray ordered, long base, double from, double to) {
        long n = ordered.length();
        float f = (float) from;
        float t = (float) to;
        float span = t - f;
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
}
