package io.github.dl4jinit.tests;

import io.github.dl4jinit.TorchInit;
import io.github.dl4jinit.init.Constant;
import io.github.dl4jinit.init.XavierUniform;
import io.github.dl4jinit.network.InitializationReport;
import io.github.dl4jinit.network.LayerSelector;
import io.github.dl4jinit.network.NetworkInitializer;
import io.github.dl4jinit.network.ParamRole;
import io.github.dl4jinit.presets.TorchDefaults;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.transferlearning.FineTuneConfiguration;
import org.deeplearning4j.nn.transferlearning.TransferLearning;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

import java.io.File;
import java.io.IOException;

import static io.github.dl4jinit.tests.Fixtures.bits;
import static io.github.dl4jinit.tests.Fixtures.values;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Re-initializing part of a model restored with ModelSerializer (or built by TransferLearning):
 * only the selected parameters change, and only their updater state is reset.
 */
class NetworkInitializerRestoreTest {

    @TempDir
    File dir;

    /** The MLP after a few Adam steps, saved and restored with its updater. */
    private MultiLayerNetwork trainedAndRestored() throws IOException {
        MultiLayerNetwork net = Models.mlp();
        Nd4j.getRandom().setSeed(3);
        DataSet data = new DataSet(Nd4j.rand(DataType.FLOAT, 16, 784), Nd4j.rand(DataType.FLOAT, 16, 10));
        for (int i = 0; i < 3; i++) {
            net.fit(data);
        }
        File f = new File(dir, "mlp.zip");
        ModelSerializer.writeModel(net, f, true);
        return ModelSerializer.restoreMultiLayerNetwork(f, true);
    }

    private static long offsetOf(MultiLayerNetwork net, int layer) {
        long off = 0;
        for (int i = 0; i < layer; i++) {
            off += net.getLayer(i).numParams();
        }
        return off;
    }

    @Test
    void reinitializingTheHeadChangesOnlyTheHeadAndItsUpdaterState() throws IOException {
        MultiLayerNetwork net = trainedAndRestored();
        float[] paramsBefore = values(net.params());
        float[] stateBefore = values(net.getUpdater().getStateViewArray());
        int iterations = net.getIterationCount();
        assertThat(iterations).isEqualTo(3);

        InitializationReport report = NetworkInitializer.builder()
                .rule(LayerSelector.named("fc3"), new XavierUniform(), ParamRole.WEIGHT)
                .rule(LayerSelector.named("fc3"), new Constant(0), ParamRole.BIAS)
                .resetUpdater(true)
                .build().initialize(net);

        long n = net.numParams();
        long from = offsetOf(net, 2);
        float[] paramsAfter = values(net.params());
        float[] stateAfter = values(net.getUpdater().getStateViewArray());
        // Parameters: fc1 and fc2 bit-identical, fc3 changed, fc3's bias zero.
        for (long i = 0; i < from; i++) {
            assertThat(Float.floatToIntBits(paramsAfter[(int) i])).isEqualTo(Float.floatToIntBits(paramsBefore[(int) i]));
        }
        assertThat(net.getLayer("fc3").getParam("W").equals(
                Nd4j.create(paramsBefore).get(org.nd4j.linalg.indexing.NDArrayIndex.interval(from, from + 1280)))).isFalse();
        assertThat(net.getLayer("fc3").getParam("b").sumNumber().doubleValue()).isZero();
        assertThat(net.getLayer("fc3").getParam("b").amaxNumber().doubleValue()).isZero();
        // Adam keeps [m | v], each in parameter order: only fc3's slices of both are zeroed.
        assertThat(stateAfter.length).isEqualTo((int) (2 * n));
        for (int i = 0; i < stateAfter.length; i++) {
            long p = i % n;
            if (p >= from) {
                assertThat(stateAfter[i]).as("state of fc3 at %d", i).isZero();
            } else {
                assertThat(Float.floatToIntBits(stateAfter[i])).as("state at %d", i)
                        .isEqualTo(Float.floatToIntBits(stateBefore[i]));
            }
        }
        assertThat(stateBefore[(int) from]).isNotZero();
        // Part of the network only: the iteration count stays.
        assertThat(net.getIterationCount()).isEqualTo(iterations);
        assertThat(report.entries()).extracting(InitializationReport.Entry::layer).containsOnly("fc3");
        assertThat(report.schemeOf("fc3", "W")).isEqualTo("XavierUniform(gain=1.0)");
    }

    @Test
    void resettingTheWholeNetworkResetsUpdaterAndCounts() throws IOException {
        MultiLayerNetwork net = trainedAndRestored();
        TorchDefaults.initializer(0).toBuilder().resetUpdater(true).build().initialize(net);
        assertThat(net.getUpdater().getStateViewArray().amaxNumber().doubleValue()).isZero();
        assertThat(net.getIterationCount()).isZero();
        assertThat(net.getEpochCount()).isZero();
        assertThat(bits(values(net.getLayer("fc1").getParam("W").transpose())))
                .isEqualTo(bits(values(Fixtures.load("mlp", 0, "fc1.weight"))));
    }

    @Test
    void withoutResetTheUpdaterStateIsUntouched() throws IOException {
        MultiLayerNetwork net = trainedAndRestored();
        float[] stateBefore = values(net.getUpdater().getStateViewArray());
        TorchDefaults.initializer().initialize(net);
        assertThat(bits(values(net.getUpdater().getStateViewArray()))).isEqualTo(bits(stateBefore));
        assertThat(net.getIterationCount()).isEqualTo(3);
    }

    @Test
    void frozenLayersOfTransferLearningAreSkippedUnlessAskedFor() {
        MultiLayerNetwork base = Models.mlp();
        MultiLayerNetwork tl = new TransferLearning.Builder(base)
                .fineTuneConfiguration(new FineTuneConfiguration.Builder().build())
                .setFeatureExtractor(1)
                .build();
        float[] fc1 = values(tl.getLayer(0).getParam("W"));
        float[] fc2 = values(tl.getLayer(1).getParam("W"));
        InitializationReport report = TorchDefaults.initializer(0).initialize(tl);
        assertThat(bits(values(tl.getLayer(0).getParam("W")))).isEqualTo(bits(fc1));
        assertThat(bits(values(tl.getLayer(1).getParam("W")))).isEqualTo(bits(fc2));
        assertThat(report.skipped()).extracting(InitializationReport.Skipped::reason)
                .hasSize(2).allMatch(r -> r.startsWith("frozen"));
        assertThat(report.toString()).contains("Frozen").contains("frozen");

        TorchDefaults.initializer(0).toBuilder().includeFrozen(true).build().initialize(tl);
        // With frozen layers included, the draws are PyTorch's for the whole MLP.
        assertThat(bits(values(tl.getLayer(0).getParam("W").transpose())))
                .isEqualTo(bits(values(Fixtures.load("mlp", 0, "fc1.weight"))));
        assertThat(bits(values(tl.getLayer(2).getParam("W").transpose())))
                .isEqualTo(bits(values(Fixtures.load("mlp", 0, "fc3.weight"))));
    }

    @Test
    void aRuleThatNamesAFrozenLayerIsRefusedUnlessFrozenLayersAreIncluded() {
        MultiLayerNetwork tl = new TransferLearning.Builder(Models.mlp())
                .fineTuneConfiguration(new FineTuneConfiguration.Builder().build())
                .setFeatureExtractor(1)
                .build();
        float[] before = values(tl.params());
        NetworkInitializer named = NetworkInitializer.builder()
                .rule(LayerSelector.named("fc2"), TorchInit.zeros(), ParamRole.BIAS).build();
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> named.initialize(tl));
        assertThat(e.getMessage()).contains("'fc2'", "frozen", "includeFrozen(true)");
        assertThat(bits(values(tl.params()))).isEqualTo(bits(before));
        InitializationReport r = named.toBuilder().includeFrozen(true).build().initialize(tl);
        assertThat(r.entries()).extracting(InitializationReport.Entry::layer).containsExactly("fc2");
        assertThat(tl.getLayer(1).getParam("b").amaxNumber().doubleValue()).isZero();
    }

    @Test
    void graphUpdaterStateOfUntouchedLayersIsKept() throws IOException {
        ComputationGraph g = Models.twoBranch();
        DataSet data = new DataSet(Nd4j.rand(DataType.FLOAT, 8, 12), Nd4j.rand(DataType.FLOAT, 8, 4));
        for (int i = 0; i < 2; i++) {
            g.fit(data);
        }
        File f = new File(dir, "graph.zip");
        ModelSerializer.writeModel(g, f, true);
        ComputationGraph restored = ModelSerializer.restoreComputationGraph(f, true);
        int[] leftW = bits(values(restored.getLayer("left").getParam("W")));
        float[] before = values(restored.getUpdater().getStateViewArray());
        NetworkInitializer.builder()
                .rule(LayerSelector.named("head"), new XavierUniform(), ParamRole.WEIGHT)
                .resetUpdater(true).build().initialize(restored);
        float[] after = values(restored.getUpdater().getStateViewArray());
        assertThat(bits(values(restored.getLayer("left").getParam("W")))).isEqualTo(leftW);
        int changed = 0;
        for (int i = 0; i < after.length; i++) {
            if (Float.floatToIntBits(after[i]) != Float.floatToIntBits(before[i])) {
                changed++;
                assertThat(after[i]).isZero();
            }
        }
        // Adam: m and v of head's 24 x 4 weight, and nothing else.
        assertThat(changed).isGreaterThan(24 * 4).isLessThanOrEqualTo(2 * 24 * 4);
        assertThat(restored.getConfiguration().getIterationCount()).isEqualTo(2);
    }
}
