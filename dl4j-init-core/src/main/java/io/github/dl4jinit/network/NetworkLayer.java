package io.github.dl4jinit.network;

import org.deeplearning4j.nn.conf.layers.Layer;

import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * One layer of a network as {@link LayerTable} describes it: where it is, what it is, its
 * parameters in PyTorch's draw order, and its PyTorch twin (or why it has none).
 */
public final class NetworkLayer {
    private final String name;
    private final int index;
    private final org.deeplearning4j.nn.api.Layer layer;
    private final Layer config;
    private final List<Class<?>> wrappers;
    private final boolean frozen;
    private final TorchModule torchModule;
    private final String torchTwin;
    private final String noTwinReason;
    private final List<LayerParam> params;

    NetworkLayer(String name, int index, org.deeplearning4j.nn.api.Layer layer, Layer config, List<Class<?>> wrappers, boolean frozen,
                TorchModule torchModule, String torchTwin, String noTwinReason, List<LayerParam> params) {
        this.name = name;
        this.index = index;
        this.layer = layer;
        this.config = config;
        this.wrappers = Collections.unmodifiableList(wrappers);
        this.frozen = frozen;
        this.torchModule = torchModule;
        this.torchTwin = torchTwin;
        this.noTwinReason = noTwinReason;
        this.params = Collections.unmodifiableList(params);
    }

    /** The layer's name (MultiLayerNetwork: the configured name, DL4J's {@code layer0}... when unnamed; graph: the vertex name). */
    public String name() {
        return name;
    }

    /** Position in the walk order (layer index, or position in the graph's module order). */
    public int index() {
        return index;
    }

    /** The runtime layer as the network holds it (wrappers included). */
    public org.deeplearning4j.nn.api.Layer layer() {
        return layer;
    }

    /** The configuration of the innermost layer (wrappers removed). */
    public Layer config() {
        return config;
    }

    /** Configuration classes of the wrappers around it, outermost first (FrozenLayer, Bidirectional...). */
    public List<Class<?>> wrappers() {
        return wrappers;
    }

    /** True inside FrozenLayer or FrozenLayerWithBackprop. */
    public boolean frozen() {
        return frozen;
    }

    /** The PyTorch module class this layer stands for ({@code isinstance(m, ...)}); null without one. */
    public TorchModule torchModule() {
        return torchModule;
    }

    /** The same layer under another position in the walk order. */
    NetworkLayer atIndex(int newIndex) {
        return new NetworkLayer(name, newIndex, layer, config, wrappers, frozen, torchModule, torchTwin, noTwinReason, params);
    }

    /** How the report describes the PyTorch module this layer stands for, e.g. {@code "Linear"}; null without one. */
    public String torchTwin() {
        return torchTwin;
    }

    /** Why there is no twin; null when there is one. */
    public String noTwinReason() {
        return noTwinReason;
    }

    /** Parameters in PyTorch's draw order (weight before bias). */
    public List<LayerParam> params() {
        return params;
    }

    /** The roles of this layer's parameters. */
    public Set<ParamRole> roles() {
        Set<ParamRole> s = EnumSet.noneOf(ParamRole.class);
        for (LayerParam p : params) {
            s.add(p.role());
        }
        return s;
    }

    /** A short type description: inner config class with its wrappers, e.g. {@code Frozen(DenseLayer)}. */
    public String typeName() {
        String s = config.getClass().getSimpleName();
        for (int i = wrappers.size() - 1; i >= 0; i--) {
            s = wrappers.get(i).getSimpleName() + "(" + s + ")";
        }
        return s;
    }

    @Override
    public String toString() {
        return "layer '" + name + "' #" + index + " (" + typeName() + ")";
    }
}
