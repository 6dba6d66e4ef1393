package io.github.dl4jinit.network;

import io.github.dl4jinit.internal.Args;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.graph.vertex.GraphVertex;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The one walk over a network's layers that every part of the library shares (initializers,
 * diagnostics, LSUV, state_dicts): which layers, under which names, in which order, each described by
 * {@link LayerTable}.
 * <ul>
 *   <li>MultiLayerNetwork: layer order; a layer is named by its configured name (DL4J names an
 *       unnamed one {@code layer0}, {@code layer1}..., and so does this walk where even that is
 *       missing); {@link NetworkLayer#index()} is the layer index.</li>
 *   <li>ComputationGraph: the layer vertices in topological order, named by their vertex names;
 *       {@link NetworkLayer#index()} is the position in that order.</li>
 * </ul>
 *
 * <p>Internal: public for the library's own packages; its API may change without notice.
 */
public final class NetworkWalker {
    private NetworkWalker() {
    }

    /**
     * The layers of a MultiLayerNetwork.
     *
     * @throws IllegalArgumentException before {@code net.init()}
     */
    public static List<NetworkLayer> layers(MultiLayerNetwork net) {
        Args.notNull("net", net);
        Layer[] ls = net.getLayers();
        if (ls == null) {
            throw Args.beforeInit("net", "network");
        }
        List<NetworkLayer> out = new ArrayList<>();
        for (int i = 0; i < ls.length; i++) {
            String name = ls[i].conf().getLayer().getLayerName();
            out.add(LayerTable.describe(name == null ? "layer" + i : name, i, ls[i]));
        }
        return Collections.unmodifiableList(out);
    }

    /**
     * The layer vertices of a ComputationGraph.
     *
     * @throws IllegalArgumentException before {@code graph.init()}
     */
    public static List<NetworkLayer> layers(ComputationGraph graph) {
        Args.notNull("graph", graph);
        if (graph.getVertices() == null) {
            throw Args.beforeInit("graph", "graph");
        }
        List<NetworkLayer> out = new ArrayList<>();
        for (int idx : graph.topologicalSortOrder()) {
            GraphVertex v = graph.getVertices()[idx];
            if (v.hasLayer()) {
                out.add(LayerTable.describe(v.getVertexName(), out.size(), v.getLayer()));
            }
        }
        return Collections.unmodifiableList(out);
    }
}
