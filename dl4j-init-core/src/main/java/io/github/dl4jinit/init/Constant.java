package io.github.dl4jinit.init;

import io.github.dl4jinit.internal.Args;
import io.github.dl4jinit.sampling.Sampler;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.shade.jackson.annotation.JsonProperty;

import java.util.Map;

/**
 * Every element equal to {@code value}, as {@code torch.nn.init.constant_(tensor, val)};
 * {@code ones_} and {@code zeros_} are {@code Constant(1)} and {@code Constant(0)}. The value is
 * rounded to the array's type (0.3 becomes 0.30000001192092896 in float).
 */
public final class Constant extends TorchWeightInit {
    private final double value;

    /**
     * @throws IllegalArgumentException if value is NaN or infinite
     */
    public Constant(@JsonProperty("value") double value) {
        this.value = Args.finite("value", value);
    }

    @Override
    public void sample(INDArray torchTensor, Fans fans, Sampler sampler) {
        torchTensor.assign(value);
    }

    public double value() {
        return value;
    }

    @Override
    protected Map<String, Object> parameters() {
        return Params.of("value", value);
    }
}
