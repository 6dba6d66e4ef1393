package io.github.dl4jinit.network;

import io.github.dl4jinit.sampling.Sampler;
import org.nd4j.linalg.api.ndarray.INDArray;

/** A sampler that writes zeros: lets validation run a scheme's own argument checks without drawing. */
final class DryRunSampler implements Sampler {
    static final DryRunSampler INSTANCE = new DryRunSampler();

    @Override
    public void uniform(INDArray target, double from, double to) {
        target.assign(0);
    }

    @Override
    public void normal(INDArray target, double mean, double std) {
        target.assign(0);
    }

    @Override
    public int[] permutation(int n) {
        int[] r = new int[n];
        for (int i = 0; i < n; i++) {
            r[i] = i;
        }
        return r;
    }
}
