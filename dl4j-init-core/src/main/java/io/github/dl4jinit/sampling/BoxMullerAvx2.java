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

    /** Lanes per batch of {@link #fillBlocks}: 64 blocks of 8 lanes, scratch that stays in L1. */
    private static final int BATCH_BLOCKS = 64;
    private static final int BATCH = BATCH_BLOCKS * 8;
    private static final int SQRT_HALF_BITS = Float.floatToRawIntBits(SQRT_HALF);
    /** 2^23: a float with these high bits and a small integer i in its mantissa is 2^23 + i exactly. */
    private static final int TWO_POW_23_BITS = 0x4B000000;
    private static final float TWO_POW_23 = 0x1.0p23f;
    // the log polynomial's coefficients as constants (loads from an array inside a loop stop C2 from vectorizing it)
    private static final float P0 = LOG_P[0];
    private static final float P1 = LOG_P[1];
    private static final float P2 = LOG_P[2];
    private static final float P3 = LOG_P[3];
    private static final float P4 = LOG_P[4];
    private static final float P5 = LOG_P[5];
    private static final float P6 = LOG_P[6];
    private static final float P7 = LOG_P[7];
    private static final float P8 = LOG_P[8];
    private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

    /** One batch's lanes, structure of arrays. */
    private static final class Scratch {
        final float[] low = new float[BATCH];
        final float[] high = new float[BATCH];
        final float[] x = new float[BATCH];
        final float[] e = new float[BATCH];
        final float[] theta = new float[BATCH];
        final float[] radius = new float[BATCH];
        final float[] cos = new float[BATCH];
        final float[] sin = new float[BATCH];
        final float[] cosPoly = new float[BATCH];
        final float[] sinSign = new float[BATCH];
        final float[] cosSign = new float[BATCH];
        final int[] bits = new int[BATCH];
        final int[] q = new int[BATCH];
    }

    /**
     * {@link #fill16} on blocks {@code [fromBlock, toBlock)}, for uniforms {@code d} as {@code normal_}
     * draws them (multiples of 2⁻²⁴ in [0, 1)). Up to 64 blocks (512 lanes) are computed stage by stage
     * in structure-of-arrays loops: the lanes' two halves are copied out of the blocks, the
     * floating-point stages are loops that C2 vectorizes, and the bit manipulations of the AVX2 kernel
     * sit in short loops of their own. Nothing branches on data:
     * <ul>
     *   <li>{@code log256_ps}: exponent and mantissa are split with integer masks; the exponent goes back
     *       to float as (2²³ + e + 128) − (2²³ + 128), exact; the test "mantissa below √½" is
     *       min(1, max(0, (√½ − m)·2²⁴)), exact since both are multiples of 2⁻²⁴. Its
     *       {@code max(x, FLT_MIN)} is left out: 1 − d ≥ 2⁻²⁴ for every uniform of the stream.</li>
     *   <li>{@code sincos256_ps}: θ = 2π·u2 ≥ 0, so the input's sign is clear. The polynomial select
     *       ({@code _mm256_and_ps}/{@code _mm256_andnot_ps} with the mask of q &amp; 2) is a product
     *       with 1 or 0, and each sign flip a product with ±1, all computed from h = q/2 ∈ {0..4} by
     *       exact arithmetic: the same bits, zeros' signs included, as the exhaustive test over all
     *       2²⁴ inputs shows.</li>
     * </ul>
     * Every rounding is that of {@link #fill16}, in the same order.
     */
    static void fillBlocks(float[] d, int fromBlock, int toBlock, float mean, float std) {
        Scratch w = SCRATCH.get();
        float[] low = w.low;
        float[] high = w.high;
        float[] x = w.x;
        float[] e = w.e;
        float[] theta = w.theta;
        float[] radius = w.radius;
        float[] cos = w.cos;
        float[] sin = w.sin;
        int[] bits = w.bits;
        int[] q = w.q;
        for (int b0 = fromBlock; b0 < toBlock; b0 += BATCH_BLOCKS) {
            int blocks = Math.min(BATCH_BLOCKS, toBlock - b0);
            int lanes = blocks * 8;
            int base = b0 * 16;
            for (int b = 0; b < blocks; b++) {
                System.arraycopy(d, base + 16 * b, low, 8 * b, 8);
                System.arraycopy(d, base + 16 * b + 8, high, 8 * b, 8);
            }
            // log256_ps(1 - low): exponent and mantissa
            for (int k = 0; k < lanes; k++) {
                bits[k] = Float.floatToRawIntBits(1.0f - low[k]);
            }
            for (int k = 0; k < lanes; k++) {
                int in = bits[k];
                bits[k] = (in & ~0x7f800000) | 0x3f000000;
                q[k] = TWO_POW_23_BITS | ((in >>> 23) - 0x7f + 1 + 128);
            }
            for (int k = 0; k < lanes; k++) {
                x[k] = Float.intBitsToFloat(bits[k]);
                e[k] = Float.intBitsToFloat(q[k]);
            }
            for (int k = 0; k < lanes; k++) {
                float xm = x[k];
                // 1 where the mantissa (in [0.5, 1)) is below sqrt(1/2), else 0: both are multiples of
                // 2^-24, so their exact difference times 2^24 is a whole number
                float below = Math.min(1.0f, Math.max(0.0f, (SQRT_HALF - xm) * 0x1.0p24f));
                x[k] = (xm + -1.0f) + xm * below;
                e[k] = (e[k] - (TWO_POW_23 + 128)) - below;
            }
            for (int k = 0; k < lanes; k++) {
                float xk = x[k];
                float ek = e[k];
                float zk = xk * xk;
                float yk = P0;
                yk = Math.fma(yk, xk, P1);
                yk = Math.fma(yk, xk, P2);
                yk = Math.fma(yk, xk, P3);
                yk = Math.fma(yk, xk, P4);
                yk = Math.fma(yk, xk, P5);
                yk = Math.fma(yk, xk, P6);
                yk = Math.fma(yk, xk, P7);
                yk = Math.fma(yk, xk, P8);
                yk = yk * xk;
                yk = Math.fma(yk, zk, ek * LOG_Q1);
                yk = Math.fma(-zk, 0.5f, yk);
                float lg = Math.fma(ek, LOG_Q2, xk + yk);
                radius[k] = (float) Math.sqrt(lg * -2.0f);
            }
            // sincos256_ps(2*pi*high): range reduction to the octant q in {0, 2, 4, 6, 8}
            for (int k = 0; k < lanes; k++) {
                float th = TWO_PI * high[k];
                theta[k] = th;
                x[k] = th * FOUR_OVER_PI;
            }
            for (int k = 0; k < lanes; k++) {
                q[k] = TWO_POW_23_BITS | (((int) x[k] + 1) & ~1);
            }
            for (int k = 0; k < lanes; k++) {
                x[k] = Float.intBitsToFloat(q[k]) - TWO_POW_23;
            }
            // the select and the signs, from h = q/2 in 0..4 (exact arithmetic on small whole numbers)
            float[] cosPoly = w.cosPoly;
            float[] sinSign = w.sinSign;
            float[] cosSign = w.cosSign;
            for (int k = 0; k < lanes; k++) {
                float h = x[k] * 0.5f;
                // 1 where q & 2 (h odd: the kernel takes the cosine polynomial for the sine), else 0
                cosPoly[k] = Math.abs(Math.abs(Math.abs(h - 1.0f) - 2.0f) - 1.0f);
                // -1 where q & 4 (h = 2, 3), else 1
                sinSign[k] = Math.min(1.0f, Math.max(-1.0f, 2.0f * (Math.abs(h - 2.5f) - 1.0f)));
                // -1 where ~(q - 2) & 4 (h = 1, 2), else 1
                cosSign[k] = Math.min(1.0f, Math.max(-1.0f, 2.0f * (Math.abs(h - 1.5f) - 1.0f)));
            }
            // both polynomials
            for (int k = 0; k < lanes; k++) {
                float yq = x[k];
                float xk = theta[k];
                xk = Math.fma(yq, DP1, xk);
                xk = Math.fma(yq, DP2, xk);
                xk = Math.fma(yq, DP3, xk);
                float zk = xk * xk;
                float c = Math.fma(COS_C0, zk, COS_C1);
                c = Math.fma(c, zk, COS_C2);
                c = c * zk;
                c = Math.fma(c, zk, zk * -0.5f);
                cos[k] = c + 1.0f;
                float sn = Math.fma(SIN_C0, zk, SIN_C1);
                sn = Math.fma(sn, zk, SIN_C2);
                sn = sn * zk;
                sin[k] = Math.fma(sn, xk, xk);
            }
            // the select (a product with 1 or 0), the signs (with ±1) and the final fma
            for (int k = 0; k < lanes; k++) {
                float c = cos[k];
                float sn = sin[k];
                float p = cosPoly[k];
                float ysin1 = c * p;
                float ysin2 = sn * (1.0f - p);
                sn = sn - ysin2;
                c = c - ysin1;
                float rk = radius[k];
                cos[k] = Math.fma(rk * ((c + sn) * cosSign[k]), std, mean);
                sin[k] = Math.fma(rk * ((ysin1 + ysin2) * sinSign[k]), std, mean);
            }
            for (int b = 0; b < blocks; b++) {
                System.arraycopy(cos, 8 * b, d, base + 16 * b, 8);
                System.arraycopy(sin, 8 * b, d, base + 16 * b + 8, 8);
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
