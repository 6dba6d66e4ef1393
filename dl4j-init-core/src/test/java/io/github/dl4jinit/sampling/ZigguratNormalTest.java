package io.github.dl4jinit.sampling;

import org.apache.commons.math3.distribution.NormalDistribution;
import org.apache.commons.math3.stat.inference.KolmogorovSmirnovTest;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.concurrent.ForkJoinPool;

import static org.assertj.core.api.Assertions.assertThat;

class ZigguratNormalTest {
    private static final int N = 1_000_000;

    @Test
    void momentsAndDistributionAreStandardNormal() {
        double[] x = new double[N];
        ZigguratNormal.fill(x, 12345L, 0.0, 1.0, true);
        double mean = Arrays.stream(x).average().orElseThrow();
        double var = Arrays.stream(x).map(v -> (v - mean) * (v - mean)).sum() / (N - 1);
        // Standard errors: mean 1/sqrt(N) = 1e-3, variance sqrt(2/N) = 1.4e-3; allow 6 of them.
        assertThat(mean).isBetween(-6e-3, 6e-3);
        assertThat(var).isBetween(1 - 8.5e-3, 1 + 8.5e-3);
        double p = new KolmogorovSmirnovTest().kolmogorovSmirnovTest(new NormalDistribution(0, 1),
                Arrays.copyOf(x, 200_000));
        assertThat(p).isGreaterThan(1e-4);
        // Tails: P(|x| > 3) = 0.0026998 for N(0,1); the tail sampler must produce them.
        long tail = Arrays.stream(x).filter(v -> Math.abs(v) > 3).count();
        assertThat(tail / (double) N).isBetween(0.0027 - 6 * Math.sqrt(0.0027 / N), 0.0027 + 6 * Math.sqrt(0.0027 / N));
    }

    @Test
    void bitsDoNotDependOnTheNumberOfThreads() throws Exception {
        float[] parallel = new float[300_001];
        ZigguratNormal.fill(parallel, 7L, 0.5, 2.0, true);
        float[] single = new float[300_001];
        ForkJoinPool one = new ForkJoinPool(1);
        try {
            one.submit(() -> ZigguratNormal.fill(single, 7L, 0.5, 2.0, true)).get();
        } finally {
            one.shutdown();
        }
        assertThat(single).containsExactly(parallel);
        float[] callingThread = new float[300_001];
        ZigguratNormal.fill(callingThread, 7L, 0.5, 2.0, false);
        assertThat(callingThread).containsExactly(parallel);
        float[] other = new float[300_001];
        ZigguratNormal.fill(other, 8L, 0.5, 2.0, true);
        assertThat(other).isNotEqualTo(parallel);
    }

    @Test
    void boundedDrawsAreATruncatedNormal() {
        double[] x = new double[N];
        ZigguratNormal.fillWithin(x, 99L, 0.0, 1.0, -2.0, 2.0, true);
        assertThat(Arrays.stream(x).allMatch(v -> v >= -2 && v <= 2)).isTrue();
        NormalDistribution z = new NormalDistribution(0, 1);
        double mass = z.cumulativeProbability(2) - z.cumulativeProbability(-2);
        // Var of N(0,1) cut to [-2, 2]: 1 - 2·2·φ(2)/mass = 0.7737...
        double variance = 1 - 4 * z.density(2) / mass;
        double mean = Arrays.stream(x).average().orElseThrow();
        double var = Arrays.stream(x).map(v -> v * v).sum() / N - mean * mean;
        assertThat(mean).isBetween(-6 * Math.sqrt(variance / N), 6 * Math.sqrt(variance / N));
        assertThat(var).isBetween(variance - 6e-3, variance + 6e-3);
        // KS against the truncated CDF, (Φ(v) − Φ(−2)) / mass
        double[] sample = Arrays.copyOf(x, 100_000);
        Arrays.sort(sample);
        double d = 0;
        for (int i = 0; i < sample.length; i++) {
            double cdf = (z.cumulativeProbability(sample[i]) - z.cumulativeProbability(-2)) / mass;
            d = Math.max(d, Math.max(Math.abs(cdf - (double) i / sample.length), Math.abs(cdf - (i + 1.0) / sample.length)));
        }
        // critical value at p = 1e-4 is about 2.1 / sqrt(n)
        assertThat(d).isLessThan(2.1 / Math.sqrt(sample.length));
    }

    @Test
    void aDenseFloatArrayIsWrittenChunkByChunkWithTheSameValues() throws Exception {
        org.nd4j.linalg.api.ndarray.INDArray direct = org.nd4j.linalg.factory.Nd4j.create(
                org.nd4j.linalg.api.buffer.DataType.FLOAT, 200_003);
        ZigguratNormal.write(direct, false, 200_003, 11L, 0.25, 3.0, true);
        float[] viaArray = new float[200_003];
        ForkJoinPool one = new ForkJoinPool(1);
        try {
            one.submit(() -> ZigguratNormal.fill(viaArray, 11L, 0.25, 3.0, true)).get();
        } finally {
            one.shutdown();
        }
        assertThat(direct.toFloatVector()).containsExactly(viaArray);
    }
}
