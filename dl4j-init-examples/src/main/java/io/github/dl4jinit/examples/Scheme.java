package io.github.dl4jinit.examples;

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
    ZEROS("zeros", "all zeros", TorchInit::zeros, BiasMode.ZERO),
    ONES("ones", "all ones", TorchInit::ones, BiasMode.ZERO),
    UNIFORM("uniform", "uniform [0, 1)", () -> TorchInit.uniform(0, 1), BiasMode.ZERO),
    CENTERED("centered", "centered uniform [-0.5, 0.5)", () -> TorchInit.uniform(-0.5, 0.5), BiasMode.ZERO),
    /** U(±1/√n), n = fan_in: VarianceScaling with std 1/√(3n), so bound √3·std = 1/√n. */
    GENERAL_RULE("general-rule", "general rule U(±1/√n)",
            () -> new VarianceScaling(1 / Math.sqrt(3), FanMode.FAN_IN, Distribution.UNIFORM), BiasMode.ZERO),
    /** N(0, σ) with σ = 1/√n: LeCun normal. */
    NORMAL("normal", "normal N(0, 1/√n)", TorchInit::lecunNormal, BiasMode.ZERO),
    TORCH_DEFAULT("torch-default", "PyTorch default", TorchInit::torchDefault, BiasMode.TORCH_DEFAULT),
    KAIMING("kaiming", "Kaiming normal (fan_in, relu)", () -> TorchInit.kaimingNormal(0, "fan_in", "relu"), BiasMode.ZERO),
    XAVIER("xavier", "Xavier uniform", TorchInit::xavierUniform, BiasMode.ZERO),
    /** {@code NetworkInitializer.auto()}: each layer's scheme and gain from its own activation. */
    AUTO("auto", "auto (per-layer activation)", TorchInit::torchDefault, BiasMode.AUTO),
    /** {@code Lsuv}: orthonormal weights rescaled layer by layer to unit pre-activation variance on a batch. */
    LSUV("lsuv", "LSUV (orthonormal + unit variance)", TorchInit::orthogonal, BiasMode.LSUV);

    /** How a scheme's biases start. */
    public enum BiasMode {
        /** All biases 0 (DL4J's default {@code biasInit}). */
        ZERO,
        /** {@code NetworkInitializer.torchDefaults()}: PyTorch's weights and biases U(±1/√fan_in), BatchNorm 1/0. */
        TORCH_DEFAULT,
        /** {@code NetworkInitializer.auto()} sets weights and biases. */
        AUTO,
        /** Biases 0, then {@code Lsuv.defaults()} on a batch of training data (data-dependent). */
        LSUV
    }

    private final String cliName;
    private final String label;
    private final Supplier<IWeightInit> weightInit;
    private final BiasMode bias;

    Scheme(String cliName, String label, Supplier<IWeightInit> weightInit, BiasMode bias) {
        this.cliName = cliName;
        this.label = label;
        this.weightInit = weightInit;
        this.bias = bias;
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
            case TORCH_DEFAULT -> NetworkInitializer.torchDefaults().initialize(net);
            case AUTO -> NetworkInitializer.auto().initialize(net);
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
