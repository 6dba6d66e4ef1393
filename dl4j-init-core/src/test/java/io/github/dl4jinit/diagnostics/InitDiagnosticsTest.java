package io.github.dl4jinit.diagnostics;

import io.github.dl4jinit.TorchInit;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class InitDiagnosticsTest {

    @Test
    void flagsVanishingSignalInDeepTanhNetWithTinyWeights() {
        MultiLayerNetwork net = Nets.mlp(30, 64, Activation.TANH, TorchInit.normal(0, 0.01));
        InitDiagnostics report = InitDiagnostics.of(net, Nets.features(256, 32, 1), Nets.labels(256, 1));
        assertThat(report.hasVanishing()).isTrue();
        assertThat(report.flags()).anyMatch(f -> f.startsWith("vanishing"));
        assertThat(report.layers()).hasSize(31);
        assertThat(report.layers().get(29).std()).isLessThan(1e-6);
        assertThat(report.toString()).contains("vanishing").contains("layer0");
    }

    @Test
    void flagsNothingOnKaimingReluNet() {
        MultiLayerNetwork net = Nets.mlp(10, 128, Activation.RELU, TorchInit.kaimingNormal(0, "fan_in", "relu"));
        InitDiagnostics report = InitDiagnostics.of(net, Nets.features(512, 32, 2), Nets.labels(512, 2));
        assertThat(report.flags()).isEmpty();
        assertThat(report.hasVanishing()).isFalse();
        assertThat(report.hasExploding()).isFalse();
        LayerStats first = report.layers().get(0);
        LayerStats last = report.layers().get(9);
        assertThat(last.std() / first.std()).isBetween(0.2, 5.0);
        assertThat(first.zeroFraction()).isBetween(0.3, 0.7);
        assertThat(first.gradientNorm()).isPositive();
    }

    @Test
    void flagsDeadAndExplodingLayers() {
        MultiLayerNetwork net = Nets.mlp(6, 64, Activation.RELU, TorchInit.uniform(0, 1));
        InitDiagnostics report = InitDiagnostics.of(net, Nets.features(128, 32, 3), Nets.labels(128, 3));
        assertThat(report.hasExploding()).isTrue();
        MultiLayerNetwork saturated = Nets.mlp(3, 64, Activation.TANH, TorchInit.normal(0, 3));
        assertThat(InitDiagnostics.of(saturated, Nets.features(128, 32, 4), null).flags())
                .anyMatch(f -> f.startsWith("saturated"));
    }

    @Test
    void leavesParametersAndUpdaterStateBitIdentical() {
        MultiLayerNetwork net = Nets.mlp(3, 32, Activation.RELU, TorchInit.kaimingUniform());
        INDArray x = Nets.features(64, 32, 5);
        INDArray y = Nets.labels(64, 5);
        net.fit(new DataSet(x, y));
        INDArray params = net.params().dup();
        INDArray state = net.getUpdater().getStateViewArray().dup();
        InitDiagnostics.of(net, x, y);
        assertThat(net.params()).isEqualTo(params);
        assertThat(net.getUpdater().getStateViewArray()).isEqualTo(state);
    }

    @Test
    void graphsAreReportedPerVertex() {
        InitDiagnostics report = InitDiagnostics.of(Nets.graph(), new INDArray[]{Nets.features(64, 32, 6)},
                new INDArray[]{Nets.labels(64, 6)});
        assertThat(report.layers()).extracting(LayerStats::name).containsExactly("a", "b", "out");
        assertThat(report.layers().get(1).saturatedFraction()).isBetween(0.0, 1.0);
    }

    @Test
    void badBatchesAreRefusedAndLeaveTheNetworkUnchanged() {
        MultiLayerNetwork net = Nets.mlp(2, 16, Activation.RELU, TorchInit.kaimingUniform());
        INDArray params = net.params().dup();
        assertThatThrownBy(() -> InitDiagnostics.of(net, Nets.features(0, 32, 1), null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("features").hasMessageContaining("non-empty");
        assertThatThrownBy(() -> InitDiagnostics.of(net, Nets.features(8, 31, 1), null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("features").hasMessageContaining("[8, 31]");
        INDArray nan = Nets.features(8, 32, 1);
        nan.putScalar(3, 4, Double.NaN);
        assertThatThrownBy(() -> InitDiagnostics.of(net, nan, null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("NaN");
        assertThat(net.params()).isEqualTo(params);
    }
}
