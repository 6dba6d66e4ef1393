package io.github.dl4jinit.init;

import io.github.dl4jinit.internal.Args;
import io.github.dl4jinit.sampling.Sampler;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.Map;

/**
 * What {@link KaimingUniform} and {@link KaimingNormal} share: PyTorch's arguments
 * ({@code a, mode, nonlinearity}), their validation, and the preset of {@link VarianceScaling} with
 * {@code gain = calculate_gain(nonlinearity, a)} and {@code std = gain / √fan}.
 */
abstract class Kaiming extends TorchWeightInit {
    private final double a;
    private final FanMode mode;
    private final Nonlinearity nonlinearity;

    Kaiming(double a, FanMode mode, Nonlinearity nonlinearity) {
        this.a = a;
        this.mode = Args.notNull("mode", mode);
        this.nonlinearity = Args.notNull("nonlinearity", nonlinearity);
        if (mode == FanMode.FAN_AVG) {
            throw Args.invalid("mode", "fan_avg",
                    "one of ['fan_in', 'fan_out'] (PyTorch: Mode fan_avg not supported, please use one of ['fan_in', 'fan_out'])");
        }
        if (Double.isNaN(a) || Double.isInfinite(a)) {
            throw Args.invalid("a", a, "a finite number (PyTorch: negative_slope " + a + " not a valid number)");
        }
        nonlinearity.gain(a);
    }

    /** UNIFORM or NORMAL. */
    abstract Distribution distribution();

    @Override
    public void sample(INDArray torchTensor, Fans fans, Sampler sampler) {
        new VarianceScaling(nonlinearity.gain(a), mode, distribution()).sample(torchTensor, fans, sampler);
    }

    /** The negative slope of the rectifier after this layer (used by leaky_relu only). */
    public double a() {
        return a;
    }

    /** FAN_IN or FAN_OUT. */
    public FanMode mode() {
        return mode;
    }

    /** The function after this layer, whose gain scales the std. */
    public Nonlinearity nonlinearity() {
        return nonlinearity;
    }

    @Override
    protected Map<String, Object> parameters() {
        return Params.of("a", a, "mode", mode, "nonlinearity", nonlinearity);
    }
}
