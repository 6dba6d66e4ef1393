package io.github.dl4jinit.init;

import io.github.dl4jinit.sampling.FastSampler;
import io.github.dl4jinit.sampling.Sampler;
import io.github.dl4jinit.sampling.SeededSampler;
import io.github.dl4jinit.sampling.TorchGenerator;
import org.apache.commons.math3.distribution.AbstractRealDistribution;
import org.apache.commons.math3.distribution.NormalDistribution;
import org.apache.commons.math3.distribution.RealDistribution;
import org.apache.commons.math3.distribution.UniformRealDistribution;
import org.apache.commons.math3.stat.inference.KolmogorovSmirnovTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Supplier;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * Each random scheme, with every sampler, against the distribution its formula promises: support
 * bounds, mean, variance and a Kolmogorov–Smirnov test, on at least 10^5 samples with fixed seeds.
 *
 * <h2>Tolerances (derived from the sample size, not tuned)</h2>
 * With n i.i.d. samples of a distribution with mean μ, variance σ² and fourth central moment μ₄:
 * <ul>
 *   <li>the sample mean has standard error σ/√n; we allow 6 standard errors;</li>
 *   <li>the sample variance has standard error √((μ₄ − σ⁴)/n) (CLT for s², n ≥ 10^5); 6 of them;</li>
 *   <li>for the KS statistic D_n the Dvoretzky–Kiefer–Wolfowitz inequality gives
 *       P(D_n &gt; ε) ≤ 2·exp(−2nε²) for every n and every continuous target; with
 *       ε = √(ln(2/α)/(2n)) and α = 10⁻⁹, ε ≈ 0.0104 for n = 10^5.</li>
 * </ul>
 * A Gaussian deviation beyond 6 standard errors has probability ≈ 2·10⁻⁹, so with fixed seeds these
 * tests cannot flake, yet a wrong formula fails them: a std off by 1 % moves the variance by 2 %,
 * about 9 standard errors for a normal with n = 1.2·10^5 (SE of s²/σ² = √(2/n) ≈ 0.0041).
 * Uniform bounds: the extreme of n uniforms is within 30·width/n of the bound with probability
 * 1 − e^{-30}. Values are float32; rounding (relative 6·10⁻⁸) is far below every tolerance.
 */
class DistributionStatsTest {
    private static final long SEED = 20261123L;
    private static final double SIGMAS = 6.0;
    private static final double KS_ALPHA = 1e-9;
    /** PyTorch-shaped weight (out = 500, in = 240): fan_in 240, fan_out 500, n = 120 000. */
    private static final long[] SHAPE = {500, 240};
    private static final double FAN_IN = 240;
    private static final double FAN_OUT = 500;

    /** A target distribution with its fourth central moment (for the variance's standard error). */
    static final class Target {
        final String formula;
        final RealDistribution dist;
        final double mu4;

        Target(String formula, RealDistribution dist, double mu4) {
            this.formula = formula;
            this.dist = dist;
            this.mu4 = mu4;
        }

        static Target uniform(double lo, double hi) {
            double half = (hi - lo) / 2;
            return new Target("U(" + lo + ", " + hi + ")", new UniformRealDistribution(lo, hi), Math.pow(half, 4) / 5);
        }

        static Target uniformStd(double std) {
            double bound = Math.sqrt(3.0) * std;
            return uniform(-bound, bound);
        }

        static Target normal(double mean, double std) {
            return new Target("N(" + mean + ", " + std + "²)", new NormalDistribution(null, mean, std), 3 * Math.pow(std, 4));
        }

        static Target truncated(double mean, double std, double a, double b) {
            TruncatedNormalDistribution d = new TruncatedNormalDistribution(mean, std, a, b);
            return new Target("TN(" + mean + ", " + std + "², [" + a + ", " + b + "])", d, d.centralMoment4());
        }

        @Override
        public String toString() {
            return formula;
        }
    }

    /** N(μ, σ²) restricted to [a, b]: the target of trunc_normal_ (commons-math has none). */
    static final class TruncatedNormalDistribution extends AbstractRealDistribution {
        private static final NormalDistribution STD = new NormalDistribution(null, 0, 1);
        private final double mu;
        private final double sigma;
        private final double a;
        private final double b;
        private final double alpha;
        private final double beta;
        private final double z;

        TruncatedNormalDistribution(double mu, double sigma, double a, double b) {
            super(null);
            this.mu = mu;
            this.sigma = sigma;
            this.a = a;
            this.b = b;
            this.alpha = (a - mu) / sigma;
            this.beta = (b - mu) / sigma;
            this.z = STD.cumulativeProbability(beta) - STD.cumulativeProbability(alpha);
        }

        @Override
        public double density(double x) {
            return x < a || x > b ? 0 : STD.density((x - mu) / sigma) / (sigma * z);
        }

        @Override
        public double cumulativeProbability(double x) {
            if (x <= a) {
                return 0;
            }
            if (x >= b) {
                return 1;
            }
            return (STD.cumulativeProbability((x - mu) / sigma) - STD.cumulativeProbability(alpha)) / z;
        }

        /** Textbook: μ + σ(φ(α) − φ(β))/Z. */
        @Override
        public double getNumericalMean() {
            return mu + sigma * (STD.density(alpha) - STD.density(beta)) / z;
        }

        /** Textbook: σ²[1 + (αφ(α) − βφ(β))/Z − ((φ(α) − φ(β))/Z)²]. */
        @Override
        public double getNumericalVariance() {
            double r = (STD.density(alpha) - STD.density(beta)) / z;
            return sigma * sigma * (1 + (alpha * STD.density(alpha) - beta * STD.density(beta)) / z - r * r);
        }

        /** E[(X − mean)⁴] by Simpson's rule on [a, b] (smooth integrand, 20 000 panels). */
        double centralMoment4() {
            double m = getNumericalMean();
            int panels = 20_000;
            double h = (b - a) / panels;
            double sum = 0;
            for (int i = 0; i <= panels; i++) {
                double x = a + i * h;
                double w = i == 0 || i == panels ? 1 : (i % 2 == 1 ? 4 : 2);
                sum += w * Math.pow(x - m, 4) * density(x);
            }
            return sum * h / 3;
        }

        @Override
        public double getSupportLowerBound() {
            return a;
        }

        @Override
        public double getSupportUpperBound() {
            return b;
        }

        @Override
        public boolean isSupportLowerBoundInclusive() {
            return true;
        }

        @Override
        public boolean isSupportUpperBoundInclusive() {
            return true;
        }

        @Override
        public boolean isSupportConnected() {
            return true;
        }
    }

    enum Source {
        ND4J(() -> {
            Nd4j.getRandom().setSeed(SEED);
            return FastSampler.get();
        }),
        TORCH(() -> new TorchGenerator(SEED)),
        SEEDED(() -> SeededSampler.allCores(SEED)),
        SEEDED_ON_CALLING_THREAD(() -> SeededSampler.onCallingThread(SEED));

        final Supplier<Sampler> fresh;

        Source(Supplier<Sampler> fresh) {
            this.fresh = fresh;
        }
    }

    static Stream<Arguments> cases() {
        double trStd = 1.3 * Math.sqrt(2.0 / (FAN_IN + FAN_OUT));
        double trSigma = trStd / 0.87962566103423978;
        List<Arguments> base = new ArrayList<>(Arrays.asList(
                Arguments.of(new Uniform(-0.3, 0.7), Target.uniform(-0.3, 0.7)),
                Arguments.of(new Uniform(), Target.uniform(0, 1)),
                Arguments.of(new Normal(0.5, 2), Target.normal(0.5, 2)),
                Arguments.of(new Normal(), Target.normal(0, 1)),
                // p = Φ(2) − Φ(−2) > 0.3: PyTorch's normal-and-redraw branch
                Arguments.of(new TruncatedNormal(), Target.truncated(0, 1, -2, 2)),
                Arguments.of(new TruncatedNormal(1, 0.5, 0, 3), Target.truncated(1, 0.5, 0, 3)),
                // p = Φ(3) − Φ(1.5) ≈ 0.065 ≤ 0.3: PyTorch's uniform-proposal rejection branch
                Arguments.of(new TruncatedNormal(0, 1, 1.5, 3), Target.truncated(0, 1, 1.5, 3)),
                // xavier_uniform_(gain=2): std = 2·√(2/(240+500)), bound √3·std
                Arguments.of(new XavierUniform(2), Target.uniformStd(2 * Math.sqrt(2.0 / (FAN_IN + FAN_OUT)))),
                Arguments.of(new XavierNormal(0.5), Target.normal(0, 0.5 * Math.sqrt(2.0 / (FAN_IN + FAN_OUT)))),
                // kaiming_uniform_(a=0.2, mode='fan_out'): gain √(2/(1+0.04)), std gain/√500
                Arguments.of(new KaimingUniform(0.2, FanMode.FAN_OUT, Nonlinearity.LEAKY_RELU),
                        Target.uniformStd(Math.sqrt(2 / 1.04) / Math.sqrt(FAN_OUT))),
                // kaiming_uniform_() defaults: a = 0 is leaky_relu's slope, so gain = √(2/(1+0²)) = √2
                Arguments.of(new KaimingUniform(), Target.uniformStd(Math.sqrt(2) / Math.sqrt(FAN_IN))),
                Arguments.of(new KaimingNormal(0, FanMode.FAN_IN, Nonlinearity.RELU), Target.normal(0, Math.sqrt(2) / Math.sqrt(FAN_IN))),
                Arguments.of(new KaimingNormal(0, FanMode.FAN_OUT, Nonlinearity.TANH), Target.normal(0, 5.0 / 3 / Math.sqrt(FAN_OUT))),
                // LeCun: variance 1/fan_in
                Arguments.of(new LeCunUniform(), Target.uniform(-Math.sqrt(3 / FAN_IN), Math.sqrt(3 / FAN_IN))),
                Arguments.of(new LeCunNormal(), Target.normal(0, 1 / Math.sqrt(FAN_IN))),
                // PyTorch's Linear default: U(±1/√fan_in), weight and bias alike
                Arguments.of(new TorchDefaultInit(), Target.uniform(-1 / Math.sqrt(FAN_IN), 1 / Math.sqrt(FAN_IN))),
                Arguments.of(new TorchDefaultBias(), Target.uniform(-1 / Math.sqrt(FAN_IN), 1 / Math.sqrt(FAN_IN))),
                Arguments.of(new VarianceScaling(0.7, FanMode.FAN_IN, Distribution.NORMAL), Target.normal(0, 0.7 / Math.sqrt(FAN_IN))),
                Arguments.of(new VarianceScaling(1.1, FanMode.FAN_OUT, Distribution.UNIFORM), Target.uniformStd(1.1 / Math.sqrt(FAN_OUT))),
                // JAX's truncated normal: σ = std / 0.8796…, cut at ±2σ, so the variance is std²
                Arguments.of(new VarianceScaling(1.3, FanMode.FAN_AVG, Distribution.TRUNCATED_NORMAL),
                        Target.truncated(0, trSigma, -2 * trSigma, 2 * trSigma))));
        List<Arguments> all = new ArrayList<>();
        for (Source s : Source.values()) {
            for (Arguments a : base) {
                all.add(Arguments.of(a.get()[0], a.get()[1], s));
            }
        }
        return all.stream();
    }

    private static double[] draw(TorchWeightInit scheme, long[] shape, Source source) {
        INDArray t = Nd4j.create(DataType.FLOAT, shape, 'c');
        scheme.apply(t, source.fresh.get());
        return t.data().asDouble();
    }

    @ParameterizedTest(name = "{0} ~ {1} with {2}")
    @MethodSource("cases")
    void matchesTargetDistribution(TorchWeightInit scheme, Target target, Source source) {
        double[] x = draw(scheme, SHAPE, source);
        assertMatches(x, target);
    }

    static void assertMatches(double[] x, Target target) {
        int n = x.length;
        assertThat(n).isGreaterThanOrEqualTo(100_000);
        RealDistribution d = target.dist;
        double mean = 0;
        for (double v : x) {
            mean += v;
        }
        mean /= n;
        double ss = 0;
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (double v : x) {
            ss += (v - mean) * (v - mean);
            min = Math.min(min, v);
            max = Math.max(max, v);
        }
        double var = ss / (n - 1);
        double mu = d.getNumericalMean();
        double sigma2 = d.getNumericalVariance();
        double meanTol = SIGMAS * Math.sqrt(sigma2 / n);
        double varTol = SIGMAS * Math.sqrt((target.mu4 - sigma2 * sigma2) / n);
        assertThat(mean).as("mean of %s", target).isCloseTo(mu, within(meanTol));
        assertThat(var).as("variance of %s", target).isCloseTo(sigma2, within(varTol));

        double lo = d.getSupportLowerBound();
        double hi = d.getSupportUpperBound();
        if (Double.isFinite(lo)) {
            // float values: compare with the bounds rounded to float
            assertThat(min).as("min of %s", target).isGreaterThanOrEqualTo((float) lo);
            assertThat(max).as("max of %s", target).isLessThanOrEqualTo((float) hi);
            if (d instanceof UniformRealDistribution) {
                double slack = 30 * (hi - lo) / n;
                assertThat(min).as("min of %s reaches the bound", target).isLessThan(lo + slack);
                assertThat(max).as("max of %s reaches the bound", target).isGreaterThan(hi - slack);
            }
        } else {
            double sd = Math.sqrt(sigma2);
            // P(|Z| > 7) ≈ 2.6e-12 per sample
            assertThat(Math.max(max - mu, mu - min)).as("extremes of %s", target).isLessThan(7 * sd);
        }
        double ks = new KolmogorovSmirnovTest().kolmogorovSmirnovStatistic(d, x);
        double eps = Math.sqrt(Math.log(2 / KS_ALPHA) / (2.0 * n));
        assertThat(ks).as("KS statistic of %s (DKW bound %s)", target, eps).isLessThan(eps);
    }

    @Test
    void ksTestRejectsAWrongFormula() {
        // The harness has power: N(0, 1.03²) samples fail the variance check against N(0, 1) (the
        // KS statistic, ≈ 0.03·φ(1) ≈ 0.007, is below ε there: the moments catch small scale
        // errors, KS catches wrong shapes), and uniform samples fail KS against the normal with the
        // same variance.
        double[] x = draw(new Normal(0, 1.03), SHAPE, Source.TORCH);
        double var = Arrays.stream(x).map(v -> v * v).sum() / x.length;
        assertThat(var).isNotCloseTo(1.0, within(SIGMAS * Math.sqrt(2.0 / x.length)));
        double[] u = draw(new Uniform(-Math.sqrt(3), Math.sqrt(3)), SHAPE, Source.TORCH);
        double ksU = new KolmogorovSmirnovTest().kolmogorovSmirnovStatistic(new NormalDistribution(null, 0, 1), u);
        double eps = Math.sqrt(Math.log(2 / KS_ALPHA) / (2.0 * u.length));
        assertThat(ksU).isGreaterThan(eps);
    }

    @Test
    void truncatedTargetHasTheRequestedStd() {
        // Checks the constant 0.87962566103423978: N(0, σ²) cut at ±2σ has std 0.8796…·σ.
        TruncatedNormalDistribution d = new TruncatedNormalDistribution(0, 1, -2, 2);
        assertThat(Math.sqrt(d.getNumericalVariance())).isCloseTo(VarianceScaling.TRUNCATED_STD_CORRECTION, within(1e-15));
        assertThat(Math.sqrt(d.centralMoment4())).isPositive();
    }

    @ParameterizedTest
    @org.junit.jupiter.params.provider.EnumSource(Source.class)
    void sparseZerosAndNonZeros(Source source) {
        // sparse_(t (500, 300), sparsity 0.3, std 0.02): each column has exactly ceil(0.3·500) = 150
        // zeros (a normal float is exactly 0 with negligible probability); the other
        // 350·300 = 105 000 values are N(0, 0.02²).
        long rows = 500;
        long cols = 300;
        INDArray t = Nd4j.create(DataType.FLOAT, new long[]{rows, cols}, 'c');
        new Sparse(0.3, 0.02).apply(t, source.fresh.get());
        double[] v = t.data().asDouble();
        List<Double> nonZero = new ArrayList<>();
        for (long c = 0; c < cols; c++) {
            int zeros = 0;
            for (long r = 0; r < rows; r++) {
                double x = v[(int) (r * cols + c)];
                if (x == 0) {
                    zeros++;
                } else {
                    nonZero.add(x);
                }
            }
            assertThat(zeros).as("zeros in column %s", c).isEqualTo(150);
        }
        assertMatches(nonZero.stream().mapToDouble(Double::doubleValue).toArray(), Target.normal(0, 0.02));
        // The zeros fall in different rows in different columns (fresh permutations).
        int zerosInRow0 = 0;
        for (long c = 0; c < cols; c++) {
            zerosInRow0 += v[(int) c] == 0 ? 1 : 0;
        }
        // Binomial(300, 0.3): mean 90, sd ≈ 7.9; 6 sd either side.
        assertThat(zerosInRow0).isBetween(90 - 48, 90 + 48);
    }

    @ParameterizedTest
    @org.junit.jupiter.params.provider.EnumSource(Source.class)
    void deterministicSchemes(Source source) {
        INDArray c = Nd4j.create(DataType.FLOAT, 3, 4);
        new Constant(0.3).apply(c, source.fresh.get());
        assertThat(c.data().asFloat()).containsOnly(0.3f);
        INDArray e = Nd4j.create(DataType.FLOAT, 3, 5).assign(7);
        new Eye().apply(e, source.fresh.get());
        assertThat(e.toFloatMatrix()).isEqualTo(new float[][]{{1, 0, 0, 0, 0}, {0, 1, 0, 0, 0}, {0, 0, 1, 0, 0}});
        // dirac_(t (4, 2, 3, 3), groups 2): group g, d < min(2, 2): t[2g + d, d, 1, 1] = 1
        INDArray d = Nd4j.create(DataType.FLOAT, 4, 2, 3, 3).assign(7);
        new Dirac(2).apply(d, source.fresh.get());
        assertThat(d.sumNumber().doubleValue()).isEqualTo(4);
        for (int g = 0; g < 2; g++) {
            for (int k = 0; k < 2; k++) {
                assertThat(d.getDouble(2 * g + k, k, 1, 1)).isEqualTo(1);
            }
        }
        // even kernel: index k/2 = 2
        INDArray d4 = Nd4j.create(DataType.FLOAT, 2, 2, 4);
        new Dirac().apply(d4, source.fresh.get());
        assertThat(d4.getDouble(0, 0, 2)).isEqualTo(1);
        assertThat(d4.getDouble(1, 1, 2)).isEqualTo(1);
        assertThat(d4.sumNumber().doubleValue()).isEqualTo(2);
        // PyTorch's bias: bound = 1/√fan_in if fan_in > 0 else 0, with the weight's fans.
        INDArray bias = Nd4j.create(DataType.FLOAT, 5).assign(7);
        new TorchDefaultBias().fill(bias, TorchLayout.opaque(new long[]{5}, Fans.of(0, 3)), source.fresh.get());
        // +0.0 exactly, as PyTorch's uniform_(0, 0) (not -0.0)
        for (float f : bias.data().asFloat()) {
            assertThat(Float.floatToRawIntBits(f)).as("bits of %s", f).isZero();
        }
        new TorchDefaultBias().fill(bias, TorchLayout.opaque(new long[]{5}, Fans.of(4, 3)), source.fresh.get());
        assertThat(bias.amaxNumber().doubleValue()).isLessThan(0.5).isPositive();
    }
}
