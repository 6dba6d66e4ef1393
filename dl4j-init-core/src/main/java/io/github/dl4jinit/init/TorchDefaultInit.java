package io.github.dl4jinit.init;

import io.github.dl4jinit.sampling.Sampler;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.Collections;
import java.util.Map;

/**
 * PyTorch's default weight initialization of {@code nn.Linear} and {@code nn.ConvNd}:
 * {@code kaiming_uniform_(weight, a=√5)}, i.e. U(−1/√fan_in, 1/√fan_in).
 *
 * <p>The bound is computed exactly as PyTorch computes it ({@code gain = √(2 / (1 + √5²))},
 * {@code bound = √3 · gain / √fan_in}), so with a {@code TorchGenerator} the weights are PyTorch's
 * to the bit. DL4J only gives biases a constant; for PyTorch's bias U(±1/√fan_in) use
 * {@code TorchDefaults.initializer()} (or {@link TorchDefaultBias}) after {@code init()}.
 */
public final class TorchDefaultInit extends TorchWeightInit {
    private static final VarianceScaling CORE = new VarianceScaling(Math.sqrt(2.0 / (1 + Math.sqrt(5.0) * Math.sqrt(5.0))), FanMode.FAN_IN, Distribution.UNIFORM);

    @Override
    public void sample(INDArray torchTensor, Fans fans, Sampler sampler) {
        CORE.sample(torchTensor, fans, sampler);
    }

    @Override
    protected Map<String, Object> parameters() {
        return Collections.emptyMap();
    }
}
