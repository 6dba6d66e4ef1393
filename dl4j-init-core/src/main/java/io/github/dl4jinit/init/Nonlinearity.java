package io.github.dl4jinit.init;

import io.github.dl4jinit.internal.Args;

import java.util.ArrayList;
import java.util.List;

/**
 * The nonlinearities of {@code torch.nn.init.calculate_gain} and their gains: the one table of
 * gains in this project.
 *
 * <table>
 *   <caption>Gains, as in PyTorch</caption>
 *   <tr><th>nonlinearity</th><th>gain</th></tr>
 *   <tr><td>linear, conv1d/2d/3d, conv_transpose1d/2d/3d, sigmoid</td><td>1</td></tr>
 *   <tr><td>tanh</td><td>5/3</td></tr>
 *   <tr><td>relu</td><td>√2</td></tr>
 *   <tr><td>leaky_relu</td><td>√(2 / (1 + negative_slope²)), negative_slope defaults to 0.01</td></tr>
 *   <tr><td>selu</td><td>3/4</td></tr>
 * </table>
 *
 * <p>Names are matched exactly as PyTorch matches them (case-sensitive: {@code "Relu"} is refused).
 */
public enum Nonlinearity {
    LINEAR("linear"),
    CONV1D("conv1d"),
    CONV2D("conv2d"),
    CONV3D("conv3d"),
    CONV_TRANSPOSE1D("conv_transpose1d"),
    CONV_TRANSPOSE2D("conv_transpose2d"),
    CONV_TRANSPOSE3D("conv_transpose3d"),
    SIGMOID("sigmoid"),
    TANH("tanh"),
    RELU("relu"),
    LEAKY_RELU("leaky_relu"),
    SELU("selu");

    /** PyTorch's default negative slope of {@code leaky_relu} when {@code param} is None. */
    public static final double DEFAULT_NEGATIVE_SLOPE = 0.01;

    private final String torchName;

    Nonlinearity(String torchName) {
        this.torchName = torchName;
    }

    /** The name PyTorch uses, e.g. {@code "leaky_relu"}. */
    public String torchName() {
        return torchName;
    }

    /**
     * The recommended gain, as {@code torch.nn.init.calculate_gain(name, param)}.
     *
     * @param param the negative slope for {@link #LEAKY_RELU} ({@code null} means 0.01); ignored by
     *              every other nonlinearity, as in PyTorch
     * @throws IllegalArgumentException if the slope of leaky_relu is NaN or infinite
     */
    public double gain(Double param) {
        switch (this) {
            case TANH:
                return 5.0 / 3;
            case RELU:
                return Math.sqrt(2.0);
            case LEAKY_RELU: {
                double slope = param == null ? DEFAULT_NEGATIVE_SLOPE : param;
                if (!Double.isFinite(slope)) {
                    throw Args.invalid("negative_slope", param,
                            "a finite number (PyTorch: negative_slope " + param + " not a valid number)");
                }
                return Math.sqrt(2.0 / (1 + slope * slope));
            }
            case SELU:
                return 3.0 / 4;
            default:
                return 1.0;
        }
    }

    /** The gain with PyTorch's default parameter: {@code calculate_gain(name)}. */
    public double gain() {
        return gain(null);
    }

    /**
     * Parses a nonlinearity as PyTorch spells it.
     *
     * @throws IllegalArgumentException naming the value and listing the accepted names
     */
    public static Nonlinearity parse(String name) {
        Args.notNull("nonlinearity", name);
        for (Nonlinearity n : values()) {
            if (n.torchName.equals(name)) {
                return n;
            }
        }
        List<String> names = new ArrayList<>();
        for (Nonlinearity n : values()) {
            names.add(n.torchName);
        }
        throw Args.invalid("nonlinearity", name,
                "one of " + names + " (PyTorch: Unsupported nonlinearity " + name + ")");
    }
}
