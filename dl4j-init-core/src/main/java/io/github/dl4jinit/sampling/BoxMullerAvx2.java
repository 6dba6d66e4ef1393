package io.github.dl4jinit.sampling;

/**
 * PyTorch's float Box–Muller block transform, {@code NormalFill16<float>} of the AVX2 CPU kernel,
 * reproduced bit for bit: the Cephes {@code log256_ps}/{@code sincos256_ps} polynomials of
 * {@code avx_mathfun.h} with exactly the fused multiply-adds GCC emitted in libtorch 2.13/2.14.
 *
 * <p>Per block of 16 uniforms {@code d}: for j &lt; 8, {@code u1 = 1 − d[j]}, {@code u2 = d[j+8]},
 * {@code r = √(−2·log u1)}, {@code θ = 2π·u2}, {@code d[j] = fma(r·cos θ, std, mean)},
 * {@code d[j+8] = fma(r·sin θ, std, mean)}. No libm is involved, so the result is portable.
 */
final class BoxMullerAvx2 {
    private static final float[] LOG_P = {7.0376836292E-2f, -1.1514610310E-1f, 1.1676998740E-1f,
        -1.2420140846E-1f, 1.4249322787E-1f, -1.6668057665E-1f, 2.0000714765E-1f, -2.4999993993E-1f,
        3.3333331174E-1f};
    private static final float LOG_Q1 = -2.12194440e-4f;
    private static final float LOG_Q2 = 0.693359375f;
    private static final float SQRT_HALF = 0.707106781186547524f;
    private static final float TWO_PI = (float) (2.0 * Math.PI);
    private static final float FOUR_OVER_PI = 1.27323954473516f;
    private static final float DP1 = -0.78515625f;
    private static final float DP2 = -2.4187564849853515625e-4f;
    private static final float DP3 = -3.77489497744594108e-8f;
    private static final float COS_C0 = 2.443315711809948E-005f;
    private static final float COS_C1 = -1.388731625493765E-003f;
    private static final float COS_C2 = 4.166664568298827E-002f;
    private static final float SIN_C0 = -1.9515295891E-4f;
    private static final float SIN_C1 = 8.3321608736E-3f;
    private static final float SIN_C2 = -1.6666654611E-1f;

    private BoxMullerAvx2() {
    }

    /** Transforms the 16 uniforms at {@code d[offset..offset+15]} into normals, in place. */
    static void fill16(float[] d, int offset, float mean, float std) {
        for (int j = 0; j < 8; j++) {
            float u1 = 1.0f - d[offset + j];
            float u2 = d[offset + j + 8];
            float radius = (float) Math.sqrt(log(u1) * -2.0f);
            float theta = TWO_PI * u2;
            long sc = sinCos(theta);
            float sin = Float.intBitsToFloat((int) (sc >>> 32));
            float cos = Float.intBitsToFloat((int) sc);
            d[offset + j] = Math.fma(radius * cos, std, mean);
            d[offset + j + 8] = Math.fma(radius * sin, std, mean);
        }
    }

    /**
     * {@link #fill16} on blocks {@code [fromBlock, toBlock)}, the eight lanes of a block computed
     * stage by stage (as the AVX2 kernel does) so the CPU overlaps their long dependency chains.
     * Every operation and rounding is that of {@link #fill16}: the bits are the same.
     */
    static void fillBlocks(float[] d, int fromBlock, int toBlock, float mean, float std) {
        float[] x = new float[8];
        float[] e = new float[8];
        float[] y = new float[8];
        float[] z = new float[8];
        float[] r = new float[8];
        float[] yc = new float[8];
        float[] ys = new float[8];
        int[] signSin = new int[8];
        int[] signCos = new int[8];
        boolean[] poly = new boolean[8];
        for (int b = fromBlock; b < toBlock; b++) {
            int o = b * 16;
            for (int j = 0; j < 8; j++) {
                float in = Math.max(1.0f - d[o + j], Float.MIN_NORMAL);
                int bits = Float.floatToRawIntBits(in);
                float ej = (float) ((bits >>> 23) - 0x7f);
                float xj = Float.intBitsToFloat((bits & ~0x7f800000) | 0x3f000000);
                ej = ej + 1.0f;
                boolean below = xj < SQRT_HALF;
                float tmp = below ? xj : 0.0f;
                if (below) {
                    ej = ej - 1.0f;
                }
                xj = xj + -1.0f;
                xj = xj + tmp;
                x[j] = xj;
                e[j] = ej;
                z[j] = xj * xj;
                y[j] = LOG_P[0];
            }
            for (int k = 1; k < LOG_P.length; k++) {
                float p = LOG_P[k];
                for (int j = 0; j < 8; j++) {
                    y[j] = Math.fma(y[j], x[j], p);
                }
            }
            for (int j = 0; j < 8; j++) {
                float eq1 = e[j] * LOG_Q1;
                float yj = y[j] * x[j];
                yj = Math.fma(yj, z[j], eq1);
                yj = Math.fma(-z[j], 0.5f, yj);
                float lg = Math.fma(e[j], LOG_Q2, x[j] + yj);
                r[j] = (float) Math.sqrt(lg * -2.0f);
            }
            for (int j = 0; j < 8; j++) {
                int inBits = Float.floatToRawIntBits(TWO_PI * d[o + j + 8]);
                int ss = inBits & 0x80000000;
                float xj = Float.intBitsToFloat(inBits & 0x7fffffff);
                int q = (int) (xj * FOUR_OVER_PI);
                q = (q + 1) & ~1;
                float yq = (float) q;
                poly[j] = (q & 2) == 0;
                signSin[j] = ss ^ ((q & 4) << 29);
                xj = Math.fma(yq, DP1, xj);
                xj = Math.fma(yq, DP2, xj);
                xj = Math.fma(yq, DP3, xj);
                signCos[j] = (~(q - 2) & 4) << 29;
                x[j] = xj;
                z[j] = xj * xj;
            }
            for (int j = 0; j < 8; j++) {
                float zj = z[j];
                float c = Math.fma(COS_C0, zj, COS_C1);
                c = Math.fma(c, zj, COS_C2);
                c = c * zj;
                c = Math.fma(c, zj, -(zj * 0.5f));
                yc[j] = c + 1.0f;
                float sn = Math.fma(SIN_C0, zj, SIN_C1);
                sn = Math.fma(sn, zj, SIN_C2);
                sn = sn * zj;
                ys[j] = Math.fma(sn, x[j], x[j]);
            }
            for (int j = 0; j < 8; j++) {
                float ysin2 = poly[j] ? ys[j] : 0.0f;
                float ysin1 = poly[j] ? 0.0f : yc[j];
                float sn = ys[j] - ysin2;
                float c = yc[j] - ysin1;
                float sin = Float.intBitsToFloat(Float.floatToRawIntBits(ysin1 + ysin2) ^ signSin[j]);
                float cos = Float.intBitsToFloat(Float.floatToRawIntBits(c + sn) ^ signCos[j]);
                d[o + j] = Math.fma(r[j] * cos, std, mean);
                d[o + j + 8] = Math.fma(r[j] * sin, std, mean);
            }
        }
    }

    /** {@code log256_ps} for one lane. Inputs are in (0, 1]; a non-positive input gives NaN. */
    static float log(float in) {
        if (!(in > 0)) {
            return Float.NaN;
        }
        float x = Math.max(in, Float.MIN_NORMAL);
        int bits = Float.floatToRawIntBits(x);
        float e = (float) ((bits >>> 23) - 0x7f);
        x = Float.intBitsToFloat((bits & ~0x7f800000) | 0x3f000000);
        e = e + 1.0f;
        boolean below = x < SQRT_HALF;
        float tmp = below ? x : 0.0f;
        if (below) {
            e = e - 1.0f;
        }
        x = x + -1.0f;
        x = x + tmp;
        float z = x * x;
        float y = LOG_P[0];
        for (int k = 1; k < LOG_P.length; k++) {
            y = Math.fma(y, x, LOG_P[k]);
        }
        float eq1 = e * LOG_Q1;
        y = y * x;
        y = Math.fma(y, z, eq1);
        y = Math.fma(-z, 0.5f, y);
        x = x + y;
        return Math.fma(e, LOG_Q2, x);
    }

    /** {@code sincos256_ps} for one lane: sine bits in the high word, cosine bits in the low word. */
    static long sinCos(float in) {
        int inBits = Float.floatToRawIntBits(in);
        int signSin = inBits & 0x80000000;
        float x = Float.intBitsToFloat(inBits & 0x7fffffff);
        int j = (int) (x * FOUR_OVER_PI);
        j = (j + 1) & ~1;
        float y = (float) j;
        int swapSignSin = (j & 4) << 29;
        boolean polyMask = (j & 2) == 0;
        signSin ^= swapSignSin;
        x = Math.fma(y, DP1, x);
        x = Math.fma(y, DP2, x);
        x = Math.fma(y, DP3, x);
        int signCos = (~(j - 2) & 4) << 29;
        float z = x * x;
        float halfZ = z * 0.5f;
        float yc = Math.fma(COS_C0, z, COS_C1);
        yc = Math.fma(yc, z, COS_C2);
        yc = yc * z;
        yc = Math.fma(yc, z, -halfZ);
        yc = yc + 1.0f;
        float ys = Math.fma(SIN_C0, z, SIN_C1);
        ys = Math.fma(ys, z, SIN_C2);
        ys = ys * z;
        ys = Math.fma(ys, x, x);
        float ysin2 = polyMask ? ys : 0.0f;
        float ysin1 = polyMask ? 0.0f : yc;
        ys = ys - ysin2;
        yc = yc - ysin1;
        int sin = Float.floatToRawIntBits(ysin1 + ysin2) ^ signSin;
        int cos = Float.floatToRawIntBits(yc + ys) ^ signCos;
        return ((long) sin << 32) | (cos & 0xffffffffL);
    }
}
