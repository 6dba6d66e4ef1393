package io.github.dl4jinit.init;

import io.github.dl4jinit.internal.Args;
import io.github.dl4jinit.internal.DenseViews;
import io.github.dl4jinit.sampling.Sampler;
import org.apache.commons.math3.special.Erf;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.shade.jackson.annotation.JsonProperty;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Arrays;
import java.util.Map;

/**
 * A true normal N(mean, std²) truncated to the absolute bounds [a, b], as
 * {@code torch.nn.init.trunc_normal_(tensor, mean, std, a, b)} (defaults 0, 1, −2, 2).
 *
 * <p>This is PyTorch 2.13's rejection sampler, draw for draw: with p = Φ((b−μ)/σ) − Φ((a−μ)/σ),
 * if p &gt; 0.3 fill with N(μ, σ²) and redraw whole tensors, keeping the new value where the old one
 * fell outside [a, b]; otherwise propose U[a, b) and accept where log U[0,1) ≤ −½((x−μ)/σ)² − log_peak,
 * redrawing both for the pending elements. Unlike ND4J's {@code TruncatedNormalDistribution}, which
 * clips, every value is a genuine draw from the truncated distribution.
 */
public final class TruncatedNormal extends TorchWeightInit {
    private static final Logger LOG = LoggerFactory.getLogger(TruncatedNormal.class);

    private final double mean;
    private final double std;
    private final double a;
    private final double b;

    /** PyTorch's defaults: mean 0, std 1, cut at [−2, 2]. */
    public TruncatedNormal() {
        this(0.0, 1.0, -2.0, 2.0);
    }

    /**
     * @param mean mean of the untruncated normal
     * @param std  standard deviation of the untruncated normal (&gt; 0)
     * @param a    lower bound (absolute, not in units of std)
     * @param b    upper bound (absolute)
     * @throws IllegalArgumentException if a value is NaN or infinite, std ≤ 0, or a &gt; b
     */
    public TruncatedNormal(@JsonProperty("mean") double mean, @JsonProperty("std") double std,
                           @JsonProperty("a") double a, @JsonProperty("b") double b) {
        this.mean = Args.finite("mean", mean);
        this.std = Args.positive("std", std);
        this.a = Args.finite("a", a);
        this.b = Args.finite("b", b);
        if (a > b) {
            throw Args.invalid("a", a, "a <= b = " + b);
        }
    }

    @Override
    public void sample(INDArray torchTensor, Fans fans, Sampler sampler) {
        sample(torchTensor, mean, std, a, b, sampler);
    }

    /**
     * The rejection sampler itself, shared with {@link VarianceScaling}'s truncated normal. Each of
     * PyTorch's whole-tensor redraws is asked of the sampler for the positions still to be replaced
     * only ({@link Sampler#normalAt}, {@link Sampler#uniformAt}), which gives the same values.
     */
    static void sample(INDArray t, double mean, double std, double a, double b, Sampler sampler) {
        if (mean < a - 2 * std || mean > b + 2 * std) {
            LOG.warn("mean is more than 2 std from [a, b] in trunc_normal: the distribution of values may be incorrect");
        }
        boolean isFloat = t.dataType() != DataType.DOUBLE;
        double p = normCdf((b - mean) / std) - normCdf((a - mean) / std);
        double[] result;
        if (p > 0.3) {
            double lo = round(a, isFloat);
            double hi = round(b, isFloat);
            if (sampler.normalWithin(t, mean, std, lo, hi)) {
                return;
            }
            sampler.normal(t, mean, std);
            result = values(t);
            int[] outside = outside(result, null, lo, hi);
            while (outside.length > 0) {
                double[] fresh = sampler.normalAt(t, outside, mean, std);
                for (int k = 0; k < outside.length; k++) {
                    result[outside[k]] = fresh[k];
                }
                outside = outside(result, outside, lo, hi);
            }
        } else {
            double mode = Math.max(a, Math.min(mean, b));
            double z = (mode - mean) / std;
            double logPeak = -0.5 * (z * z);
            sampler.uniform(t, a, b);
            result = values(t);
            int[] pending = rejected(result, sampler.uniformAt(t, all(result.length), 0.0, 1.0), null,
                    mean, std, logPeak, isFloat);
            while (pending.length > 0) {
                double[] proposal = sampler.uniformAt(t, pending, a, b);
                for (int k = 0; k < pending.length; k++) {
                    result[pending[k]] = proposal[k];
                }
                pending = rejected(proposal, sampler.uniformAt(t, pending, 0.0, 1.0), pending,
                        mean, std, logPeak, isFloat);
            }
        }
        write(t, result, isFloat);
    }

    /** The positions (among {@code candidates}, or all if null) whose value lies outside [lo, hi]. */
    private static int[] outside(double[] values, int[] candidates, double lo, double hi) {
        int n = candidates == null ? values.length : candidates.length;
        int[] out = new int[n];
        int count = 0;
        for (int k = 0; k < n; k++) {
            int i = candidates == null ? k : candidates[k];
            if (values[i] < lo || values[i] > hi) {
                out[count++] = i;
            }
        }
        return Arrays.copyOf(out, count);
    }

    /**
     * The positions whose proposal is rejected: log(u) &gt; logpdf(x) − log_peak, computed in the
     * tensor's precision. {@code x[k]} and {@code u[k]} belong to {@code positions[k]} (all positions
     * if null).
     */
    private static int[] rejected(double[] x, double[] u, int[] positions, double mean, double std, double logPeak,
                                  boolean isFloat) {
        double m = round(mean, isFloat);
        double s = round(std, isFloat);
        double lp = round(logPeak, isFloat);
        double half = -0.5;
        int[] out = new int[x.length];
        int count = 0;
        for (int k = 0; k < x.length; k++) {
            double c = round(x[k] - m, isFloat);
            c = round(c / s, isFloat);
            c = round(c * c, isFloat);
            c = round(c * half, isFloat);
            c = round(c - lp, isFloat);
            double logU = isFloat ? (float) Math.log((float) u[k]) : Math.log(u[k]);
            if (logU > c) {
                out[count++] = positions == null ? k : positions[k];
            }
        }
        return Arrays.copyOf(out, count);
    }

    private static int[] all(int n) {
        int[] all = new int[n];
        for (int i = 0; i < n; i++) {
            all[i] = i;
        }
        return all;
    }

    /** The tensor's values in C order, as doubles. */
    private static double[] values(INDArray t) {
        if (t.dataType() == DataType.DOUBLE) {
            return DenseViews.readDoubles(t);
        }
        float[] f = DenseViews.readFloats(t);
        double[] d = new double[f.length];
        for (int i = 0; i < f.length; i++) {
            d[i] = f[i];
        }
        return d;
    }

    private static void write(INDArray t, double[] values, boolean isFloat) {
        if (!isFloat) {
            DenseViews.write(t, values);
            return;
        }
        float[] f = new float[values.length];
        for (int i = 0; i < f.length; i++) {
            f[i] = (float) values[i];
        }
        DenseViews.write(t, f);
    }

    private static double round(double v, boolean isFloat) {
        return isFloat ? (float) v : v;
    }

    private static double normCdf(double x) {
        return (1.0 + Erf.erf(x / Math.sqrt(2.0))) / 2.0;
    }

    public double mean() {
        return mean;
    }

    public double std() {
        return std;
    }

    public double a() {
        return a;
    }

    public double b() {
        return b;
    }

    @Override
    protected Map<String, Object> parameters() {
        return Params.of("mean", mean, "std", std, "a", a, "b", b);
    }
}
