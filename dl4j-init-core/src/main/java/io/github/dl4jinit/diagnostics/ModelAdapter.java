package io.github.dl4jinit.diagnostics;

import io.github.dl4jinit.internal.Args;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.api.Updater;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.graph.vertex.GraphVertex;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.updater.graph.ComputationGraphUpdater;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One view of a {@link MultiLayerNetwork} or {@link ComputationGraph} for the diagnostics: layers in
 * forward order, activations per layer, gradients, and a snapshot of every parameter and updater
 * value so that a diagnostic pass can promise to leave the network exactly as it found it.
 */
abstract class ModelAdapter {

    /** A layer with parameters or an activation worth reporting. */
    static final class LayerRef {
        final String name;
        final Layer layer;
        /** How the network's Gradient names this layer's parameters: "0_W" or "dense1_W". */
        final String gradientPrefix;

        LayerRef(String name, Layer layer, String gradientPrefix) {
            this.name = name;
            this.layer = layer;
            this.gradientPrefix = gradientPrefix;
        }

        org.deeplearning4j.nn.conf.layers.Layer conf() {
            return layer.conf().getLayer();
        }

        IActivation activation() {
            org.deeplearning4j.nn.conf.layers.Layer c = conf();
            return c instanceof BaseLayer ? ((BaseLayer) c).getActivationFn() : null;
        }

        String type() {
            return conf().getClass().getSimpleName();
        }
    }

    static ModelAdapter of(MultiLayerNetwork net) {
        return new Mln(Args.notNull("net", net));
    }

    static ModelAdapter of(ComputationGraph graph) {
        return new Graph(Args.notNull("graph", graph));
    }

    abstract List<LayerRef> layers();

    /** Outputs of every layer (inference mode), by layer name. */
    abstract Map<String, INDArray> activations(INDArray[] features);

    /** The gradient of the loss for one batch (training mode); nothing is applied. */
    abstract Gradient gradient(INDArray[] features, INDArray[] labels);

    abstract INDArray params();

    /** The updater's state (e.g. Adam's moments), or null before the first fit. */
    abstract INDArray updaterState();

    abstract void clear();

    /** Copy of the parameters and of the updater state, if any. */
    final INDArray[] snapshot() {
        INDArray state = updaterState();
        return new INDArray[]{params().dup(), state == null ? null : state.dup()};
    }

    /** Puts back what {@link #snapshot} copied. */
    final void restore(INDArray[] snapshot) {
        params().assign(snapshot[0]);
        INDArray state = updaterState();
        if (state != null && snapshot[1] != null) {
            state.assign(snapshot[1]);
        }
        clear();
    }

    private static final class Mln extends ModelAdapter {
        private final MultiLayerNetwork net;

        Mln(MultiLayerNetwork net) {
            this.net = net;
        }

        @Override
        List<LayerRef> layers() {
            List<LayerRef> out = new ArrayList<>();
            for (int i = 0; i < net.getnLayers(); i++) {
                Layer l = net.getLayer(i);
                String name = l.conf().getLayer().getLayerName();
                out.add(new LayerRef(name != null ? name : "layer" + i, l, i + "_"));
            }
            return out;
        }

        @Override
        Map<String, INDArray> activations(INDArray[] features) {
            List<INDArray> acts = net.feedForward(single(features), false);
            Map<String, INDArray> out = new LinkedHashMap<>();
            List<LayerRef> layers = layers();
            for (int i = 0; i < layers.size(); i++) {
                out.put(layers.get(i).name, acts.get(i + 1));
            }
            return out;
        }

        @Override
        Gradient gradient(INDArray[] features, INDArray[] labels) {
            net.setInput(single(features));
            net.setLabels(single(labels));
            net.computeGradientAndScore();
            return net.gradient();
        }

        @Override
        INDArray params() {
            return net.params();
        }

        @Override
        INDArray updaterState() {
            Updater u = net.getUpdater(false);
            return u == null ? null : u.getStateViewArray();
        }

        @Override
        void clear() {
            // Not net.clear(): that also drops the solver and with it the updater state.
            for (Layer l : net.getLayers()) {
                l.clear();
            }
            net.setInput(null);
            net.setLabels(null);
        }

        private static INDArray single(INDArray[] a) {
            if (a.length != 1) {
                throw Args.invalid("features", a.length + " arrays", "exactly one for a MultiLayerNetwork");
            }
            return a[0];
        }
    }

    private static final class Graph extends ModelAdapter {
        private final ComputationGraph graph;

        Graph(ComputationGraph graph) {
            this.graph = graph;
        }

        @Override
        List<LayerRef> layers() {
            List<LayerRef> out = new ArrayList<>();
            GraphVertex[] vertices = graph.getVertices();
            for (int idx : graph.topologicalSortOrder()) {
                GraphVertex v = vertices[idx];
                if (v.hasLayer()) {
                    out.add(new LayerRef(v.getVertexName(), v.getLayer(), v.getVertexName() + "_"));
                }
            }
            return out;
        }

        @Override
        Map<String, INDArray> activations(INDArray[] features) {
            return graph.feedForward(features, false);
        }

        @Override
        Gradient gradient(INDArray[] features, INDArray[] labels) {
            graph.setInputs(features);
            graph.setLabels(labels);
            graph.computeGradientAndScore();
            return graph.gradient();
        }

        @Override
        INDArray params() {
            return graph.params();
        }

        @Override
        INDArray updaterState() {
            ComputationGraphUpdater u = graph.getUpdater(false);
            return u == null ? null : u.getStateViewArray();
        }

        @Override
        void clear() {
            graph.clear();
        }
    }

    /** Checks a batch before anything runs: non-empty, finite. */
    static void checkBatch(String name, INDArray[] arrays) {
        if (arrays == null || arrays.length == 0) {
            throw Args.invalid(name, arrays == null ? null : "[]", "at least one array");
        }
        for (INDArray a : arrays) {
            Args.notNull(name, a);
            if (a.isEmpty() || a.rank() == 0 || a.size(0) == 0) {
                throw Args.invalid(name + ".shape", Arrays.toString(a.shape()), "a non-empty batch (size(0) > 0)");
            }
            if (!a.dataType().isFPType()) {
                continue;
            }
            if (a.isNaN().any() || a.isInfinite().any()) {
                throw Args.invalid(name, "an array with NaN or infinite values", "finite values only");
            }
        }
    }
}
