package io.github.dl4jinit.examples;

import io.github.dl4jinit.TorchInit;
import io.github.dl4jinit.diagnostics.Lsuv;
import io.github.dl4jinit.init.Distribution;
import io.github.dl4jinit.init.FanMode;
import io.github.dl4jinit.init.VarianceScaling;
import io.github.dl4jinit.presets.AutoRules;
import io.github.dl4jinit.presets.TorchDefaults;
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
 * (set on every Dense/Conv/Output layer through {@code .weightInit(...)}, biases 0 through
 * {@code .biasInit(0)}) and the pass, if any, that runs after {@code net.init()} and rewrites those
 * weights, for some the biases too ({@link PostInitPass}). BatchNorm keeps gamma 1, beta 0 (DL4J's
 * default and PyTorch's).
 */
public enum Scheme {
    ZEROS("zeros", "all zeros", TorchInit::zeros, PostInitPass.NONE, 9.625),
    ONES("ones", "all ones", TorchInit::ones, PostInitPass.NONE, 10.050),
    UNIFORM("uniform", "uniform [0, 1)", () -> TorchInit.uniform(0, 1), PostInitPass.NONE, 36.667),
    CENTERED("centered", "centered uniform [-0.5, 0.5)", () -> TorchInit.uniform(-0.5, 0.5), PostInitPass.NONE, 75.817),
    /** U(±1/√n), n = fan_in: VarianceScaling with std 1/√(3n), so bound √3·std = 1/√n. */
    GENERAL_RULE("general-rule", "general rule U(±1/√n)",
            () -> new VarianceScaling(1 / Math.sqrt(3), FanMode.FAN_IN, Distribution.UNIFORM), PostInitPass.NONE, 85.208),
    /** N(0, σ) with σ = 1/√n: LeCun normal. */
    NORMAL("normal", "normal N(0, 1/√n)", TorchInit::lecunNormal, PostInitPass.NONE, 84.717),
    TORCH_DEFAULT("torch-default", "PyTorch default", TorchInit::torchDefault, PostInitPass.TORCH_DEFAULTS, Double.NaN),
    KAIMING("kaiming", "Kaiming normal (fan_in, relu)", () -> TorchInit.kaimingNormal(0, "fan_in", "relu"), PostInitPass.NONE,
            Double.NaN),
    XAVIER("xavier", "Xavier uniform", TorchInit::xavierUniform, PostInitPass.NONE, Double.NaN),
    /** {@code AutoRules.initializer()}: each layer's scheme and gain from its own activation. */
    AUTO("auto", "auto (per-layer activation)", TorchInit::torchDefault, PostInitPass.AUTO, Double.NaN),
    /** {@code Lsuv}: orthonormal weights rescaled layer by layer to unit pre-activation variance on a batch. */
    LSUV("lsuv", "LSUV (orthonormal + unit variance)", TorchInit::orthogonal, PostInitPass.LSUV, Double.NaN);

    /**
     * Epochs after which the published experiment reports its validation accuracies (the PyTorch
     * weight-initialization notebook that {@code compare-inits} follows; {@link #published()}).
     */
    public static final int PUBLISHED_EPOCHS = 2;

    /** What runs after {@code net.init()}: every pass but {@link #NONE} rewrites the weights {@code .weightInit(...)} drew. */
    public enum PostInitPass {
        /** Nothing: the weights from {@code .weightInit(...)}, all biases 0 (DL4J's {@code biasInit}). */
        NONE,
        /** {@code TorchDefaults.initializer()}: PyTorch's weights and biases U(±1/√fan_in), BatchNorm 1/0. */
        TORCH_DEFAULTS,
        /** {@code AutoRules.initializer()}: each layer's weights and biases from its own activation. */
        AUTO,
        /** {@code Lsuv.defaults()} on a batch of training data: orthonormal weights rescaled layer by layer, biases left 0. */
        LSUV
    }

    private final String cliName;
    private final String label;
    private final Supplier<IWeightInit> weightInit;
    private final PostInitPass postInitPass;
    private final double published;

    Scheme(String cliName, String label, Supplier<IWeightInit> weightInit, PostInitPass postInitPass,
           double published) {
        this.cliName = cliName;
        this.label = label;
        this.weightInit = weightInit;
        this.postInitPass = postInitPass;
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

    /** What runs after {@code net.init()} ({@link #afterInit}). */
    public PostInitPass postInitPass() {
        return postInitPass;
    }

    /**
     * Runs this scheme's {@link PostInitPass} on {@code net}, after {@code net.init()}.
     *
     * @param sample a batch of training features, used by data-dependent schemes (LSUV)
     */
    public void afterInit(MultiLayerNetwork net, INDArray sample) {
        switch (postInitPass) {
            case TORCH_DEFAULTS -> TorchDefaults.initializer().initialize(net);
            case AUTO -> AutoRules.initializer().initialize(net);
            case LSUV -> Lsuv.defaults().initialize(net, sample);
            case NONE -> { }
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
