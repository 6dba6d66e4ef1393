package io.github.dl4jinit.diagnostics;

import io.github.dl4jinit.TorchInit;
import io.github.dl4jinit.network.LayerSelector;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LsuvTest {

    /** Measures every selected layer's pre-activation variance independently of Lsuv's own bookkeeping. */
    private static List<Double> variances(ModelAdapter model, INDArray[] x) {
        List<Double> out = new ArrayList<>();
        for (ModelAdapter.LayerRef ref : model.layers()) {
            if (Lsuv.weight(ref) != null) {
                out.add(Lsuv.preActivationVariance(model, ref, x));
            }
        }
        return out;
    }

    @Test
    void everyDenseLayerReachesUnitVarianceWithinTolerance() {
        MultiLayerNetwork net = Nets.mlp(8, 64, Activation.TANH, TorchInit.normal(0, 0.01));
        INDArray x = Nets.features(256, 32, 11);
        LsuvResult result = Lsuv.defaults().initialize(net, x);
        assertThat(result.entries()).hasSize(9);
        assertThat(result.allConverged()).isTrue();
        assertThat(variances(ModelAdapter.of(net), new INDArray[]{x})).allSatisfy(v -> assertThat(v).isBetween(0.9, 1.1));
        assertThat(result.toString()).contains("layer0").contains("yes");
    }

    @Test
    void convolutionLayersOfACnnAndATighterToleranceConverge() {
        MultiLayerNetwork net = Nets.cnn();
        INDArray x = Nets.features(64, 784, 12).muli(0.3).addi(0.2);
        LsuvResult result = Lsuv.builder().tolerance(0.02).maxIterations(20).build().initialize(net, x);
        assertThat(result.entries()).extracting(LsuvResult.Entry::type)
                .containsExactly("ConvolutionLayer", "ConvolutionLayer", "DenseLayer", "OutputLayer");
        assertThat(variances(ModelAdapter.of(net), new INDArray[]{x})).allSatisfy(v -> assertThat(v).isBetween(0.98, 1.02));
    }

    @Test
    void graphLayersAndLayerSelection() {
        ComputationGraph g = Nets.graph();
        INDArray b = g.getLayer("b").getParam("W").dup();
        INDArray x = Nets.features(128, 32, 13);
        LsuvResult result = Lsuv.builder().layers(LayerSelector.named("a", "out")).build().initialize(g, x);
        assertThat(result.entries()).extracting(LsuvResult.Entry::layer).containsExactly("a", "out");
        assertThat(result.allConverged()).isTrue();
        assertThat(g.getLayer("b").getParam("W")).isEqualTo(b);
    }

    @Test
    void badInputIsRefusedWithTheNetworkUnchanged() {
        MultiLayerNetwork net = Nets.mlp(2, 16, Activation.RELU, TorchInit.kaimingUniform());
        INDArray params = net.params().dup();
        assertThatThrownBy(() -> Lsuv.defaults().initialize(net, Nets.features(0, 32, 1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("non-empty");
        assertThatThrownBy(() -> Lsuv.defaults().initialize(net, Nets.features(4, 7, 1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("[4, 7]");
        assertThatThrownBy(() -> Lsuv.builder().layers(LayerSelector.where(l -> false, "no layer")).build().initialize(net, Nets.features(4, 32, 1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("layers");
        assertThatThrownBy(() -> Lsuv.builder().tolerance(0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("tolerance");
        assertThat(net.params()).isEqualTo(params);
    }
}
