package io.github.dl4jinit.sampling;

import org.nd4j.linalg.api.buffer.DataType;

import java.nio.FloatBuffer;

/**
 * PyTorch's CPU distribution kernels ({@code DistributionTemplates.h}, torch 2.13/2.14, AVX2) on a
 * {@link Mt19937} stream: what the generator's outputs become, bit for bit. The float
 * {@code normal_} of 16 or more elements is {@link NormalPipeline}'s; the scalar normal, whose cache
 * is generator state, is {@link TorchGenerator}'s.
 */
final class TorchKernels {
    private TorchKernels() {
    }

    /** Float {@code uniform_}: {@code fma(float24, to − from, from)}, a value equal to {@code to} becoming {@code from}. */
    static void uniform(Mt19937 mt, float[] out, double from, double to) {
        mt.uniformFloats(FloatBuffer.wrap(out), out.length, (float) from, (float) to);
    }

    /** Double {@code uniform_}: {@code fma(double53, to − from, from)}, with the same clamp. */
    static void uniform(Mt19937 mt, double[] out, double from, double to) {
        double span = to - from;
        for (int i = 0; i < out.length; i++) {
            double v = Math.fma(mt.nextDouble53(), span, from);
            out[i] = v == to ? from : v;
        }
    }

    /**
     * Double {@code normal_} of {@code n >= 16} contiguous elements: all uniforms, then Box–Muller per
     * block of 16 with libm's {@code log}, {@code sin}, {@code cos} ({@code Math}'s here, equal in all
     * but a few last bits); a trailing partial block redraws 16 uniforms for the last 16 elements.
     */
    static void normalBlocks(Mt19937 mt, double[] out, double mean, double std) {
        int n = out.length;
        for (int i = 0; i < n; i++) {
            out[i] = mt.nextDouble53();
        }
        for (int b = 0; b + 16 <= n; b += 16) {
            fill16(out, b, mean, std);
        }
        if (n % 16 != 0) {
            for (int i = n - 16; i < n; i++) {
                out[i] = mt.nextDouble53();
            }
            fill16(out, n - 16, mean, std);
        }
    }

    private static void fill16(double[] d, int o, double mean, double std) {
        for (int j = 0; j < 8; j++) {
            double u1 = 1 - d[o + j];
            double u2 = d[o + j + 8];
            double radius = Math.sqrt(Math.log(u1) * -2.0);
            double theta = (2.0 * Math.PI) * u2;
            d[o + j] = Math.fma(radius * Math.cos(theta), std, mean);
            d[o + j + 8] = Math.fma(radius * Math.sin(theta), std, mean);
        }
    }

    /** One output of {@link #fill16}, from the uniforms at lanes j and j + 8. */
    private static double normalValue(double low, double high, boolean sine, double mean, double std) {
        double radius = Math.sqrt(Math.log(1 - low) * -2.0);
        double theta = (2.0 * Math.PI) * high;
        return Math.fma(radius * (sine ? Math.sin(theta) : Math.cos(theta)), std, mean);
    }

    // ------------------------------------------------------------------ trunc_normal_'s redraws

    /** True where a redraw can skip outputs: float or double, and the outputs' count fits an int array. */
    static boolean skips(DataType type, long uniforms) {
        int perUniform = type == DataType.DOUBLE ? 2 : 1;
        return (type == DataType.FLOAT || type == DataType.DOUBLE) && uniforms * perUniform <= Integer.MAX_VALUE - 64;
    }

    /**
     * The values at {@code positions} of a dense {@code normal_} of {@code n >= 16} elements of this
     * type (float or double, {@link #skips}), advancing the stream as the whole fill does.
     */
    static double[] normalAt(Mt19937 mt, DataType type, int n, int[] positions, double mean, double std) {
        int perUniform = type == DataType.DOUBLE ? 2 : 1;
        // n uniforms, then, unless n is a multiple of 16, 16 more for the last 16 elements
        int uniforms = n % 16 == 0 ? n : n + 16;
        long[] wanted = new long[(uniforms * perUniform + 63) >>> 6];
        for (int pos : positions) {
            int low = lowUniform(pos, n);
            want(wanted, low, perUniform);
            want(wanted, low + 8, perUniform);
        }
        int[] raw = mt.advance(uniforms * perUniform, wanted);
        double[] out = new double[positions.length];
        for (int k = 0; k < positions.length; k++) {
            int pos = positions[k];
            int low = lowUniform(pos, n);
            boolean sine = lane(pos, n) >= 8;
            if (perUniform == 2) {
                out[k] = normalValue(double53(raw, low), double53(raw, low + 8), sine, mean, std);
            } else {
                out[k] = BoxMullerAvx2.value(float24(raw, low), float24(raw, low + 8), sine, (float) mean, (float) std);
            }
        }
        return out;
    }

    /**
     * The values at {@code positions} of a {@code uniform_} of {@code n} elements of this type (float
     * or double, {@link #skips}), advancing the stream as the whole fill does.
     */
    static double[] uniformAt(Mt19937 mt, DataType type, int n, int[] positions, double from, double to) {
        int perUniform = type == DataType.DOUBLE ? 2 : 1;
        long[] wanted = new long[(int) (((long) n * perUniform + 63) >>> 6)];
        for (int pos : positions) {
            want(wanted, pos, perUniform);
        }
        int[] raw = mt.advance(n * perUniform, wanted);
        double[] out = new double[positions.length];
        float f = (float) from;
        float t = (float) to;
        for (int k = 0; k < positions.length; k++) {
            if (perUniform == 2) {
                double v = Math.fma(double53(raw, positions[k]), to - from, from);
                out[k] = v == to ? from : v;
            } else {
                float v = Math.fma(float24(raw, positions[k]), t - f, f);
                out[k] = v == t ? f : v;
            }
        }
        return out;
    }

    /** The lane (0..15) of element {@code pos} in the block of 16 uniforms that gives its normal. */
    private static int lane(int pos, int n) {
        return n % 16 != 0 && pos >= n - 16 ? pos - (n - 16) : pos & 15;
    }

    /** The index of the lower uniform (lane j &lt; 8 of its block) that gives element {@code pos}'s normal. */
    private static int lowUniform(int pos, int n) {
        // the last 16 elements of a tensor whose size is not a multiple of 16 come from the 16 uniforms after the n-th
        int blockStart = n % 16 != 0 && pos >= n - 16 ? n : pos & ~15;
        return blockStart + (lane(pos, n) & 7);
    }

    private static void want(long[] wanted, int uniform, int perUniform) {
        for (int o = uniform * perUniform, end = o + perUniform; o < end; o++) {
            wanted[o >>> 6] |= 1L << o;
        }
    }

    private static float float24(int[] raw, int uniform) {
        return (raw[uniform] & 0xFFFFFF) * 0x1.0p-24f;
    }

    private static double double53(int[] raw, int uniform) {
        long r64 = ((raw[2 * uniform] & 0xffffffffL) << 32) | (raw[2 * uniform + 1] & 0xffffffffL);
        return (r64 & 0x1FFFFFFFFFFFFFL) * 0x1.0p-53;
    }
}
