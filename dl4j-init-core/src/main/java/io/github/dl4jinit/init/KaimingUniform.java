package io.github.dl4jinit.init;

import org.nd4j.shade.jackson.annotation.JsonProperty;

/**
 * He/Kaiming initialization with a uniform distribution (He et al. 2015, "Delving deep into
 * rectifiers"), as {@code torch.nn.init.kaiming_uniform_(tensor, a, mode, nonlinearity)}.
 *
 * <p>{@code gain = calculate_gain(nonlinearity, a)}, {@code std = gain / √fan}; values are drawn from U(−bound, bound) with {@code bound = √3 · std}.
 * PyTorch's defaults are {@code a = 0}, {@code mode = "fan_in"}, {@code nonlinearity = "leaky_relu"}
 * (gain √2). A preset of {@link VarianceScaling}.
 */
public final class KaimingUniform extends Kaiming {

    /** PyTorch's defaults: a = 0, fan_in, leaky_relu. */
    public KaimingUniform() {
        this(0.0, FanMode.FAN_IN, Nonlinearity.LEAKY_RELU);
    }

    /**
     * @param a            negative slope of the rectifier after this layer (used by leaky_relu only)
     * @param mode         FAN_IN preserves the forward variance, FAN_OUT the backward one
     * @param nonlinearity the function after this layer
     * @throws IllegalArgumentException for FAN_AVG (PyTorch accepts only fan_in and fan_out) or a
     *                                  slope that is not a number
     */
    public KaimingUniform(@JsonProperty("a") double a, @JsonProperty("mode") FanMode mode,
                 @JsonProperty("nonlinearity") Nonlinearity nonlinearity) {
        super(a, mode, nonlinearity);
    }

    /** The same, with mode and nonlinearity spelled as in PyTorch ("fan_out", "relu"). */
    public KaimingUniform(double a, String mode, String nonlinearity) {
        this(a, FanMode.parse(mode, FanMode.FAN_IN, FanMode.FAN_OUT), Nonlinearity.parse(nonlinearity));
    }

    @Override
    Distribution distribution() {
        return Distribution.UNIFORM;
    }
}
