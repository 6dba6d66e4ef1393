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
     * One output of {@link #fill16}: the value at lane j (cosine, {@code sine} false) or at lane j + 8
     * (sine) of a block whose uniforms at j and j + 8 are {@code low} and {@code high}.
     */
    static float value(float low, float high, boolean sine, float mean, float std) {
        float radius = (float) Math.sqrt(log(1.0f - low) * -2.0f);
        long sc = sinCos(TWO_PI * high);
        float trig = Float.intBitsToFloat(sine ? (int) (sc >>> 32) : (int) sc);
        return Math.fma(radius * trig, std, mean);
    }

    /** Lanes per batch of {@link #fillBlocks}: 32 blocks of 8 lanes, scratch that stays in L1. */
    private static final int BATCH_BLOCKS = 32;
    private static final int BATCH = BATCH_BLOCKS * 8;
    private static final int SQRT_HALF_BITS = Float.floatToRawIntBits(SQRT_HALF);
    private static final int MIN_NORMAL_BITS = Float.floatToRawIntBits(Float.MIN_NORMAL);

    /**
     * {@link #fill16} on blocks {@code [fromBlock, toBlock)}, for uniforms {@code d} in [0, 1) as
     * {@code normal_} draws them. Up to 32 blocks (256 lanes) are computed stage by stage in
     * structure-of-arrays loops, so the CPU overlaps the long dependency chains of many lanes, and
     * without data-dependent branches: the two selects of the AVX2 kernel (mantissa below √½ in
     * {@code log256_ps}, the polynomial mask of {@code sincos256_ps}) are bit masks, as
     * {@code _mm256_and_ps} / {@code _mm256_andnot_ps} are there. Every floating-point operation and
     * rounding is that of {@link #fill16}, in the same order: the bits are the same.
     */
    static void fillBlocks(float[] d, int fromBlock, int toBlock, float mean, float std) {
        float[] x = new float[BATCH];
        float[] e = new float[BATCH];
        float[] y = new float[BATCH];
        float[] z = new float[BATCH];
        float[] r = new float[BATCH];
        int[] signSin = new int[BATCH];
        int[] signCos = new int[BATCH];
        int[] poly = new int[BATCH];
        for (int b0 = fromBlock; b0 < toBlock; b0 += BATCH_BLOCKS) {
            int lanes = Math.min(BATCH_BLOCKS, toBlock - b0) * 8;
            int base = b0 * 16;
            // log256_ps(1 - d[j]): exponent and mantissa, branch-free.
            for (int k = 0; k < lanes; k++) {
                float in = 1.0f - d[base + ((k >>> 3) << 4) + (k & 7)];
                // max(in, FLT_MIN): in is positive (0 < in <= 1), where int order is float order.
                int bits = Math.max(Float.floatToRawIntBits(in), MIN_NORMAL_BITS);
                int mbits = (bits & ~0x7f800000) | 0x3f000000;
                // -1 where the mantissa (in [0.5, 1)) is below sqrt(1/2), else 0
                int below = (mbits - SQRT_HALF_BITS) >> 31;
                // (e + 1) - 1 or (e + 1) of the kernel: small integers, exact in float either way
                e[k] = (float) ((bits >>> 23) - 0x7f + 1 + below);
                float xm = Float.intBitsToFloat(mbits);
                float xk = (xm + -1.0f) + Float.intBitsToFloat(mbits & below);
                x[k] = xk;
                z[k] = xk * xk;
            }
            for (int k = 0; k < lanes; k++) {
                float xk = x[k];
                float yk = LOG_P[0];
                yk = Math.fma(yk, xk, LOG_P[1]);
                yk = Math.fma(yk, xk, LOG_P[2]);
                yk = Math.fma(yk, xk, LOG_P[3]);
                yk = Math.fma(yk, xk, LOG_P[4]);
                yk = Math.fma(yk, xk, LOG_P[5]);
                yk = Math.fma(yk, xk, LOG_P[6]);
                yk = Math.fma(yk, xk, LOG_P[7]);
                yk = Math.fma(yk, xk, LOG_P[8]);
                y[k] = yk;
            }
            for (int k = 0; k < lanes; k++) {
                float xk = x[k];
                float zk = z[k];
                float ek = e[k];
                float eq1 = ek * LOG_Q1;
                float yk = y[k] * xk;
                yk = Math.fma(yk, zk, eq1);
                yk = Math.fma(-zk, 0.5f, yk);
                float lg = Math.fma(ek, LOG_Q2, xk + yk);
                r[k] = (float) Math.sqrt(lg * -2.0f);
            }
            // sincos256_ps(2*pi*d[j+8]): range reduction
            for (int k = 0; k < lanes; k++) {
                int inBits = Float.floatToRawIntBits(TWO_PI * d[base + ((k >>> 3) << 4) + (k & 7) + 8]);
                float xk = Float.intBitsToFloat(inBits & 0x7fffffff);
                int q = (int) (xk * FOUR_OVER_PI);
                q = (q + 1) & ~1;
                float yq = (float) q;
                poly[k] = ((q & 2) >> 1) - 1; // -1 where (q & 2) == 0, else 0
                signSin[k] = (inBits & 0x80000000) ^ ((q & 4) << 29);
                signCos[k] = (~(q - 2) & 4) << 29;
                xk = Math.fma(yq, DP1, xk);
                xk = Math.fma(yq, DP2, xk);
                xk = Math.fma(yq, DP3, xk);
                x[k] = xk;
                z[k] = xk * xk;
            }
            // both polynomials, the branch-free select, and the final fma into d
            for (int k = 0; k < lanes; k++) {
                float zk = z[k];
                float xk = x[k];
                float c = Math.fma(COS_C0, zk, COS_C1);
                c = Math.fma(c, zk, COS_C2);
                c = c * zk;
                c = Math.fma(c, zk, -(zk * 0.5f));
                c = c + 1.0f;
                float sn = Math.fma(SIN_C0, zk, SIN_C1);
                sn = Math.fma(sn, zk, SIN_C2);
                sn = sn * zk;
                sn = Math.fma(sn, xk, xk);
                int pm = poly[k];
                float ysin2 = Float.intBitsToFloat(Float.floatToRawIntBits(sn) & pm);
                float ysin1 = Float.intBitsToFloat(Float.floatToRawIntBits(c) & ~pm);
                sn = sn - ysin2;
                c = c - ysin1;
                float sin = Float.intBitsToFloat(Float.floatToRawIntBits(ysin1 + ysin2) ^ signSin[k]);
                float cos = Float.intBitsToFloat(Float.floatToRawIntBits(c + sn) ^ signCos[k]);
                int o = base + ((k >>> 3) << 4) + (k & 7);
                float rk = r[k];
                d[o] = Math.fma(rk * cos, std, mean);
                d[o + 8] = Math.fma(rk * sin, std, mean);
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
