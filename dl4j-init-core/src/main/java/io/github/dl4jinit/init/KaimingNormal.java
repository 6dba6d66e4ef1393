package io.github.dl4jinit.init;

import io.github.dl4jinit.internal.Args;
import io.github.dl4jinit.sampling.Sampler;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.shade.jackson.annotation.JsonProperty;

import java.util.Map;

/**
 * He/Kaiming initialization with a normal distribution (He et al. 2015, "Delving deep into
 * rectifiers"), as {@code torch.nn.init.kaiming_normal_(tensor, a, mode, nonlinearity)}.
 *
 * <p>{@code gain = calculate_gain(nonlinearity, a)}, {@code std = gain / √fan}; values are drawn from N(0, std²).
 * PyTorch's defaults are {@code a = 0}, {@code mode = "fan_in"}, {@code nonlinearity = "leaky_relu"}
 * (gain √2). A preset of {@link VarianceScaling}.
 */
public final class KaimingNormal extends TorchWeightInit {
    private final double a;
    private final FanMode mode;
    private final Nonlinearity nonlinearity;

    /** PyTorch's defaults: a = 0, fan_in, leaky_relu. */
    public KaimingNormal() {
        this(0.0, FanMode.FAN_IN, Nonlinearity.LEAKY_RELU);
    }

    /**
     * @param a            negative slope of the rectifier after this layer (used by leaky_relu only)
     * @param mode         FAN_IN preserves the forward variance, FAN_OUT the backward one
     * @param nonlinearity the function after this layer
     * @throws IllegalArgumentException for FAN_AVG (PyTorch accepts only fan_in and fan_out) or a
     *                                  slope that is not a number
     */
    public KaimingNormal(@JsonProperty("a") double a, @JsonProperty("mode") FanMode mode,
              @JsonProperty("nonlinearity") Nonlinearity nonlinearity) {
        this.a = a;
        this.mode = Args.notNull("mode", mode);
        this.nonlinearity = Args.notNull("nonlinearity", nonlinearity);
        if (mode == FanMode.FAN_AVG) {
            throw Args.invalid("mode", "fan_avg",
                    "one of ['fan_in', 'fan_out'] (PyTorch: Mode fan_avg not supported)");
        }
        if (Double.isNaN(a) || Double.isInfinite(a)) {
            throw Args.invalid("a", a, "a finite number (PyTorch: negative_slope " + a + " not a valid number)");
        }
        nonlinearity.gain(a);
    }

    /** The same, with mode and nonlinearity spelled as in PyTorch ("fan_out", "relu"). */
    public KaimingNormal(double a, String mode, String nonlinearity) {
        this(a, FanMode.parse(mode), Nonlinearity.parse(nonlinearity));
    }

    private VarianceScaling core() {
        return new VarianceScaling(nonlinearity.gain(a), mode, Distribution.NORMAL);
    }

    @Override
    public void sample(INDArray torchTensor, Fans fans, Sampler sampler) {
        core().sample(torchTensor, fans, sampler);
    }

    public double a() {
        return a;
    }

    public FanMode mode() {
        return mode;
    }

    public Nonlinearity nonlinearity() {
        return nonlinearity;
    }

    @Override
    protected Map<String, Object> parameters() {
        return Params.of("a", a, "mode", mode, "nonlinearity", nonlinearity);
    }
}
