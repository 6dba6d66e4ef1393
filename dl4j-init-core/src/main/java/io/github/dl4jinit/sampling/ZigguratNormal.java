package io.github.dl4jinit.sampling;

import io.github.dl4jinit.internal.DenseViews;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.SplittableRandom;
import java.util.stream.IntStream;

/**
 * Fast standard normals for {@link FastSampler}: the Ziggurat method of Marsaglia &amp; Tsang (2000),
 * "The Ziggurat Method for Generating Random Variables" (128 strips), driven by
 * {@link SplittableRandom}.
 *
 * <p>The array is cut into fixed chunks; chunk c draws from {@code new SplittableRandom(mix(seed, c))},
 * so the values depend on the seed only, never on the number of threads that fill the chunks.
 */
final class ZigguratNormal {
    private static final int CHUNK = 1 << 16;
    private static final double R = 3.442619855899;
    private static final int[] KN = new int[128];
    private static final double[] WN = new double[128];
    private static final double[] FN = new double[128];

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
    }

    private ZigguratNormal() {
    }

    /** Writes N(mean, std²) into {@code ordered} in C order: doubles, or floats rounded to its type. */
    static void write(INDArray ordered, boolean doubles, int n, long seed, double mean, double std, boolean parallel) {
        if (doubles) {
            double[] values = new double[n];
            fill(values, seed, mean, std, parallel);
            DenseViews.write(ordered, values);
        } else {
            float[] values = new float[n];
            fill(values, seed, mean, std, parallel);
            DenseViews.write(ordered, values);
        }
    }

    static void fill(float[] out, long seed, double mean, double std, boolean parallel) {
        int chunks = (out.length + CHUNK - 1) / CHUNK;
        chunks(chunks, parallel).forEach(c -> {
            SplittableRandom rng = new SplittableRandom(seed ^ (0x9E3779B97F4A7C15L * (c + 1)));
            int end = Math.min(out.length, (c + 1) * CHUNK);
            for (int i = c * CHUNK; i < end; i++) {
                out[i] = (float) (mean + std * next(rng));
            }
        });
    }

    static void fill(double[] out, long seed, double mean, double std, boolean parallel) {
        int chunks = (out.length + CHUNK - 1) / CHUNK;
        chunks(chunks, parallel).forEach(c -> {
            SplittableRandom rng = new SplittableRandom(seed ^ (0x9E3779B97F4A7C15L * (c + 1)));
            int end = Math.min(out.length, (c + 1) * CHUNK);
            for (int i = c * CHUNK; i < end; i++) {
                out[i] = mean + std * next(rng);
            }
        });
    }

    /** The chunk indices, on all cores if {@code parallel} (the values are the same either way). */
    private static IntStream chunks(int chunks, boolean parallel) {
        IntStream range = IntStream.range(0, chunks);
        return parallel && chunks > 1 ? range.parallel() : range;
    }

    /** One N(0, 1) draw. */
    static double next(SplittableRandom rng) {
        int hz = rng.nextInt();
        int iz = hz & 127;
        if (Math.abs(hz) < KN[iz]) {
            return hz * WN[iz];
        }
        return tail(rng, hz, iz);
    }

    private static double tail(SplittableRandom rng, int hz, int iz) {
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
