package io.github.dl4jinit.init;

import io.github.dl4jinit.internal.Args;
import io.github.dl4jinit.sampling.Sampler;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.shade.jackson.annotation.JsonProperty;

import java.util.Map;

/**
 * Sparse initialization (Martens 2010), as {@code torch.nn.init.sparse_(tensor, sparsity, std)}:
 * N(0, std²) everywhere, then in each column of the (out, in) weight the first
 * {@code ceil(sparsity · rows)} rows of a fresh random permutation are set to zero.
 *
 * <p>Like PyTorch, the permutations come from the same generator after the normal draw (PyTorch's
 * {@code randperm} uses the default generator, which after {@code torch.manual_seed} is that one).
 */
public final class Sparse extends TorchWeightInit {
    private final double sparsity;
    private final double std;

    /** std = 0.01, PyTorch's default. */
    public Sparse(double sparsity) {
        this(sparsity, 0.01);
    }

    /**
     * @param sparsity fraction of each column set to zero, in [0, 1]
     * @param std      standard deviation of the non-zero values (≥ 0)
     * @throws IllegalArgumentException if sparsity is outside [0, 1] or std is negative or NaN
     */
    public Sparse(@JsonProperty("sparsity") double sparsity, @JsonProperty("std") double std) {
        this.sparsity = Args.inRange("sparsity", sparsity, 0, 1);
        this.std = Args.nonNegative("std", std);
    }

    @Override
    public void checkShape(long[] torchShape) {
        if (torchShape.length != 2) {
            throw Args.invalid("tensor.shape", torchShape,
                    "2 dimensions (PyTorch: Only tensors with 2 dimensions are supported)");
        }
    }

    @Override
    public void sample(INDArray torchTensor, Fans fans, Sampler sampler) {
        checkShape(torchTensor.shape());
        int rows = (int) torchTensor.size(0);
        long cols = torchTensor.size(1);
        int numZeros = (int) Math.ceil(sparsity * rows);
        sampler.normal(torchTensor, 0.0, std);
        for (long c = 0; c < cols; c++) {
            int[] perm = sampler.permutation(rows);
            for (int k = 0; k < numZeros; k++) {
                torchTensor.putScalar(perm[k], c, 0.0);
            }
        }
    }

    public double sparsity() {
        return sparsity;
    }

    public double std() {
        return std;
    }

    @Override
    protected Map<String, Object> parameters() {
        return Params.of("sparsity", sparsity, "std", std);
    }
}
