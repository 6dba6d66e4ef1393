package io.github.dl4jinit.tests;

import io.github.dl4jinit.network.InitializationReport;
import io.github.dl4jinit.presets.AutoRules;
import io.github.dl4jinit.presets.TorchDefaults;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.transferlearning.FineTuneConfiguration;
import org.deeplearning4j.nn.transferlearning.TransferLearning;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.lossfunctions.LossFunctions;

import java.io.IOException;

import static org.assertj.core.api.Assertions.assertThat;

/** The Java examples of docs/networks.md, compiled and run (see {@link DocSnippets}). */
class NetworksDocExamplesTest {

    @Test
    void pytorchPortOfAGraph() {
        MultiLayerNetwork net = Models.mlp();
        ComputationGraph graph = Models.twoBranch();
        // doc:begin
        // torch.manual_seed(42); model = Mlp()   (a constructor without an init loop)
        TorchDefaults.initializer(42).initialize(net);

        // A graph: give the order in which PyTorch built the modules (topological order otherwise).
        TorchDefaults.initializer(42).toBuilder()
                .constructionOrder("left", "right", "head")
                .build()
                .initialize(graph);
        // doc:end
        assertThat(Fixtures.bits(Fixtures.values(net.getLayer("fc1").getParam("W").transpose())))
                .isEqualTo(Fixtures.bits(Fixtures.values(Fixtures.load("mlp", 42, "fc1.weight"))));
        assertThat(Fixtures.bits(Fixtures.values(graph.getLayer("right").getParam("W").transpose())))
                .isEqualTo(Fixtures.bits(Fixtures.values(Fixtures.load("two_branch", 42, "right.weight"))));
    }

    @Test
    void transferLearning() {
        MultiLayerNetwork pretrained = Models.mlp();
        // doc:begin
        MultiLayerNetwork tuned = new TransferLearning.Builder(pretrained)
                .fineTuneConfiguration(new FineTuneConfiguration.Builder().build())
                .setFeatureExtractor(1)                       // fc1, fc2 frozen
                .removeOutputLayer()
                .addLayer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(128).nOut(5)
                        .activation(Activation.SOFTMAX).name("head").build())
                .build();
        // The new head gets PyTorch's defaults; frozen layers are skipped (and listed in the report).
        InitializationReport report = TorchDefaults.initializer().initialize(tuned);
        // Or by activation: ReLU -> Kaiming, tanh -> Xavier(5/3), SELU -> LeCun, ...
        AutoRules.initializer().initialize(tuned);
        // doc:end
        assertThat(report.skipped()).hasSize(2);
        assertThat(report.entries()).extracting(InitializationReport.Entry::layer).containsOnly("head");
    }

    @Test
    void documentShowsExactlyTheseExamples() throws IOException {
        DocSnippets.assertDocumentShowsExactly("docs/networks.md", NetworksDocExamplesTest.class, 2);
    }
}
