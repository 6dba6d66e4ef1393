package io.github.dl4jinit.diagnostics;

import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A network whose {@code init()} was not called is refused as NetworkInitializer refuses it, and is
 * left as it was: the diagnostics never initialize it behind the caller's back.
 */
class NetworkBeforeInitTest {

    private static void refused(ThrowingCallable call, String argument) {
        assertThatThrownBy(call).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'" + argument + "'").hasMessageContaining("before init()")
                .hasMessageContaining("call " + argument + ".init() first");
    }

    @Test
    void multiLayerNetwork() {
        MultiLayerNetwork net = new MultiLayerNetwork(Nets.bnPatternConf());
        INDArray x = Nets.features(16, 32, 1);
        refused(() -> InitDiagnostics.of(net, x, null), "net");
        refused(() -> InitDiagnostics.of(net, x, Nets.labels(16, 1)), "net");
        refused(() -> Lsuv.defaults().initialize(net, x), "net");
        assertThat(net.getLayers()).as("layers of a network nobody initialized").isNull();
    }

    @Test
    void computationGraph() {
        ComputationGraph g = new ComputationGraph(Nets.sharedOutputGraphConf());
        INDArray[] x = {Nets.features(16, 32, 2)};
        refused(() -> InitDiagnostics.of(g, x, null), "graph");
        refused(() -> Lsuv.defaults().initialize(g, x), "graph");
        assertThat(g.getVertices()).as("vertices of a graph nobody initialized").isNull();
    }
}
