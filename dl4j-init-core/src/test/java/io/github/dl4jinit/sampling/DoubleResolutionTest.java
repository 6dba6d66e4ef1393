package io.github.dl4jinit.sampling;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The fast samplers fill DOUBLE arrays with 53-bit uniforms, not float-resolution ones: DL4J users
 * run DOUBLE networks for gradient checks. A U(0, 1) value of float resolution is a multiple of
 * 2⁻²⁴; one of 53 bits is so with probability 2⁻²⁹.
 */
class DoubleResolutionTest {

    /** Values of U(0, 1) that are multiples of 2⁻²⁴. */
    private static long onFloatGrid(double[] v) {
        long n = 0;
        for (double x : v) {
            double scaled = x * 0x1.0p24;
            if (scaled == Math.rint(scaled)) {
                n++;
            }
        }
        return n;
    }

    private static void assertDoubleUniform(double[] v) {
        double sum = 0;
        for (double x : v) {
            assertThat(x).isGreaterThanOrEqualTo(0.0).isLessThan(1.0);
            sum += x;
        }
        // Mean of U(0, 1): 1/2, standard error 1/√(12 n); 6 standard errors.
        assertThat(sum / v.length).isCloseTo(0.5, org.assertj.core.api.Assertions.within(6 / Math.sqrt(12.0 * v.length)));
        // Expected on the float grid: n · 2⁻²⁹ (under 0.004 here); float-resolution draws put all there.
        assertThat(onFloatGrid(v)).as("values on the float grid, of %d", v.length).isLessThanOrEqualTo(2);
    }

    /** Below and above the size from which FastSampler hands floats to ND4J's native op. */
    @ParameterizedTest(name = "{0} values")
    @ValueSource(ints = {1000, 2_000_000})
    void nd4jSamplerDrawsDoublesWith53Bits(int n) {
        Nd4j.getRandom().setSeed(5);
        INDArray t = Nd4j.create(DataType.DOUBLE, n);
        FastSampler.get().uniform(t, 0, 1);
        assertDoubleUniform(t.toDoubleVector());
        // A strided DOUBLE view too (every other element of a matrix column).
        INDArray m = Nd4j.create(DataType.DOUBLE, new long[]{2, 500}, 'f');
        FastSampler.get().uniform(m.getRow(0), 0, 1);
        assertDoubleUniform(m.getRow(0).toDoubleVector());
        assertThat(m.getRow(1).toDoubleVector()).containsOnly(0.0);
    }

    @ParameterizedTest(name = "{0} values")
    @ValueSource(ints = {1000, 2_000_000})
    void seededSamplerDrawsDoublesWith53Bits(int n) {
        INDArray t = Nd4j.create(DataType.DOUBLE, n);
        SeededSampler.allCores(5).uniform(t, 0, 1);
        assertDoubleUniform(t.toDoubleVector());
    }
}
