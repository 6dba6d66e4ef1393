package io.github.dl4jinit.diagnostics;

/**
 * Statistics of one layer at initialization, measured on one batch by {@link InitDiagnostics}.
 *
 * <p>Every figure is measured on the layer's own output: a Dense layer followed by an
 * ActivationLayer is measured before the activation, the ActivationLayer after it.
 * {@code activation} is the function the layer applies ({@code "-"} for none: BatchNormalization
 * ignores the one in its configuration). {@code zeroFraction} is the fraction of exact zeros in the
 * layer's output (NaN unless the activation is ReLU-like); {@code saturatedFraction} the fraction of
 * tanh outputs with |a| &gt; 0.99 or sigmoid outputs outside [0.01, 0.99] (NaN for other
 * activations); {@code gradientNorm} the L2 norm of the loss gradient over all the layer's
 * parameters; {@code gradToParamRatio} the mean |gradient| divided by the mean |parameter| (NaN
 * without parameters or labels).
 */
public final class LayerStats {
    private final String name;
    private final String type;
    private final String activation;
    private final double mean;
    private final double std;
    private final double zeroFraction;
    private final double saturatedFraction;
    private final boolean gradientMeasured;
    private final double gradientNorm;
    private final double gradToParamRatio;

    LayerStats(String name, String type, String activation, double mean, double std, double zeroFraction,
               double saturatedFraction, boolean gradientMeasured, double gradientNorm, double gradToParamRatio) {
        this.name = name;
        this.type = type;
        this.activation = activation;
        this.mean = mean;
        this.std = std;
        this.zeroFraction = zeroFraction;
        this.saturatedFraction = saturatedFraction;
        this.gradientMeasured = gradientMeasured;
        this.gradientNorm = gradientNorm;
        this.gradToParamRatio = gradToParamRatio;
    }

    public String name() {
        return name;
    }

    public String type() {
        return type;
    }

    public String activation() {
        return activation;
    }

    /** Mean of the layer's output over the batch. */
    public double mean() {
        return mean;
    }

    /** Standard deviation of the layer's output over the batch. */
    public double std() {
        return std;
    }

    public double zeroFraction() {
        return zeroFraction;
    }

    public double saturatedFraction() {
        return saturatedFraction;
    }

    /** True if the layer has parameters and labels were given, so its gradient was measured. */
    boolean gradientMeasured() {
        return gradientMeasured;
    }

    public double gradientNorm() {
        return gradientNorm;
    }

    public double gradToParamRatio() {
        return gradToParamRatio;
    }
}
