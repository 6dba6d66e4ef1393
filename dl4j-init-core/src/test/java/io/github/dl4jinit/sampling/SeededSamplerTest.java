package io.github.dl4jinit.sampling;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.Arrays;
import java.util.concurrent.ForkJoinPool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** SeededSampler: values fixed by the seed alone, bounds kept, every layout and type written. */
class SeededSamplerTest {

    private static float[] uniform(Sampler s, int n, double from, double to) {
        INDArray t = Nd4j.create(DataType.FLOAT, n);
        s.uniform(t, from, to);
        return t.toFloatVector();
    }

    @Test
    void valuesDependOnTheSeedAloneNotOnThreads() throws Exception {
        int n = 5 * ParallelUniform.BLOCK + 3;
        float[] all = uniform(SeededSampler.allCores(9), n, -0.25, 0.25);
        float[] calling = uniform(SeededSampler.onCallingThread(9), n, -0.25, 0.25);
        ForkJoinPool one = new ForkJoinPool(1);
        float[] onePool;
        try {
            onePool = one.submit(() -> uniform(SeededSampler.allCores(9), n, -0.25, 0.25)).get();
        } finally {
            one.shutdown();
        }
        assertThat(calling).containsExactly(all);
        assertThat(onePool).containsExactly(all);
        assertThat(uniform(SeededSampler.allCores(10), n, -0.25, 0.25)).isNotEqualTo(all);
        // successive calls draw from successive seeds
        SeededSampler s = SeededSampler.allCores(9);
        float[] first = uniform(s, n, -0.25, 0.25);
        float[] second = uniform(s, n, -0.25, 0.25);
        assertThat(first).containsExactly(all);
        assertThat(second).isNotEqualTo(first);
    }

    /**
     * The symmetric loop drops the check for {@code to}: a bound at a power of two (where the spacing of
     * floats halves below it) and one just above it are the edge cases of that argument. With 24-bit
     * uniforms the largest draw is 1 − 2⁻²⁴, reached about once in 1.7·10⁷ values, so 3.3·10⁷ draws
     * per bound reach it with probability ≈ 0.86 each, and the max must still stay below the bound.
     */
    @ParameterizedTest
    @ValueSource(floats = {1.0f, 0.125f, 0x1.000002p0f, 0.0625f * 3})
    void symmetricBoundsAreNeverReached(float b) {
        float[] v = uniform(SeededSampler.allCores(Float.floatToIntBits(b)), 1 << 25, -b, b);
        float min = Float.POSITIVE_INFINITY;
        float max = Float.NEGATIVE_INFINITY;
        for (float x : v) {
            min = Math.min(min, x);
            max = Math.max(max, x);
        }
        assertThat(min).isGreaterThanOrEqualTo(-b);
        assertThat(max).isLessThan(b);
        assertThat(max).isGreaterThan(b - 16 * Math.ulp(b));
    }

    /**
     * [1, 1 + 2⁻²⁰) holds eight floats, 2⁻²³ apart: fma(u, 2⁻²⁰, 1) rounds to the nearest of them or
     * to 1 + 2⁻²⁰ itself, which the top 1/16 of the uniforms reach and which must become 1 (PyTorch's
     * rule). So 1 comes out with probability 1/16 + 1/16 and each other float with 1/8.
     */
    @Test
    void anUpperBoundReachedByRoundingBecomesTheLowerBound() {
        float to = 1 + 0x1.0p-20f;
        int n = 1 << 20;
        float[] v = uniform(SeededSampler.allCores(3), n, 1.0, to);
        long[] counts = new long[8];
        for (float x : v) {
            assertThat(x).isGreaterThanOrEqualTo(1.0f).isLessThan(to);
            counts[Math.round((x - 1) * 0x1.0p23f)]++;
        }
        double sd = Math.sqrt(n * 0.125 * 0.875);
        for (long c : counts) {
            assertThat((double) c).isCloseTo(n * 0.125, org.assertj.core.api.Assertions.within(6 * sd));
        }
    }

    @Test
    void writesDoublesHalvesAndStridedViewsWithTheRightDistribution() {
        SeededSampler s = SeededSampler.allCores(77);
        INDArray d = Nd4j.create(DataType.DOUBLE, 400, 300);
        s.uniform(d, -2, 2);
        assertRange(d.data().asDouble(), -2, 2);
        assertThat(d.meanNumber().doubleValue()).isCloseTo(0, org.assertj.core.api.Assertions.within(6 * 2 / Math.sqrt(3 * 120_000.0)));

        INDArray h = Nd4j.create(DataType.HALF, 1000);
        s.uniform(h, 0, 1);
        assertRange(h.castTo(DataType.DOUBLE).toDoubleVector(), 0, 1);

        INDArray base = Nd4j.zeros(DataType.FLOAT, 300, 400);
        INDArray transposed = base.transpose();
        s.normal(transposed, 3, 0.5);
        double[] v = base.data().asDouble();
        double mean = Arrays.stream(v).average().orElseThrow();
        double var = Arrays.stream(v).map(x -> (x - mean) * (x - mean)).sum() / (v.length - 1);
        assertThat(mean).isCloseTo(3, org.assertj.core.api.Assertions.within(6 * 0.5 / Math.sqrt(v.length)));
        assertThat(var).isCloseTo(0.25, org.assertj.core.api.Assertions.within(6 * 0.25 * Math.sqrt(2.0 / v.length)));
    }

    @Test
    void permutationIsAPermutationFixedByTheSeed() {
        int[] p = SeededSampler.onCallingThread(5).permutation(1000);
        assertThat(p).containsExactlyInAnyOrder(java.util.stream.IntStream.range(0, 1000).toArray());
        assertThat(SeededSampler.allCores(5).permutation(1000)).containsExactly(p);
        assertThat(p).isNotEqualTo(java.util.stream.IntStream.range(0, 1000).toArray());
    }

    @Test
    void badArgumentsAreNamed() {
        SeededSampler s = SeededSampler.allCores(1);
        INDArray t = Nd4j.create(DataType.FLOAT, 4);
        assertThatThrownBy(() -> s.uniform(t, 1, 0)).hasMessageContaining("from").hasMessageContaining("1.0");
        assertThatThrownBy(() -> s.normal(t, 0, -1)).hasMessageContaining("std");
        assertThatThrownBy(() -> s.uniform(Nd4j.create(DataType.INT, 4), 0, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> s.permutation(-1)).hasMessageContaining("n");
    }

    private static void assertRange(double[] v, double lo, double hi) {
        for (double x : v) {
            assertThat(x).isGreaterThanOrEqualTo(lo).isLessThan(hi);
        }
    }
}
