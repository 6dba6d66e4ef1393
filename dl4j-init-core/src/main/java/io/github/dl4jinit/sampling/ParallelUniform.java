package io.github.dl4jinit.sampling;

import org.nd4j.linalg.api.ndarray.INDArray;

import java.nio.FloatBuffer;
import java.util.stream.IntStream;

/**
 * U[from, to) for a C-contiguous float array on all cores, written straight into its memory.
 *
 * <p>Values are {@code fma(u, to − from, from)} with 24-bit uniforms u, and a value that rounds up to
 * {@code to} becomes {@code from}, as in PyTorch's kernel (but not PyTorch's bits: those come from
 * {@link TorchGenerator}). Block b of {@value #BLOCK} elements draws from its own SplitMix64 stream
 * (the generator of {@link java.util.SplittableRandom}: output k is {@code mix64(seed_b + (k+1)·γ)}),
 * two uniforms per 64-bit output (bits 40–63 and 8–31), so the result depends on the seed alone, not on
 * the number of cores. The outputs are computed from the counter k directly rather than through a
 * {@code SplittableRandom} object, so that successive elements do not wait on each other.
 */
final class ParallelUniform {
    static final int BLOCK = 1 << 15;
    /** SplitMix64's increment, the golden ratio in 64 bits (as {@code SplittableRandom}'s default γ). */
    private static final long GAMMA = 0x9E3779B97F4A7C15L;
    private static final float TWO_POW_MINUS_24 = 0x1.0p-24f;

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
            long seed = mix64(base + GAMMA * b);
            int lo = b * BLOCK;
            int len = (int) Math.min(BLOCK, n - lo);
            float[] v = new float[len + 1];
            for (int k = 0; 2 * k < len; k++) {
                long z = mix64(seed + (k + 1) * GAMMA);
                v[2 * k] = scaled((int) (z >>> 40), span, f, t);
                v[2 * k + 1] = scaled((int) (z >>> 8) & 0xFFFFFF, span, f, t);
            }
            FloatBuffer dup = buffer.duplicate();
            dup.position(start + lo);
            dup.put(v, 0, len);
        });
    }

    /** {@code fma(bits·2⁻²⁴, span, from)}, with {@code to} (reached by rounding) mapped to {@code from}. */
    private static float scaled(int bits24, float span, float from, float to) {
        float y = Math.fma(bits24 * TWO_POW_MINUS_24, span, from);
        return y == to ? from : y;
    }

    /** SplitMix64's output function (Stafford's variant 13), as in {@code SplittableRandom}. */
    private static long mix64(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
