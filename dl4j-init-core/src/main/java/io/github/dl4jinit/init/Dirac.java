package io.github.dl4jinit.init;

import io.github.dl4jinit.internal.Args;
import io.github.dl4jinit.sampling.Sampler;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.shade.jackson.annotation.JsonProperty;

import java.util.Map;

/**
 * The Dirac delta, as {@code torch.nn.init.dirac_(tensor, groups)}: a convolution that passes its
 * input channels through. For each group g and d &lt; min(out/groups, in),
 * {@code w[g·out/groups + d, d, k/2, ...] = 1} (an even kernel uses index k/2), zeros elsewhere.
 */
public final class Dirac extends TorchWeightInit {
    private final int groups;

    /** groups = 1, PyTorch's default. */
    public Dirac() {
        this(1);
    }

    /**
     * @throws IllegalArgumentException if groups &lt; 1
     */
    public Dirac(@JsonProperty("groups") int groups) {
        if (groups < 1) {
            throw Args.invalid("groups", groups, "a positive integer");
        }
        this.groups = groups;
    }

    @Override
    public void checkShape(long[] torchShape) {
        if (torchShape.length < 3 || torchShape.length > 5) {
            throw Args.invalid("tensor.shape", torchShape,
                    "3, 4 or 5 dimensions (PyTorch: Only tensors with 3, 4, or 5 dimensions are supported)");
        }
        if (torchShape[0] % groups != 0) {
            throw Args.invalid("groups", groups, "a divisor of dim 0 = " + torchShape[0]
                    + " (PyTorch: dim 0 must be divisible by groups)");
        }
    }

    @Override
    public void sample(INDArray torchTensor, Fans fans, Sampler sampler) {
        long[] shape = torchTensor.shape();
        checkShape(shape);
        torchTensor.assign(0);
        long outPerGroup = shape[0] / groups;
        long minDim = Math.min(outPerGroup, shape[1]);
        long[] index = new long[shape.length];
        for (int i = 2; i < shape.length; i++) {
            index[i] = shape[i] / 2;
        }
        for (int g = 0; g < groups; g++) {
            for (long d = 0; d < minDim; d++) {
                index[0] = g * outPerGroup + d;
                index[1] = d;
                torchTensor.putScalar(index, 1.0);
            }
        }
    }

    public int groups() {
        return groups;
    }

    @Override
    protected Map<String, Object> parameters() {
        return Params.of("groups", groups);
    }
}
