package io.github.dl4jinit.tests;

import io.github.dl4jinit.TorchInit;
import io.github.dl4jinit.init.TorchDefaultBias;
import io.github.dl4jinit.init.TorchDefaultInit;
import io.github.dl4jinit.network.InitializationReport;
import io.github.dl4jinit.network.LayerSelector;
import io.github.dl4jinit.network.NetworkInitializer;
import io.github.dl4jinit.network.ParamRole;
import io.github.dl4jinit.network.ParamSelector;
import io.github.dl4jinit.network.TorchModule;
import io.github.dl4jinit.presets.TorchDefaults;
import io.github.dl4jinit.sampling.TorchGenerator;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
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
    void configurationPath() {
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
        // DL4J gives biases only a constant: PyTorch's U(±1/√fan_in), with each weight's fan_in.
        NetworkInitializer.builder()
                .rule(LayerSelector.all(), new TorchDefaultBias(), ParamRole.BIAS)
                .build()
                .initialize(net);
        // doc:end
        double std = net.getLayer(0).getParam("W").stdNumber().doubleValue();
        assertThat(std).isBetween(0.95 * Math.sqrt(2.0 / 256), 1.05 * Math.sqrt(2.0 / 256));
        double bound = 1 / Math.sqrt(256);
        assertThat(net.getLayer(1).getParam("W").amaxNumber().doubleValue()).isBetween(0.9 * bound, bound);
        // the biases: U(±1/√784) and U(±1/√256), no longer DL4J's constant 0
        assertThat(net.getLayer(0).getParam("b").amaxNumber().doubleValue()).isBetween(0.9 / Math.sqrt(784), 1 / Math.sqrt(784));
        assertThat(net.getLayer(1).getParam("b").amaxNumber().doubleValue()).isBetween(0.5 / Math.sqrt(256), 1 / Math.sqrt(256));
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

    @TempDir
    File dir;

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

    /** Every ```java block of README.md is one of the marked bodies above, and vice versa. */
    @Test
    void readmeShowsExactlyTheseExamples() throws IOException {
        DocSnippets.assertDocumentShowsExactly("README.md", ReadmeExamplesTest.class, 3);
    }
}
