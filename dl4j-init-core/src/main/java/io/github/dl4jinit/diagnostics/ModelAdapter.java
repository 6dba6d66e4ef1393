package io.github.dl4jinit.diagnostics;

import io.github.dl4jinit.internal.Args;
import io.github.dl4jinit.network.NetworkLayer;
import io.github.dl4jinit.network.NetworkWalker;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.api.Updater;
import org.deeplearning4j.nn.conf.InputPreProcessor;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.graph.vertex.GraphVertex;
import org.deeplearning4j.nn.graph.vertex.VertexIndices;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.updater.graph.ComputationGraphUpdater;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One view of a {@link MultiLayerNetwork} or {@link ComputationGraph} for the diagnostics: layers in
 * forward order, activations per layer, gradients, and a snapshot of every parameter and updater
 * value so that a diagnostic pass can promise to leave the network exactly as it found it.
 */
abstract class ModelAdapter {

    /** A layer of the network's walk ({@link NetworkWalker}), as the diagnostics use it. */
    static final class LayerRef {
        final NetworkLayer walked;
        final String name;
        final Layer layer;
        /** How the network's Gradient names this layer's parameters: "0_W" or "dense1_W". */
        final String gradientPrefix;

        LayerRef(NetworkLayer walked, String gradientPrefix) {
            this.walked = walked;
            this.name = walked.name();
            this.layer = walked.layer();
            this.gradientPrefix = gradientPrefix;
        }

        org.deeplearning4j.nn.conf.layers.Layer conf() {
            return layer.conf().getLayer();
        }

        /**
         * The activation function the layer applies to its output, or null: an ActivationLayer's own,
         * none for BatchNormalization (DL4J's never applies the one its configuration carries, by
         * default the network's sigmoid).
         */
        IActivation activation() {
            org.deeplearning4j.nn.conf.layers.Layer c = conf();
            if (c instanceof ActivationLayer) {
                return ((ActivationLayer) c).getActivationFn();
            }
            if (c instanceof BatchNormalization) {
                return null;
            }
            return c instanceof BaseLayer ? ((BaseLayer) c).getActivationFn() : null;
        }

        String type() {
            return conf().getClass().getSimpleName();
        }
    }

    private final List<LayerRef> layers;

    ModelAdapter(List<LayerRef> layers) {
        this.layers = layers;
    }

    /** @throws IllegalArgumentException for a network whose {@code init()} was not called */
    static ModelAdapter of(MultiLayerNetwork net) {
        List<LayerRef> layers = new ArrayList<>();
        for (NetworkLayer l : NetworkWalker.layers(net)) {
            layers.add(new LayerRef(l, l.index() + "_"));
        }
        return new Mln(net, layers);
    }

    /** @throws IllegalArgumentException for a graph whose {@code init()} was not called */
    static ModelAdapter of(ComputationGraph graph) {
        List<LayerRef> layers = new ArrayList<>();
        for (NetworkLayer l : NetworkWalker.layers(graph)) {
            layers.add(new LayerRef(l, l.name() + "_"));
        }
        return new Graph(graph, layers);
    }

    /** The layers in forward order: layer order, or a graph's topological order. */
    final List<LayerRef> layers() {
        return layers;
    }

    /**
     * Each layer's own output (inference mode), by layer name. DL4J's own forward pass cannot give
     * them: in inference mode its ActivationLayer applies its activation in place on the previous
     * layer's output, so that output would read as the activation's. Here every layer works on a copy
     * of its input, and the arrays recorded are never handed on.
     */
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

        Mln(MultiLayerNetwork net, List<LayerRef> layers) {
            super(layers);
            this.net = net;
        }

        @Override
        Map<String, INDArray> activations(INDArray[] features) {
            INDArray x = single(features);
            // As MultiLayerNetwork's own inference pass (ffToLayerActivationsDetached): each layer's
            // preprocessor, then the layer; the mini-batch size is the features' first dimension.
            int miniBatch = (int) x.size(0);
            LayerWorkspaceMgr mgr = LayerWorkspaceMgr.noWorkspaces();
            Map<String, INDArray> out = new LinkedHashMap<>();
            List<LayerRef> layers = layers();
            INDArray in = x.dup();
            for (int i = 0; i < layers.size(); i++) {
                InputPreProcessor pre = net.getLayerWiseConfigurations().getInputPreProcess(i);
                if (pre != null) {
                    in = pre.preProcess(in, miniBatch, mgr);
                }
                INDArray a = layers.get(i).layer.activate(in, false, mgr);
                out.put(layers.get(i).name, a);
                in = a.dup();
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

        Graph(ComputationGraph graph, List<LayerRef> layers) {
            super(layers);
            this.graph = graph;
        }

        @Override
        Map<String, INDArray> activations(INDArray[] features) {
            if (features.length != graph.getNumInputArrays()) {
                throw Args.invalid("features", features.length + " arrays", "one per input of the graph "
                        + graph.getConfiguration().getNetworkInputs());
            }
            // As ComputationGraph's own inference pass (ffToLayerActivationsDetached), in topological
            // order, except that each consumer of an output gets its own copy.
            graph.setInputs(features);
            LayerWorkspaceMgr mgr = LayerWorkspaceMgr.noWorkspaces();
            GraphVertex[] vertices = graph.getVertices();
            Map<String, INDArray> out = new HashMap<>();
            for (int idx : graph.topologicalSortOrder()) {
                GraphVertex v = vertices[idx];
                INDArray a = v.isInputVertex() ? features[v.getVertexIndex()] : v.doForward(false, mgr);
                out.put(v.getVertexName(), a);
                VertexIndices[] consumers = v.getOutputVertices();
                if (consumers != null) {
                    for (VertexIndices c : consumers) {
                        vertices[c.getVertexIndex()].setInput(c.getVertexEdgeNumber(), a.dup(), mgr);
                    }
                }
            }
            return out;
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
