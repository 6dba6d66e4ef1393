package io.github.dl4jinit.tests;

import io.github.dl4jinit.presets.AutoRules;
import io.github.dl4jinit.presets.TorchDefaults;
import io.github.dl4jinit.TorchInit;
import io.github.dl4jinit.diagnostics.InitDiagnostics;
import io.github.dl4jinit.diagnostics.Lsuv;
import io.github.dl4jinit.diagnostics.LsuvResult;
import io.github.dl4jinit.init.TorchDefaultInit;
import io.github.dl4jinit.sampling.TorchGenerator;
import io.github.dl4jinit.torch.LoadReport;
import io.github.dl4jinit.torch.TorchStateDict;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import io.github.dl4jinit.network.InitializationReport;
import io.github.dl4jinit.network.LayerSelector;
import io.github.dl4jinit.network.NetworkInitializer;
import io.github.dl4jinit.network.ParamRole;
import io.github.dl4jinit.network.ParamSelector;
import io.github.dl4jinit.network.TorchModule;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.transferlearning.FineTuneConfiguration;
import org.deeplearning4j.nn.transferlearning.TransferLearning;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.lossfunctions.LossFunctions;

import java.io.File;
import java.io.IOException;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Java examples of README.md, compiled and run. Each example's body is copied verbatim between
 * the {@code // doc:begin} and {@code // doc:end} markers; {@link #readmeShowsExactlyTheseExamples}
 * fails when README.md and this file drift apart.
 */
class ReadmeExamplesTest {

    @Test
    void quickStart() {
        // doc:begin
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder()
                .seed(42)
                .weightInit(new TorchDefaultInit())                  // nn.Linear / nn.Conv2d default weights
                .list()
                .layer(new DenseLayer.Builder().nIn(784).nOut(256).activation(Activation.RELU)
                        .weightInit(TorchInit.kaimingNormal(0, "fan_out", "relu")).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(256).nOut(10)
                        .activation(Activation.SOFTMAX).build())
                .build());
        net.init();
        // doc:end
        double std = net.getLayer(0).getParam("W").stdNumber().doubleValue();
        assertThat(std).isBetween(0.95 * Math.sqrt(2.0 / 256), 1.05 * Math.sqrt(2.0 / 256));
        double bound = 1 / Math.sqrt(256);
        assertThat(net.getLayer(1).getParam("W").amaxNumber().doubleValue()).isBetween(0.9 * bound, bound);
    }

    @Test
    void bitExactTensor() {
        // doc:begin
        INDArray w = Nd4j.create(DataType.FLOAT, 64, 128);                 // PyTorch shape (out, in)
        TorchInit.kaimingNormal(0, "fan_out", "relu").apply(w, new TorchGenerator(42));
        // == torch.manual_seed(42); nn.init.kaiming_normal_(w, mode="fan_out", nonlinearity="relu")
        // doc:end
        INDArray again = Nd4j.create(DataType.FLOAT, 64, 128);
        TorchInit.kaimingNormal(0, "fan_out", "relu").apply(again, new TorchGenerator(42));
        assertThat(again).isEqualTo(w);
        assertThat(w.stdNumber().doubleValue()).isBetween(0.9 * Math.sqrt(2.0 / 64), 1.1 * Math.sqrt(2.0 / 64));
    }

    @Test
    void configUse() {
        // doc:begin
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder()
                .weightInit(TorchInit.torchDefault())          // PyTorch's Linear/Conv weight rule
                .list()
                .layer(new DenseLayer.Builder().nIn(784).nOut(256).activation(Activation.RELU).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(256).nOut(10)
                        .activation(Activation.SOFTMAX).build())
                .build());
        net.init();
        // DL4J only gives biases a constant: add PyTorch's U(±1/√fan_in) biases (and weights) in place.
        TorchDefaults.initializer().initialize(net);
        // doc:end
        double bound = 1 / Math.sqrt(784);
        assertThat(net.getLayer(0).getParam("b").amaxNumber().doubleValue()).isBetween(bound / 2, bound);
    }

    @Test
    void pytorchPort() {
        MultiLayerNetwork net = Models.mnistCnn();
        // doc:begin
        // torch.manual_seed(42)
        // model = CNN()                       # each module's reset_parameters(), in construction order
        // model.apply(initialize_weights)     # the init loop, in registration order, same generator
        TorchGenerator g = new TorchGenerator(42);
        TorchDefaults.initializer().toBuilder().generator(g).build().initialize(net);

        LayerSelector conv2d = LayerSelector.isInstance(TorchModule.CONV2D);   // isinstance(m, nn.Conv2d)
        LayerSelector linear = LayerSelector.isInstance(TorchModule.LINEAR);
        NetworkInitializer.builder().generator(g)
                .rule(conv2d, TorchInit.kaimingUniform(0, "fan_in", "relu"), ParamSelector.weight())
                .rule(conv2d, TorchInit.zeros(), ParamSelector.bias().ifPresent())   // if m.bias is not None
                .rule(LayerSelector.named("conv2_bn"), TorchInit.ones(), ParamSelector.weight())
                .rule(LayerSelector.named("conv2_bn"), TorchInit.zeros(), ParamSelector.bias())
                .rule(linear, TorchInit.kaimingUniform(), ParamSelector.weight())
                .rule(linear, TorchInit.zeros(), ParamSelector.bias())
                .build()
                .initialize(net);
        // doc:end
        ProgramFixtures.of("tutorial_cnn", 42).assertStateDictMatches(ProgramFixtures.layers(net));
    }

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
    void reinitializeLoadedModel() throws IOException {
        File modelFile = new File(dir, "model.zip");
        ModelSerializer.writeModel(Models.mlp(), modelFile, true);
        // doc:begin
        MultiLayerNetwork model = ModelSerializer.restoreMultiLayerNetwork(modelFile, true);
        InitializationReport report = NetworkInitializer.builder()
                .rule(LayerSelector.named("fc3"), TorchInit.xavierUniform(), ParamRole.WEIGHT)
                .rule(LayerSelector.named("fc3"), TorchInit.zeros(), ParamRole.BIAS)
                .resetUpdater(true)       // zero Adam's moments of fc3 only
                .build()
                .initialize(model);
        System.out.println(report);
        // doc:end
        assertThat(report.entries()).hasSize(2);
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
    void stateDicts() throws IOException {
        java.nio.file.Path file = StateDictFixtures.file("mnist_cnn");
        java.nio.file.Path out = dir.toPath().resolve("from-dl4j.safetensors");
        MultiLayerNetwork net = Models.mnistCnn();
        // doc:begin
        TorchStateDict sd = TorchStateDict.read(file);    // file from safetensors.torch.save_file(model.state_dict(), ...)
        LoadReport report = sd.loadInto(net);             // refused, network untouched, if any key or shape does not fit
        System.out.println(report);                       // which tensor went into which parameter
        TorchStateDict.of(net).write(out);                // for model.load_state_dict(safetensors.torch.load_file(out))
        // doc:end
        assertThat(report.loaded()).isEqualTo(16);
        assertThat(TorchStateDict.read(out).names()).contains("fc1_bn.running_var");
    }

    @Test
    void diagnostics() {
        MultiLayerNetwork net = Models.mlp();
        Nd4j.getRandom().setSeed(3);
        INDArray features = Nd4j.rand(DataType.FLOAT, 128, 784);
        INDArray labels = Nd4j.zeros(DataType.FLOAT, 128, 10);
        for (int i = 0; i < 128; i++) {
            labels.putScalar(i, i % 10, 1.0);
        }
        // doc:begin
        InitDiagnostics report = InitDiagnostics.of(net, features, labels);
        System.out.println(report);                   // per-layer table, then the flags
        LsuvResult lsuv = Lsuv.builder().tolerance(0.1).maxIterations(10).build().initialize(net, features);
        System.out.println(lsuv);                     // iterations and final variance per layer
        // doc:end
        assertThat(report.layers()).hasSize(3);
        assertThat(lsuv.allConverged()).isTrue();
    }

    @TempDir
    File dir;

    /** Every ```java block of README.md is one of the marked bodies above, and vice versa. */
    @Test
    void readmeShowsExactlyTheseExamples() throws IOException {
        DocSnippets.assertDocumentShowsExactly("README.md", ReadmeExamplesTest.class, 9);
    }
}
