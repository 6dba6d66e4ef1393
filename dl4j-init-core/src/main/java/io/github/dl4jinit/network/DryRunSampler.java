package io.github.dl4jinit.network;

import io.github.dl4jinit.sampling.Sampler;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A sampler that stops a scheme at its first draw: lets validation run a scheme's own checks (fans,
 * shapes), which every scheme makes before it draws, without drawing anything. Stopping rather than
 * handing out fixed values matters: a rejection sampler (a truncated normal whose bounds exclude
 * those values) would wait forever for a value it accepts.
 */
final class DryRunSampler implements Sampler {
    static final DryRunSampler INSTANCE = new DryRunSampler();

    /** Thrown at the first draw: the scheme passed its checks. */
    static final class Reached extends RuntimeException {
        private static final long serialVersionUID = 1L;

        private Reached() {
            super("a dry run reached its first draw", null, false, false);
        }
    }

    private static final Reached REACHED = new Reached();

    @Override
    public void uniform(INDArray target, double from, double to) {
        throw REACHED;
    }

    @Override
    public void normal(INDArray target, double mean, double std) {
        throw REACHED;
    }

    @Override
    public int[] permutation(int n) {
        throw REACHED;
    }
}
