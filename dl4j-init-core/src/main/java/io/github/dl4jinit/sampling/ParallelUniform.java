package io.github.dl4jinit.sampling;

import org.nd4j.linalg.api.ndarray.INDArray;

import java.nio.FloatBuffer;
import java.util.stream.IntStream;

/**
 * U[from, to) on all cores or on the calling thread, for a C-contiguous float array (written straight
 * into its memory) or a Java array.
 *
 * <p>Values are {@code fma(u, to − from, from)} with 24-bit uniforms u for floats and 53-bit ones for
 * doubles, and a value that rounds up to {@code to} becomes {@code from}, as in PyTorch's kernel (but
 * not PyTorch's bits: those come from {@link TorchGenerator}). Block b of {@value #BLOCK} elements
 * draws from its own SplitMix64 stream (the generator of {@link java.util.SplittableRandom}: output k
 * is {@code mix64(seed_b + (k+1)·γ)}), two float uniforms (bits 40–63 and 8–31) or one double uniform
 * (bits 11–63) per 64-bit output, so the result depends on the seed alone, not on the number of cores.
 * The outputs are computed from the counter k directly rather than through a
 * {@code SplittableRandom} object, so that successive elements do not wait on each other.
 */
final class ParallelUniform {
    static final int BLOCK = 1 << 15;
    /** SplitMix64's increment, the golden ratio in 64 bits (as {@code SplittableRandom}'s default γ). */
    static final long GAMMA = 0x9E3779B97F4A7C15L;
    private static final float TWO_POW_MINUS_24 = 0x1.0p-24f;
    private static final double TWO_POW_MINUS_53 = 0x1.0p-53;
    /** One block's values per thread, reused: fresh arrays cost more (allocation, zeroing, GC) than the draws. */
    private static final ThreadLocal<float[]> SCRATCH = ThreadLocal.withInitial(() -> new float[BLOCK]);

    private ParallelUniform() {
    }

    /** Fills a C-contiguous float array on the CPU backend in place. */
    static void fill(INDArray ordered, long base, double from, double to, boolean parallel) {
        long n = ordered.length();
        FloatBuffer buffer = ordered.data().asNioFloat();
        int start = buffer.position();
        blocks(n, parallel).forEach(b -> {
            int lo = b * BLOCK;
            int len = (int) Math.min(BLOCK, n - lo);
            float[] v = SCRATCH.get();
            block(v, 0, len, blockSeed(base, b), (float) from, (float) to);
            FloatBuffer dup = buffer.duplicate();
            dup.position(start + lo);
            dup.put(v, 0, len);
        });
    }

    static void fill(float[] out, long base, double from, double to, boolean parallel) {
        blocks(out.length, parallel).forEach(b -> {
            int lo = b * BLOCK;
            block(out, lo, Math.min(BLOCK, out.length - lo), blockSeed(base, b), (float) from, (float) to);
        });
    }

    static void fill(double[] out, long base, double from, double to, boolean parallel) {
        double span = to - from;
        blocks(out.length, parallel).forEach(b -> {
            long seed = blockSeed(base, b);
            int lo = b * BLOCK;
            int len = Math.min(BLOCK, out.length - lo);
            for (int k = 0; k < len; k++) {
                double y = (mix64(seed + (k + 1) * GAMMA) >>> 11) * TWO_POW_MINUS_53 * span + from;
                out[lo + k] = y == to ? from : y;
            }
        });
    }

    /** The block indices, on all cores if {@code parallel} (the values are the same either way). */
    private static IntStream blocks(long n, boolean parallel) {
        int blocks = (int) ((n + BLOCK - 1) / BLOCK);
        IntStream range = IntStream.range(0, blocks);
        return parallel && blocks > 1 ? range.parallel() : range;
    }

    private static long blockSeed(long base, int b) {
        return mix64(base + GAMMA * b);
    }

    /** Writes {@code len} values of the block's stream to {@code v[off..off+len)}. */
    private static void block(float[] v, int off, int len, long seed, float f, float t) {
        float span = t - f;
        int pairs = len >> 1;
        long first = seed + GAMMA;
        if (f == -t) {
            // Symmetric bounds (every fan-based scheme): with u ≤ 1 − 2⁻²⁴ the exact value of
            // fma(u, 2b, −b) = 2bu − b is at most b − b·2⁻²³, and b·2⁻²³ is at least one ulp of b, so
            // its one rounding never reaches b: the check for `to` can go (same values as below).
            for (int k = 0; k < pairs; k++) {
                long z = mix64(first + k * GAMMA);
                int i = off + 2 * k;
                v[i] = Math.fma((int) (z >>> 40) * TWO_POW_MINUS_24, span, f);
                v[i + 1] = Math.fma(((int) (z >>> 8) & 0xFFFFFF) * TWO_POW_MINUS_24, span, f);
            }
        } else {
            for (int k = 0; k < pairs; k++) {
                long z = mix64(first + k * GAMMA);
                int i = off + 2 * k;
                v[i] = scaled((int) (z >>> 40), span, f, t);
                v[i + 1] = scaled((int) (z >>> 8) & 0xFFFFFF, span, f, t);
            }
        }
        if ((len & 1) != 0) {
            v[off + len - 1] = scaled((int) (mix64(first + pairs * GAMMA) >>> 40), span, f, t);
        }
    }

    /** {@code fma(bits·2⁻²⁴, span, from)}, with {@code to} (reached by rounding) mapped to {@code from}. */
    private static float scaled(int bits24, float span, float from, float to) {
        float y = Math.fma(bits24 * TWO_POW_MINUS_24, span, from);
        return y == to ? from : y;
    }

    /** SplitMix64's output function (Stafford's variant 13), as in {@code SplittableRandom}. */
    static long mix64(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
