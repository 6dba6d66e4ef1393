package io.github.dl4jinit.sampling;

import io.github.dl4jinit.internal.DenseViews;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Where a scheme's random numbers come from. Three sources ship:
 * <ul>
 *   <li>{@link FastSampler}: fast, seeded from ND4J's generator, so it follows DL4J's
 *       {@code .seed(...)};</li>
 *   <li>{@link SeededSampler}: fast, with a seed of its own, drawing in Java only (several may fill
 *       arrays on different threads at once);</li>
 *   <li>{@link TorchGenerator}: PyTorch's CPU generator and kernels, bit for bit.</li>
 * </ul>
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

    /**
     * Fills {@code target} with N(mean, std²) values that lie in [lo, hi] (compared in the target's
     * type), each drawn until it does: the normal branch of {@code trunc_normal_} done value by value,
     * for a sampler that need not keep PyTorch's stream in step. Returns false, having drawn nothing,
     * where the caller must use PyTorch's whole-tensor redraws instead ({@link #normalAt}), as the
     * default and {@link TorchGenerator} do.
     */
    default boolean normalWithin(INDArray target, double mean, double std, double lo, double hi) {
        return false;
    }

    /**
     * The values at {@code positions} of a fresh tensor like {@code like} filled by
     * {@link #normal}: {@code torch.empty_like(like).normal_(mean, std)[positions]}, the whole-tensor
     * redraw of {@code trunc_normal_} of which only the positions still to be replaced are kept.
     *
     * <p>This default draws {@code positions.length} values, the same distribution with less work; a
     * sampler whose stream must stay in step with PyTorch's ({@link TorchGenerator}) advances over the
     * whole tensor.
     *
     * @param like      the tensor whose shape and type the fresh one has
     * @param positions ascending indices in [0, like.length()), in C order
     * @return the values, as doubles, in the order of {@code positions}
     */
    default double[] normalAt(INDArray like, int[] positions, double mean, double std) {
        if (positions.length == 0) {
            return new double[0];
        }
        INDArray fresh = Nd4j.create(like.dataType(), positions.length);
        normal(fresh, mean, std);
        return DenseViews.readDoubles(fresh);
    }

    /**
     * The values at {@code positions} of a fresh tensor like {@code like} filled by
     * {@link #uniform}: {@code torch.empty_like(like).uniform_(from, to)[positions]}, as
     * {@link #normalAt} for {@code trunc_normal_}'s uniform proposals.
     */
    default double[] uniformAt(INDArray like, int[] positions, double from, double to) {
        if (positions.length == 0) {
            return new double[0];
        }
        INDArray fresh = Nd4j.create(like.dataType(), positions.length);
        uniform(fresh, from, to);
        return DenseViews.readDoubles(fresh);
    }
}
