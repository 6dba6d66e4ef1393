package io.github.dl4jinit.init;

import io.github.dl4jinit.internal.Args;
import io.github.dl4jinit.sampling.DenseViews;
import io.github.dl4jinit.sampling.Sampler;
import org.apache.commons.math3.special.Erf;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.shade.jackson.annotation.JsonProperty;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

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

    /** The rejection sampler itself, shared with {@link VarianceScaling}'s truncated normal. */
    static void sample(INDArray t, double mean, double std, double a, double b, Sampler sampler) {
        if (mean < a - 2 * std || mean > b + 2 * std) {
            LOG.warn("mean is more than 2 std from [a, b] in trunc_normal: the distribution of values may be incorrect");
        }
        boolean isFloat = t.dataType() != DataType.DOUBLE;
        double p = normCdf((b - mean) / std) - normCdf((a - mean) / std);
        int n = (int) t.length();
        double[] result;
        if (p > 0.3) {
            double lo = round(a, isFloat);
            double hi = round(b, isFloat);
            sampler.normal(t, mean, std);
            result = DenseViews.readDoubles(t);
            while (true) {
                boolean any = false;
                boolean[] outside = new boolean[n];
                for (int i = 0; i < n; i++) {
                    outside[i] = result[i] < lo || result[i] > hi;
                    any |= outside[i];
                }
                if (!any) {
                    break;
                }
                double[] fresh = draw(t, sampler, true, mean, std);
                for (int i = 0; i < n; i++) {
                    if (outside[i]) {
                        result[i] = fresh[i];
                    }
                }
            }
        } else {
            double mode = Math.max(a, Math.min(mean, b));
            double z = (mode - mean) / std;
            double logPeak = -0.5 * (z * z);
            sampler.uniform(t, a, b);
            result = DenseViews.readDoubles(t);
            boolean[] pending = accept(result, draw(t, sampler, false, 0.0, 1.0), mean, std, logPeak, isFloat, null);
            while (anyTrue(pending)) {
                double[] proposal = draw(t, sampler, false, a, b);
                for (int i = 0; i < n; i++) {
                    if (pending[i]) {
                        result[i] = proposal[i];
                    }
                }
                pending = accept(proposal, draw(t, sampler, false, 0.0, 1.0), mean, std, logPeak, isFloat, pending);
            }
        }
        DenseViews.write(t, result);
    }

    /** pending[i] = log(u[i]) &gt; logpdf(x[i]) − log_peak, in the tensor's precision (and, if given, previous pending). */
    private static boolean[] accept(double[] x, double[] u, double mean, double std, double logPeak,
                                    boolean isFloat, boolean[] previous) {
        double m = round(mean, isFloat);
        double s = round(std, isFloat);
        double lp = round(logPeak, isFloat);
        double half = -0.5;
        boolean[] pending = new boolean[x.length];
        for (int i = 0; i < x.length; i++) {
            double c = round(x[i] - m, isFloat);
            c = round(c / s, isFloat);
            c = round(c * c, isFloat);
            c = round(c * half, isFloat);
            c = round(c - lp, isFloat);
            double logU = isFloat ? (float) Math.log((float) u[i]) : Math.log(u[i]);
            boolean reject = logU > c;
            pending[i] = previous == null ? reject : previous[i] && reject;
        }
        return pending;
    }

    /** Draws a whole fresh tensor of t's shape and type, as PyTorch's {@code torch.empty_like(t).x_()}. */
    private static double[] draw(INDArray t, Sampler sampler, boolean normal, double p1, double p2) {
        INDArray fresh = Nd4j.create(t.dataType(), t.shape(), 'c');
        if (normal) {
            sampler.normal(fresh, p1, p2);
        } else {
            sampler.uniform(fresh, p1, p2);
        }
        return DenseViews.readDoubles(fresh);
    }

    private static boolean anyTrue(boolean[] v) {
        for (boolean x : v) {
            if (x) {
                return true;
            }
        }
        return false;
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
