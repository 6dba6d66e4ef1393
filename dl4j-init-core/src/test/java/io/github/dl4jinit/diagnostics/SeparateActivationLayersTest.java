package io.github.dl4jinit.diagnostics;

import io.github.dl4jinit.network.LayerSelector;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.conditions.Conditions;
import org.nd4j.linalg.ops.transforms.Transforms;

import java.util.LinkedHashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * Diagnostics on networks whose nonlinearities are separate ActivationLayers (every BatchNorm network
 * is built so, since DL4J's BatchNormalization ignores its activation function). In inference mode
 * DL4J's ActivationLayer applies its activation in place on the previous layer's output; each layer
 * must still be measured on its own output. The expected values are computed here from the
 * parameters with plain matrix products, not through DL4J's forward pass.
 */
class SeparateActivationLayersTest {

    private static INDArray d(INDArray a) {
        return a.castTo(DataType.DOUBLE);
    }

    private static INDArray dense(INDArray x, Layer l) {
        return d(x).mmul(d(l.getParam("W"))).addiRowVector(d(l.getParam("b")));
    }

    /** DL4J's inference-mode BatchNormalization: gamma · (z − mean) / √(var + eps) + beta, var = (10^log10stdev)². */
    private static INDArray batchNorm(INDArray z, Layer l) {
        double eps = ((BatchNormalization) l.conf().getLayer()).getEps();
        INDArray std = Transforms.sqrt(Transforms.pow(Transforms.exp(d(l.getParam("log10stdev")).muli(Math.log(10))), 2, false).addi(eps), false);
        return z.subRowVector(d(l.getParam("mean"))).diviRowVector(std).muliRowVector(d(l.getParam("gamma")))
                .addiRowVector(d(l.getParam("beta")));
    }

    private static INDArray relu(INDArray a) {
        return Transforms.relu(a, true);
    }

    /** Every layer's output of {@link Nets#bnPattern()}, by layer name, computed from its parameters. */
    private static Map<String, INDArray> expected(MultiLayerNetwork net, INDArray x) {
        Map<String, INDArray> out = new LinkedHashMap<>();
        INDArray z1 = dense(x, net.getLayer("fc1"));
        out.put("fc1", z1);
        INDArray bn = batchNorm(z1, net.getLayer("bn1"));
        out.put("bn1", bn);
        INDArray r = relu(bn);
        out.put("relu1", r);
        INDArray z2 = dense(r, net.getLayer("fc2"));
        out.put("fc2", z2);
        INDArray t = Transforms.tanh(z2, true);
        out.put("tanh2", t);
        out.put("out", Transforms.softmax(dense(t, net.getLayer("out")), true));
        return out;
    }

    private static void assertMeasuredOn(LayerStats s, INDArray expected) {
        double mean = expected.meanNumber().doubleValue();
        double std = expected.stdNumber().doubleValue();
        assertThat(s.mean()).as(s.name() + " mean").isCloseTo(mean, within(1e-4 * (1 + std)));
        assertThat(s.std()).as(s.name() + " std").isCloseTo(std, within(1e-4 * (1 + std)));
    }

    private static double zeroFraction(INDArray a) {
        return a.scan(Conditions.equals(0.0)).doubleValue() / a.length();
    }

    @Test
    void everyLayerOfTheBatchNormPatternIsMeasuredOnItsOwnOutput() {
        MultiLayerNetwork net = Nets.bnPattern();
        INDArray x = Nets.features(256, 32, 21);
        Map<String, INDArray> expected = expected(net, x);
        InitDiagnostics report = InitDiagnostics.of(net, x, Nets.labels(256, 21));

        assertThat(report.layers()).extracting(LayerStats::name).containsExactlyElementsOf(expected.keySet());
        for (LayerStats s : report.layers()) {
            assertMeasuredOn(s, expected.get(s.name()));
        }
        // What went wrong before: BatchNorm's row showed the ReLU's output (mean > 0), the Dense rows
        // their ActivationLayer's. The difference is far beyond the tolerance above.
        assertThat(expected.get("relu1").meanNumber().doubleValue() - expected.get("bn1").meanNumber().doubleValue())
                .isGreaterThan(0.1);
        assertThat(expected.get("fc2").stdNumber().doubleValue() - expected.get("tanh2").stdNumber().doubleValue())
                .isGreaterThan(0.01);
    }

    @Test
    void batchNormIsListedWithoutTheActivationItIgnoresAndActivationLayersWithTheirs() {
        MultiLayerNetwork net = Nets.bnPattern();
        INDArray x = Nets.features(256, 32, 22);
        Map<String, INDArray> expected = expected(net, x);
        InitDiagnostics report = InitDiagnostics.of(net, x, null);
        Map<String, LayerStats> byName = new LinkedHashMap<>();
        report.layers().forEach(s -> byName.put(s.name(), s));

        LayerStats bn = byName.get("bn1");
        assertThat(bn.activation()).isEqualTo("-");
        assertThat(bn.zeroFraction()).isNaN();
        assertThat(bn.saturatedFraction()).isNaN();
        assertThat(report.flags()).noneMatch(f -> f.contains("bn1"));

        LayerStats relu = byName.get("relu1");
        assertThat(relu.activation()).isEqualToIgnoringCase("relu");
        assertThat(relu.zeroFraction()).isCloseTo(zeroFraction(expected.get("relu1")), within(2.0 / (256 * 48)))
                .isBetween(0.2, 0.8);
        LayerStats tanh = byName.get("tanh2");
        assertThat(tanh.activation()).isEqualToIgnoringCase("tanh");
        assertThat(tanh.saturatedFraction()).isBetween(0.0, 1.0);
    }

    @Test
    void aDeadReluActivationLayerIsFlagged() {
        MultiLayerNetwork net = Nets.bnPattern();
        // Every pre-activation of fc1 far below zero: BatchNorm (running statistics 0 and 1 at
        // initialization) keeps them negative, and the ReLU after it outputs only zeros.
        net.getLayer("fc1").getParam("b").assign(-100);
        InitDiagnostics report = InitDiagnostics.of(net, Nets.features(128, 32, 23), null);
        assertThat(report.layers().get(2).zeroFraction()).isEqualTo(1.0);
        assertThat(report.flags()).anyMatch(f -> f.startsWith("dead") && f.contains("relu1"));
        assertThat(report.flags()).noneMatch(f -> f.startsWith("saturated"));
    }

    @Test
    void layersWithoutParametersOrMeasurementsPrintDashesNotNaN() {
        MultiLayerNetwork net = Nets.bnPattern();
        INDArray x = Nets.features(64, 32, 24);
        String withLabels = InitDiagnostics.of(net, x, Nets.labels(64, 24)).toString();
        String withoutLabels = InitDiagnostics.of(net, x, null).toString();
        assertThat(withLabels).doesNotContain("NaN");
        assertThat(withoutLabels).doesNotContain("NaN");
        assertThat(lastCell(withLabels, "relu1")).isEqualTo("-");
        assertThat(lastCell(withLabels, "fc1")).isNotEqualTo("-");
    }

    /** The last cell of a layer's row in the printed table. */
    private static String lastCell(String table, String layer) {
        String row = table.lines().filter(l -> l.startsWith("| " + layer + " ")).findFirst().orElseThrow();
        String[] cells = row.split("\\|");
        return cells[cells.length - 1].trim();
    }

    @Test
    void aGraphVertexThatWorksInPlaceDoesNotChangeWhatItsInputSharesWithOthers() {
        ComputationGraph g = Nets.sharedOutputGraph();
        INDArray x = Nets.features(128, 32, 25);
        INDArray z = dense(x, g.getLayer("fc"));
        INDArray r = relu(z);
        INDArray merged = org.nd4j.linalg.factory.Nd4j.hstack(z, r);
        INDArray out = Transforms.softmax(dense(merged, g.getLayer("out")), true);
        InitDiagnostics report = InitDiagnostics.of(g, new INDArray[]{x}, new INDArray[]{Nets.labels(128, 25)});
        assertThat(report.layers()).extracting(LayerStats::name).containsExactly("fc", "relu", "out");
        assertMeasuredOn(report.layers().get(0), z);
        assertMeasuredOn(report.layers().get(1), r);
        assertMeasuredOn(report.layers().get(2), out);
        assertThat(report.layers().get(1).zeroFraction()).isCloseTo(zeroFraction(r), within(2.0 / r.length()));
    }

    @Test
    void lsuvScalesTheDenseOutputNotTheReluAfterIt() {
        MultiLayerNetwork net = Nets.bnPattern();
        INDArray x = Nets.features(256, 32, 26);
        LsuvResult result = Lsuv.builder().layers(LayerSelector.named("fc1", "fc2")).build().initialize(net, x);
        assertThat(result.entries()).extracting(LsuvResult.Entry::layer).containsExactly("fc1", "fc2");
        assertThat(result.allConverged()).isTrue();
        Map<String, INDArray> after = expected(net, x);
        // Var(z) of each Dense layer's own output, measured here from its parameters: before, LSUV
        // measured relu(z) for fc1 and tanh(z) for fc2 and left Var(z) far from 1.
        assertThat(after.get("fc1").varNumber().doubleValue()).isBetween(0.9, 1.1);
        assertThat(after.get("fc2").varNumber().doubleValue()).isBetween(0.9, 1.1);
        for (LsuvResult.Entry e : result.entries()) {
            assertThat(e.variance()).isCloseTo(after.get(e.layer()).varNumber().doubleValue(), within(1e-3));
        }
    }
}
