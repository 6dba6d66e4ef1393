package io.github.dl4jinit.examples;

import io.github.dl4jinit.presets.AutoRules;
import io.github.dl4jinit.presets.TorchDefaults;
import io.github.dl4jinit.TorchInit;
import io.github.dl4jinit.diagnostics.Lsuv;
import io.github.dl4jinit.init.Distribution;
import io.github.dl4jinit.init.FanMode;
import io.github.dl4jinit.init.VarianceScaling;
import io.github.dl4jinit.network.NetworkInitializer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.IWeightInit;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.Arrays;
import java.util.Locale;
import java.util.OptionalDouble;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * The initialization schemes the examples can train with: one table, used by {@code train-cnn}
 * ({@code --scheme}) and {@code compare-inits} ({@code --schemes}). Each entry gives the weight scheme
 * (set on every Dense/Conv/Output layer through {@code .weightInit(...)}) and how biases start: 0, or
 * a {@link NetworkInitializer} pass after {@code net.init()} that sets weights and biases together.
 * BatchNorm keeps gamma 1, beta 0 (DL4J's default and PyTorch's).
 */
public enum Scheme {
    ZEROS("zeros", "all zeros", TorchInit::zeros, BiasMode.ZERO, 9.625),
    ONES("ones", "all ones", TorchInit::ones, BiasMode.ZERO, 10.050),
    UNIFORM("uniform", "uniform [0, 1)", () -> TorchInit.uniform(0, 1), BiasMode.ZERO, 36.667),
    CENTERED("centered", "centered uniform [-0.5, 0.5)", () -> TorchInit.uniform(-0.5, 0.5), BiasMode.ZERO, 75.817),
    /** U(±1/√n), n = fan_in: VarianceScaling with std 1/√(3n), so bound √3·std = 1/√n. */
    GENERAL_RULE("general-rule", "general rule U(±1/√n)",
            () -> new VarianceScaling(1 / Math.sqrt(3), FanMode.FAN_IN, Distribution.UNIFORM), BiasMode.ZERO, 85.208),
    /** N(0, σ) with σ = 1/√n: LeCun normal. */
    NORMAL("normal", "normal N(0, 1/√n)", TorchInit::lecunNormal, BiasMode.ZERO, 84.717),
    TORCH_DEFAULT("torch-default", "PyTorch default", TorchInit::torchDefault, BiasMode.TORCH_DEFAULT, Double.NaN),
    KAIMING("kaiming", "Kaiming normal (fan_in, relu)", () -> TorchInit.kaimingNormal(0, "fan_in", "relu"), BiasMode.ZERO,
            Double.NaN),
    XAVIER("xavier", "Xavier uniform", TorchInit::xavierUniform, BiasMode.ZERO, Double.NaN),
    /** {@code AutoRules.initializer()}: each layer's scheme and gain from its own activation. */
    AUTO("auto", "auto (per-layer activation)", TorchInit::torchDefault, BiasMode.AUTO, Double.NaN),
    /** {@code Lsuv}: orthonormal weights rescaled layer by layer to unit pre-activation variance on a batch. */
    LSUV("lsuv", "LSUV (orthonormal + unit variance)", TorchInit::orthogonal, BiasMode.LSUV, Double.NaN);

    /**
     * Epochs after which the published experiment reports its validation accuracies (the PyTorch
     * weight-initialization notebook that {@code compare-inits} follows; {@link #published()}).
     */
    public static final int PUBLISHED_EPOCHS = 2;

    /** How a scheme's biases start. */
    public enum BiasMode {
        /** All biases 0 (DL4J's default {@code biasInit}). */
        ZERO,
        /** {@code TorchDefaults.initializer()}: PyTorch's weights and biases U(±1/√fan_in), BatchNorm 1/0. */
        TORCH_DEFAULT,
        /** {@code AutoRules.initializer()} sets weights and biases. */
        AUTO,
        /** Biases 0, then {@code Lsuv.defaults()} on a batch of training data (data-dependent). */
        LSUV
    }

    private final String cliName;
    private final String label;
    private final Supplier<IWeightInit> weightInit;
    private final BiasMode bias;
    private final double published;

    Scheme(String cliName, String label, Supplier<IWeightInit> weightInit, BiasMode bias, double published) {
        this.cliName = cliName;
        this.label = label;
        this.weightInit = weightInit;
        this.bias = bias;
        this.published = published;
    }

    /** The name used on the command line. */
    public String cliName() {
        return cliName;
    }

    /** A human-readable name for tables and plots. */
    public String label() {
        return label;
    }

    /** The weight scheme for {@code .weightInit(...)}. */
    public IWeightInit weightInit() {
        return weightInit.get();
    }

    /**
     * The validation accuracy (%) the published experiment reports for this scheme after
     * {@link #PUBLISHED_EPOCHS} epochs, one run each; empty for schemes it did not train.
     */
    public OptionalDouble published() {
        return Double.isNaN(published) ? OptionalDouble.empty() : OptionalDouble.of(published);
    }

    /** How biases start. */
    public BiasMode bias() {
        return bias;
    }

    /**
     * Applies this scheme's pass after {@code net.init()} (none for constant-bias schemes).
     *
     * @param sample a batch of training features, used by data-dependent schemes (LSUV)
     */
    public void afterInit(MultiLayerNetwork net, INDArray sample) {
        switch (bias) {
            case TORCH_DEFAULT -> TorchDefaults.initializer().initialize(net);
            case AUTO -> AutoRules.initializer().initialize(net);
            case LSUV -> Lsuv.defaults().initialize(net, sample);
            default -> { }
        }
    }

    /** Parses a command-line name (case-insensitive). */
    public static Scheme parse(String name) {
        for (Scheme s : values()) {
            if (s.cliName.equalsIgnoreCase(name.trim()) || s.name().equalsIgnoreCase(name.trim())) {
                return s;
            }
        }
        throw new IllegalArgumentException("scheme: '" + name + "' is not one of " + names());
    }

    /** All command-line names, comma-separated. */
    public static String names() {
        return Arrays.stream(values()).map(Scheme::cliName).collect(Collectors.joining(", "));
    }

    @Override
    public String toString() {
        return cliName.toLowerCase(Locale.ROOT);
    }
}
