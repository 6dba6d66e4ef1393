package io.github.dl4jinit.tests;

import io.github.dl4jinit.network.NetworkWalker;
import io.github.dl4jinit.torch.LoadReport;
import io.github.dl4jinit.torch.TorchStateDict;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * PyTorch-trained state_dicts (safetensors.torch.save_file, torch 2.13) loaded into DL4J twins:
 * every parameter bit for bit, the eval-mode forward pass within 1e-5 of PyTorch's.
 */
class StateDictParityTest {

    @Test
    void mnistCnnWithBatchNormStatistics() throws IOException {
        MultiLayerNetwork net = Models.mnistCnn();
        LoadReport report = TorchStateDict.read(StateDictFixtures.file("mnist_cnn")).loadInto(net);
        StateDictFixtures.assertParametersMatch("mnist_cnn", NetworkWalker.layers(net));
        StateDictFixtures.assertForward("mnist_cnn", net.output(StateDictFixtures.npy("mnist_cnn", "input")));
        assertThat(report.loaded()).isEqualTo(16);
        assertThat(report.rows(LoadReport.Status.IGNORED)).extracting(r -> r.keys().get(0))
                .containsExactly("conv2_bn.num_batches_tracked", "fc1_bn.num_batches_tracked");
        assertThat(report.missingKeys()).isEmpty();
        assertThat(report.unexpectedKeys()).isEmpty();
        assertThat(report.toString()).contains("conv2_bn", "running_var", "log10stdev", "ignored");
    }

    @Test
    void mlp() throws IOException {
        MultiLayerNetwork net = Models.mlp();
        TorchStateDict.read(StateDictFixtures.file("mlp")).loadInto(net);
        StateDictFixtures.assertParametersMatch("mlp", NetworkWalker.layers(net));
        StateDictFixtures.assertForward("mlp", net.output(StateDictFixtures.npy("mlp", "input")));
    }

    @Test
    void embeddingLstmLinear() throws IOException {
        MultiLayerNetwork net = Models.embedLstm();
        LoadReport report = TorchStateDict.read(StateDictFixtures.file("embed_lstm")).loadInto(net);
        StateDictFixtures.assertParametersMatch("embed_lstm", NetworkWalker.layers(net));
        // PyTorch: (batch, time, 5); DL4J's RnnOutputLayer: (batch, 5, time).
        StateDictFixtures.assertForward("embed_lstm",
                net.output(StateDictFixtures.npy("embed_lstm", "input")).permute(0, 2, 1));
        assertThat(report.rows(LoadReport.Status.LOADED)).anySatisfy(r -> {
            assertThat(r.keys()).containsExactly("lstm.bias_ih_l0", "lstm.bias_hh_l0");
            assertThat(r.note()).contains("sum");
        });
    }

    @Test
    void twoBranchGraph() throws IOException {
        ComputationGraph g = Models.twoBranch();
        TorchStateDict.read(StateDictFixtures.file("two_branch")).loadInto(g);
        StateDictFixtures.assertParametersMatch("two_branch", NetworkWalker.layers(g));
        StateDictFixtures.assertForward("two_branch", g.outputSingle(StateDictFixtures.npy("two_branch", "input")));
    }

    /** float64 rounds to nearest as PyTorch's .float(); bfloat16 and float16 widen exactly. */
    @ParameterizedTest
    @ValueSource(strings = {"two_branch_f64", "two_branch_bf16", "two_branch_f16"})
    void otherFloatTypesAreConverted(String model) throws IOException {
        ComputationGraph g = Models.twoBranch();
        TorchStateDict sd = TorchStateDict.read(StateDictFixtures.file(model));
        LoadReport report = sd.loadInto(g);
        StateDictFixtures.assertParametersMatch(model, NetworkWalker.layers(g));
        assertThat(report.rows(LoadReport.Status.LOADED)).allSatisfy(r ->
                assertThat(r.note()).contains("converted to FLOAT"));
    }
}
