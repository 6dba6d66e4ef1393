package io.github.dl4jinit.sampling;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Where a scheme's random numbers come from. Two sources ship: {@link Nd4jSampler} (ND4J's native
 * generator: fast, follows DL4J's {@code .seed(...)}) and {@link TorchGenerator} (PyTorch's CPU
 * generator, bit for bit).
 *
 * <p>Targets are filled in place. A generator whose order matters ({@link TorchGenerator}) visits a
 * dense target in memory order; the schemes always hand over PyTorch-shaped C-order tensors, so that
 * is PyTorch's element order.
 */
public interface Sampler {

    /** Fills {@code target} with U[from, to), as {@code tensor.uniform_(from, to)}. */
    void uniform(INDArray target, double from, double to);

    /** Fills {@code target} with N(mean, std²), as {@code tensor.normal_(mean, std)}. */
    void normal(INDArray target, double mean, double std);

    /** A uniformly random permutation of 0..n-1, as {@code torch.randperm(n)}. */
    int[] permutation(int n);
}
