package io.github.dl4jinit.init;

import io.github.dl4jinit.internal.Args;
import io.github.dl4jinit.sampling.Sampler;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.shade.jackson.annotation.JsonProperty;

import java.util.Map;

/** N(mean, std²), as {@code torch.nn.init.normal_(tensor, mean, std)} (defaults 0 and 1). */
public final class Normal extends TorchWeightInit {
    private final double mean;
    private final double std;

    /** N(0, 1), PyTorch's default. */
    public Normal() {
        this(0.0, 1.0);
    }

    /**
     * @throws IllegalArgumentException if mean is not finite or std is negative, NaN or infinite
     */
    public Normal(@JsonProperty("mean") double mean, @JsonProperty("std") double std) {
        this.mean = Args.finite("mean", mean);
        this.std = Args.nonNegative("std", std);
    }

    @Override
    public void sample(INDArray torchTensor, Fans fans, Sampler sampler) {
        sampler.normal(torchTensor, mean, std);
    }

    public double mean() {
        return mean;
    }

    public double std() {
        return std;
    }

    @Override
    protected Map<String, Object> parameters() {
        return Params.of("mean", mean, "std", std);
    }
}
