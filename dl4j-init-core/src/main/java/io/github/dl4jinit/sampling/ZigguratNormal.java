package io.github.dl4jinit.sampling;

import io.github.dl4jinit.internal.DenseViews;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.nio.FloatBuffer;
import java.util.function.LongSupplier;
import java.util.stream.IntStream;

/**
 * Fast standard normals for {@link FastSampler}: the Ziggurat method of Marsaglia &amp; Tsang (2000),
 * "The Ziggurat Method for Generating Random Variables" (128 strips), driven by SplitMix64.
 *
 * <p>The array is cut into fixed chunks; chunk c draws from its own stream seeded from
 * {@code (seed, c)}, so the values depend on the seed only, never on the number of threads that fill
 * the chunks.
 */
final class ZigguratNormal {
    private static final int CHUNK = 1 << 16;
    private static final double R = 3.442619855899;
    private static final int[] KN = new int[128];
    private static final double[] WN = new double[128];
    private static final double[] FN = new double[128];
    /** {@code WN} in float, for the float fills' common case. */
    private static final float[] WNF = new float[128];

    static {
        final double m1 = 2147483648.0;
        final double vn = 9.91256303526217e-3;
        double dn = R;
        double tn = dn;
        double q = vn / Math.exp(-.5 * dn * dn);
        KN[0] = (int) ((dn / q) * m1);
        KN[1] = 0;
        WN[0] = q / m1;
        WN[127] = dn / m1;
        FN[0] = 1.0;
        FN[127] = Math.exp(-.5 * dn * dn);
        for (int i = 126; i >= 1; i--) {
            dn = Math.sqrt(-2 * Math.log(vn / dn + Math.exp(-.5 * dn * dn)));
            KN[i + 1] = (int) ((dn / tn) * m1);
            tn = dn;
            FN[i] = Math.exp(-.5 * dn * dn);
            WN[i] = dn / m1;
        }
        for (int i = 0; i < 128; i++) {
            WNF[i] = (float) WN[i];
        }
    }

    private ZigguratNormal() {
    }

    /** Per-thread scratch for a chunk, reused: no garbage per chunk. */
    private static final ThreadLocal<float[]> SCRATCH = ThreadLocal.withInitial(() -> new float[CHUNK]);

    /**
     * Writes N(mean, std²) into {@code ordered} in C order: doubles, or floats rounded to its type.
     * A dense float array in host memory is written a chunk at a time straight into its buffer.
     */
    static void write(INDArray ordered, boolean doubles, int n, long seed, double mean, double std, boolean parallel) {
        writeWithin(ordered, doubles, n, seed, mean, std, Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY, parallel);
    }

    /**
     * As {@link #write}, each value drawn again until it lies in [lo, hi] (compared in the array's
     * type): a normal truncated by rejection, value by value.
     */
    static void writeWithin(INDArray ordered, boolean doubles, int n, long seed, double mean, double std,
                            double lo, double hi, boolean parallel) {
        if (doubles) {
            double[] values = new double[n];
            fillWithin(values, seed, mean, std, lo, hi, parallel);
            DenseViews.write(ordered, values);
            return;
        }
        FloatBuffer direct = DenseViews.writableFloats(ordered);
        if (direct == null) {
            float[] values = new float[n];
            fillWithin(values, seed, mean, std, lo, hi, parallel);
            DenseViews.write(ordered, values);
            return;
        }
        chunks(n, parallel).forEach(c -> {
            int from = c * CHUNK;
            int len = Math.min(n, from + CHUNK) - from;
            float[] v = SCRATCH.get();
            chunk(v, 0, len, new Bits(seed, c), mean, std, (float) lo, (float) hi);
            ((FloatBuffer) direct.duplicate().position(from)).put(v, 0, len);
        });
    }

    /**
     * {@link Sampler#normalWithin} for the fast samplers: float and double arrays of up to 2^31 − 2
     * values, drawn from {@code seed} (asked for only when the array can be drawn). Returns false for
     * other arrays, having drawn nothing.
     */
    static boolean normalWithin(INDArray target, LongSupplier seed, double mean, double std, double lo, double hi,
                                boolean parallel) {
        DataType type = SamplerArgs.fastNormal(target, mean, std);
        long n = target.length();
        if (n > Integer.MAX_VALUE - 1 || (type != DataType.FLOAT && type != DataType.DOUBLE)) {
            return false;
        }
        if (n > 0) {
            writeWithin(DenseViews.memoryOrdered(target), type == DataType.DOUBLE, (int) n, seed.getAsLong(), mean,
                    std, lo, hi, parallel);
        }
        return true;
    }

    /** N(mean, std²) into {@code out}. */
    static void fill(float[] out, long seed, double mean, double std, boolean parallel) {
        fillWithin(out, seed, mean, std, Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY, parallel);
    }

    /** N(mean, std²) into {@code out}. */
    static void fill(double[] out, long seed, double mean, double std, boolean parallel) {
        fillWithin(out, seed, mean, std, Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY, parallel);
    }

    static void fillWithin(float[] out, long seed, double mean, double std, double lo, double hi, boolean parallel) {
        chunks(out.length, parallel).forEach(c -> {
            int from = c * CHUNK;
            chunk(out, from, Math.min(out.length, from + CHUNK) - from, new Bits(seed, c), mean, std,
                    (float) lo, (float) hi);
        });
    }

    static void fillWithin(double[] out, long seed, double mean, double std, double lo, double hi, boolean parallel) {
        chunks(out.length, parallel).forEach(c -> {
            Bits rng = new Bits(seed, c);
            int end = Math.min(out.length, (c + 1) * CHUNK);
            for (int i = c * CHUNK; i < end; i++) {
                double x;
                do {
                    x = mean + std * next(rng);
                } while (x < lo || x > hi);
                out[i] = x;
            }
        });
    }

    /**
     * One chunk of floats: {@code len} values from {@code rng} into {@code v[off..)}, each inside
     * [lo, hi]. The common case of the Ziggurat is computed in float, two values from each 64-bit
     * output: a float result needs no more, and this loop is the fast mode's whole cost.
     */
    private static void chunk(float[] v, int off, int len, Bits rng, double mean, double std, float lo, float hi) {
        float m = (float) mean;
        float s = (float) std;
        // loop-invariant, so the JIT compiles a loop without the bound checks for plain normals
        boolean bounded = lo > Float.NEGATIVE_INFINITY || hi < Float.POSITIVE_INFINITY;
        long state = rng.state;  // in a local: this loop is the fast mode's whole cost
        long r = 0;
        for (int k = 0; k < len; k++) {
            int hz;
            if ((k & 1) == 0) {
                state += ParallelUniform.GAMMA;
                r = ParallelUniform.mix64(state);
                hz = (int) (r >>> 32);
            } else {
                hz = (int) r;
            }
            int iz = hz & 127;
            float x = m + s * (hz * WNF[iz]);
            if (Math.abs(hz) >= KN[iz] || bounded && (x < lo || x > hi)) {
                rng.state = state;
                x = slowValue(hz, iz, rng, mean, std, lo, hi);
                state = rng.state;
            }
            v[off + k] = x;
        }
        rng.state = state;
    }

    /** A value whose bits fall in the Ziggurat's tail or wedges, or outside [lo, hi]: drawn as in the general case. */
    private static float slowValue(int hz, int iz, Bits rng, double mean, double std, float lo, float hi) {
        float x = Math.abs(hz) < KN[iz] ? (float) (mean + std * (hz * WN[iz]))
                : (float) (mean + std * tail(rng, hz, iz));
        while (x < lo || x > hi) {
            x = (float) (mean + std * next(rng));
        }
        return x;
    }

    /** The chunks of an array of n values, on all cores if {@code parallel} (the values are the same either way). */
    private static IntStream chunks(int n, boolean parallel) {
        int chunks = (n + CHUNK - 1) / CHUNK;
        IntStream range = IntStream.range(0, chunks);
        return parallel && chunks > 1 ? range.parallel() : range;
    }

    /**
     * A chunk's random bits: SplitMix64 from the chunk's own seed, each 64-bit output giving two
     * 32-bit values, since the Ziggurat's common case needs 32 bits per normal.
     */
    static final class Bits {
        long state;
        private int spare;
        private boolean hasSpare;

        Bits(long seed, int chunk) {
            this.state = ParallelUniform.mix64(seed ^ (ParallelUniform.GAMMA * (chunk + 1)));
        }

        long nextLong() {
            state += ParallelUniform.GAMMA;
            return ParallelUniform.mix64(state);
        }

        int nextInt() {
            if (hasSpare) {
                hasSpare = false;
                return spare;
            }
            long r = nextLong();
            spare = (int) r;
            hasSpare = true;
            return (int) (r >>> 32);
        }

        /** A uniform in [0, 1) with 53 bits. */
        double nextDouble() {
            return (nextLong() >>> 11) * 0x1.0p-53;
        }
    }

    /** One N(0, 1) draw. */
    static double next(Bits rng) {
        int hz = rng.nextInt();
        int iz = hz & 127;
        if (Math.abs(hz) < KN[iz]) {
            return hz * WN[iz];
        }
        return tail(rng, hz, iz);
    }

    private static double tail(Bits rng, int hz, int iz) {
        while (true) {
            double x = hz * WN[iz];
            if (iz == 0) {
                double y;
                do {
                    x = -Math.log(1.0 - rng.nextDouble()) / R;
                    y = -Math.log(1.0 - rng.nextDouble());
                } while (y + y < x * x);
                return hz > 0 ? R + x : -R - x;
            }
            if (FN[iz] + rng.nextDouble() * (FN[iz - 1] - FN[iz]) < Math.exp(-.5 * x * x)) {
                return x;
            }
            hz = rng.nextInt();
            iz = hz & 127;
            if (Math.abs(hz) < KN[iz]) {
                return hz * WN[iz];
            }
        }
    }
}
