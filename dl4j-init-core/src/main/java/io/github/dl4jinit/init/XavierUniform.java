package io.github.dl4jinit.init;

import io.github.dl4jinit.internal.Args;
import io.github.dl4jinit.sampling.Sampler;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.shade.jackson.annotation.JsonProperty;

import java.util.Map;

/**
 * Xavier/Glorot initialization with a uniform distribution (Glorot &amp; Bengio 2010), as
 * {@code torch.nn.init.xavier_uniform_(tensor, gain)}.
 *
 * <p>{@code std = gain · √(2 / (fan_in + fan_out))}; values are drawn from U(−a, a) with {@code a = √3 · std}. A preset of
 * {@link VarianceScaling} with fan_avg.
 */
public final class XavierUniform extends TorchWeightInit {
    private final double gain;

    /** gain = 1, PyTorch's default. */
    public XavierUniform() {
        this(1.0);
    }

    /**
     * @param gain scaling factor, for instance {@code calculate_gain("tanh")} = 5/3
     * @throws IllegalArgumentException if gain is not a finite number &gt; 0
     */
    public XavierUniform(@JsonProperty("gain") double gain) {
        this.gain = Args.positive("gain", gain);
    }

    @Override
    public void sample(INDArray torchTensor, Fans fans, Sampler sampler) {
        new VarianceScaling(gain, FanMode.FAN_AVG, Distribution.UNIFORM).sample(torchTensor, fans, sampler);
    }

    public double gain() {
        return gain;
    }

    @Override
    protected Map<String, Object> parameters() {
        return Params.of("gain", gain);
    }
}
