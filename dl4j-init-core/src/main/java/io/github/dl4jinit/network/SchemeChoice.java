package io.github.dl4jinit.network;

import io.github.dl4jinit.init.TorchWeightInit;
import io.github.dl4jinit.internal.Args;

/**
 * Chooses a scheme for one parameter of one layer; a fixed scheme is the usual case, a function of
 * the layer is what {@code auto()} and PyTorch's RNN rule (U(±1/√hidden)) need.
 */
@FunctionalInterface
public interface SchemeChoice {

    /**
     * The scheme for this parameter, or null if the rule does not apply to it (the next earlier rule
     * that applies decides, or the parameter is left alone).
     */
    TorchWeightInit choose(NetworkLayer layer, LayerParam param);

    /** Always the same scheme. */
    static SchemeChoice of(TorchWeightInit scheme) {
        Args.notNull("scheme", scheme);
        return new SchemeChoice() {
            @Override
            public TorchWeightInit choose(NetworkLayer layer, LayerParam param) {
                return scheme;
            }

            @Override
            public String toString() {
                return scheme.toString();
            }
        };
    }
}
