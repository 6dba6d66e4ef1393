package io.github.dl4jinit.network;

import org.deeplearning4j.nn.api.Updater;
import org.deeplearning4j.nn.updater.BaseMultiLayerUpdater;
import org.deeplearning4j.nn.updater.UpdaterBlock;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

import java.util.Set;

/**
 * Zeroes the updater state (Adam's moments, momentum...) of chosen parameters and nothing else.
 *
 * <p>An updater block holds the state of P consecutive parameters as k segments of length P
 * (Adam: m then v; Nesterovs: one), each in the same order as the parameters, so a parameter at
 * offsets [s, e) of its block owns [j·P + s, j·P + e) for every segment j.
 */
final class UpdaterStates {
    private UpdaterStates() {
    }

    /** Zeroes the state of every (layer name, param key) in {@code selected}; a null updater is a no-op. */
    static void reset(Updater updater, Set<String> selected) {
        if (!(updater instanceof BaseMultiLayerUpdater)) {
            return;
        }
        for (UpdaterBlock block : ((BaseMultiLayerUpdater<?>) updater).getUpdaterBlocks()) {
            INDArray view = block.getUpdaterView();
            long p = block.getParamOffsetEnd() - block.getParamOffsetStart();
            if (view == null || view.length() == 0 || p == 0) {
                continue;
            }
            INDArray flat = view.reshape(view.length());
            long segments = view.length() / p;
            for (UpdaterBlock.ParamState ps : block.getLayersAndVariablesInBlock()) {
                String name = ps.getLayer().getConfig().getLayerName();
                if (!selected.contains(key(name, ps.getParamName()))) {
                    continue;
                }
                long s = ps.getParamOffsetStart() - block.getParamOffsetStart();
                long e = ps.getParamOffsetEnd() - block.getParamOffsetStart();
                for (long j = 0; j < segments; j++) {
                    flat.get(NDArrayIndex.interval(j * p + s, j * p + e)).assign(0);
                }
            }
        }
    }

    static String key(String layer, String param) {
        return layer + "\u0000" + param;
    }
}
