package io.github.dl4jinit.tests;

import io.github.dl4jinit.TorchInit;
import io.github.dl4jinit.network.LayerSelector;
import io.github.dl4jinit.network.NetworkInitializer;
import io.github.dl4jinit.network.ParamSelector;
import io.github.dl4jinit.network.Rule;
import io.github.dl4jinit.network.TorchModule;
import io.github.dl4jinit.presets.TorchDefaults;
import io.github.dl4jinit.presets.TorchInitLoops;
import io.github.dl4jinit.sampling.TorchGenerator;
import io.github.dl4jinit.twins.TorchvisionTwins;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.graph.ElementWiseVertex;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.lossfunctions.LossFunctions;
import org.nd4j.linalg.ops.transforms.Transforms;
import org.nd4j.shade.jackson.databind.JsonNode;
import org.nd4j.shade.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Whole PyTorch init programs, bit for bit: {@code torch.manual_seed(s)}, the model's construction
 * (default draws in construction order), then its own init loop (registration order) on the same
 * generator. Fixtures: the state_dicts real torch 2.13 / torchvision 0.28 produced
 * ({@code python/make_program_fixtures.py}), and a forward pass in eval mode.
 */
class InitProgramParityTest {
    private static final double FORWARD_TOLERANCE = 1e-5;

    private static void assertForward(ProgramFixtures f, INDArray actual) {
        INDArray expected = f.npy("output").castTo(DataType.FLOAT);
        assertThat(actual.shape()).isEqualTo(expected.shape());
        double maxDiff = Transforms.abs(actual.castTo(DataType.FLOAT).sub(expected)).maxNumber().doubleValue();
        assertThat(maxDiff).as("forward vs PyTorch").isLessThanOrEqualTo(FORWARD_TOLERANCE);
    }

    /** {@code model = CNN(); model.apply(initialize_weights)}: the tutorial's program. */
    @ParameterizedTest
    @ValueSource(longs = {0, 42})
    void tutorialCnnApplyInitializeWeights(long seed) {
        ProgramFixtures f = ProgramFixtures.of("tutorial_cnn", seed);
        MultiLayerNetwork net = Models.mnistCnn();
        TorchGenerator g = new TorchGenerator(seed);
        TorchDefaults.initializer().toBuilder().generator(g).build().initialize(net);
        NetworkInitializer.builder().generator(g)
                .rule(LayerSelector.isInstance(TorchModule.CONV2D), TorchInit.kaimingUniform(0, "fan_in", "relu"),
                        ParamSelector.weight())
                .rule(LayerSelector.isInstance(TorchModule.CONV2D), TorchInit.zeros(), ParamSelector.bias().ifPresent())
                .rule(LayerSelector.named("conv2_bn"), TorchInit.ones(), ParamSelector.weight())
                .rule(LayerSelector.named("conv2_bn"), TorchInit.zeros(), ParamSelector.bias())
                .rule(LayerSelector.isInstance(TorchModule.LINEAR), TorchInit.kaimingUniform(), ParamSelector.weight())
                .rule(LayerSelector.isInstance(TorchModule.LINEAR), TorchInit.zeros(), ParamSelector.bias())
                .build().initialize(net);
        f.assertStateDictMatches(ProgramFixtures.layers(net));
        assertForward(f, net.output(f.npy("input").castTo(DataType.FLOAT)));
    }

    /** A Hugging Face-style model: Embedding + LSTM + Linear, {@code self.apply(self._init_weights)}. */
    @ParameterizedTest
    @ValueSource(longs = {0, 42})
    void huggingFaceInitWeights(long seed) {
        ProgramFixtures f = ProgramFixtures.of("hf_lstm", seed);
        MultiLayerNetwork net = Models.embedLstm();
        TorchGenerator g = new TorchGenerator(seed);
        TorchDefaults.initializer().toBuilder().generator(g).build().initialize(net);
        NetworkInitializer.builder().generator(g).rules(TorchInitLoops.huggingFace(0.02)).build().initialize(net);
        f.assertStateDictMatches(ProgramFixtures.layers(net));
        // PyTorch: (batch, time, 5); DL4J's RnnOutputLayer: (batch, 5, time).
        assertForward(f, net.output(f.npy("input").castTo(DataType.FLOAT)).permute(0, 2, 1));
    }

    @ParameterizedTest
    @ValueSource(longs = {0, 42})
    void torchvisionResnet18With10Classes(long seed) {
        resnet18("resnet18_10", 10, seed);
    }

    @ParameterizedTest
    @ValueSource(longs = {0, 42})
    void torchvisionResnet18With1000Classes(long seed) {
        resnet18("resnet18_1000", 1000, seed);
    }

    private static void resnet18(String program, int classes, long seed) {
        graphProgram(ProgramFixtures.of(program, seed), seed, TorchvisionTwins.resnet18(classes, 64),
                TorchInitLoops.torchvisionResNet());
    }

    @ParameterizedTest
    @ValueSource(longs = {0, 42})
    void torchvisionMobileNetV2(long seed) {
        graphProgram(ProgramFixtures.of("mobilenet_v2", seed), seed, TorchvisionTwins.mobileNetV2(64),
                TorchInitLoops.torchvisionMobileNetV2());
    }

    /**
     * A graph twin's whole program: its orders are the model's (from the fixture), the defaults in
     * construction order, then the model's loop in registration order, on one generator.
     */
    private static void graphProgram(ProgramFixtures f, long seed, TorchvisionTwins.Twin<ComputationGraph> twin,
                                     List<Rule> loop) {
        assertThat(twin.constructionOrder()).isEqualTo(f.constructionOrder());
        assertThat(twin.registrationOrder()).isEqualTo(f.registrationOrder());
        ComputationGraph net = twin.net();
        TorchGenerator g = new TorchGenerator(seed);
        TorchDefaults.initializer().toBuilder().generator(g)
                .constructionOrder(twin.constructionOrder().toArray(new String[0])).build().initialize(net);
        NetworkInitializer.builder().generator(g).rules(loop)
                .registrationOrder(twin.registrationOrder().toArray(new String[0])).build().initialize(net);
        f.assertStateDictMatches(ProgramFixtures.layers(net));
        assertForward(f, net.outputSingle(f.npy("input").castTo(DataType.FLOAT)));
    }

    @ParameterizedTest
    @ValueSource(longs = {0, 42})
    void torchvisionVgg11(long seed) {
        ProgramFixtures f = ProgramFixtures.of("vgg11", seed);
        MultiLayerNetwork net = TorchvisionTwins.vgg11();
        TorchGenerator g = new TorchGenerator(seed);
        TorchDefaults.initializer().toBuilder().generator(g).build().initialize(net);
        NetworkInitializer.builder().generator(g).rules(TorchInitLoops.torchvisionVgg()).build().initialize(net);
        f.assertStateDictMatches(ProgramFixtures.layers(net));
    }

    /**
     * A model that constructs its {@code downsample} first and registers it last, with no init loop:
     * the default draws follow the construction order, and the registration order gives other bits.
     */
    @ParameterizedTest
    @ValueSource(longs = {0, 42})
    void defaultDrawsFollowTheConstructionOrder(long seed) {
        ProgramFixtures f = ProgramFixtures.of("downsample_first", seed);
        assertThat(f.constructionOrder()).containsExactly("downsample", "fc1", "fc2");
        assertThat(f.registrationOrder()).containsExactly("fc1", "fc2", "downsample");
        ComputationGraph net = downsampleFirst();
        TorchDefaults.initializer(seed).toBuilder().constructionOrder("downsample", "fc1", "fc2").build()
                .initialize(net);
        f.assertStateDictMatches(ProgramFixtures.layers(net));
        assertForward(f, net.outputSingle(f.npy("input").castTo(DataType.FLOAT)));

        ComputationGraph wrong = downsampleFirst();
        TorchDefaults.initializer(seed).toBuilder().constructionOrder("fc1", "fc2", "downsample").build()
                .initialize(wrong);
        assertThat(wrong.getLayer("fc1").params()).isNotEqualTo(net.getLayer("fc1").params());
    }

    private static ComputationGraph downsampleFirst() {
        ComputationGraph g = new ComputationGraph(new NeuralNetConfiguration.Builder().dataType(DataType.FLOAT)
                .graphBuilder().addInputs("x")
                .addLayer("fc1", new DenseLayer.Builder().nIn(8).nOut(6).activation(Activation.RELU).build(), "x")
                .addLayer("fc2", new DenseLayer.Builder().nIn(6).nOut(4).activation(Activation.IDENTITY).build(), "fc1")
                .addLayer("downsample", new DenseLayer.Builder().nIn(8).nOut(4).activation(Activation.IDENTITY).build(), "x")
                .addVertex("add", new ElementWiseVertex(ElementWiseVertex.Op.Add), "fc2", "downsample")
                .setOutputs("add").build());
        g.init();
        return g;
    }

    /**
     * Two initializers on one generator, then direct draws from it: exactly what torch gives for the
     * same sequence of calls on its global generator ({@code after.json}).
     */
    @ParameterizedTest
    @ValueSource(longs = {0, 42})
    void generatorContinuesAcrossInitializersAndDirectDraws(long seed) throws IOException {
        ProgramFixtures f = ProgramFixtures.of("continuity", seed);
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().dataType(DataType.FLOAT).list()
                .layer(new DenseLayer.Builder().nIn(20).nOut(30).activation(Activation.RELU).name("fc1").build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MSE).nIn(30).nOut(10)
                        .activation(Activation.IDENTITY).name("fc2").build())
                .build());
        net.init();
        TorchGenerator g = new TorchGenerator(seed);
        TorchDefaults.initializer().toBuilder().generator(g).build().initialize(net);   // Mlp()
        NetworkInitializer.builder().generator(g)                                            // model.apply(first)
                .rule(LayerSelector.isInstance(TorchModule.LINEAR), TorchInit.xavierUniform(), ParamSelector.weight())
                .rule(LayerSelector.isInstance(TorchModule.LINEAR), TorchInit.zeros(), ParamSelector.bias())
                .build().toBuilder().build()                                                  // toBuilder keeps g
                .initialize(net);
        NetworkInitializer.builder().generator(g)                                            // for m in modules()
                .rule(LayerSelector.isInstance(TorchModule.LINEAR), TorchInit.normal(0, 0.1), ParamSelector.bias())
                .build().initialize(net);
        f.assertStateDictMatches(ProgramFixtures.layers(net));

        JsonNode after;
        try (InputStream in = getClass().getResourceAsStream("/fixtures/programs/continuity_seed" + seed + "/after.json")) {
            after = new ObjectMapper().readTree(in);
        }
        INDArray u = Nd4j.create(DataType.FLOAT, 7);
        g.uniform(u, -1, 1);
        INDArray n33 = Nd4j.create(DataType.FLOAT, 33);
        g.normal(n33, 0, 1);
        INDArray n5 = Nd4j.create(DataType.FLOAT, 5);
        g.normal(n5, 2, 3);
        INDArray k = Nd4j.create(DataType.FLOAT, 8, 6);
        TorchInit.kaimingNormal(0, "fan_out", "relu").apply(k, g);
        assertFloats(after.get("uniform_7"), u, "uniform_(-1, 1) after the program");
        assertFloats(after.get("normal_33"), n33, "normal_() after the program");
        assertFloats(after.get("normal_5"), n5, "normal_(2, 3), scalar path");
        assertFloats(after.get("kaiming_normal_8x6"), k, "kaiming_normal_ after the program");
    }

    private static void assertFloats(JsonNode expected, INDArray actual, String what) {
        float[] a = actual.dup('c').reshape(-1).toFloatVector();
        assertThat(a.length).isEqualTo(expected.size());
        for (int i = 0; i < a.length; i++) {
            assertThat(Float.floatToIntBits(a[i])).as(what + " [" + i + "]")
                    .isEqualTo(Float.floatToIntBits((float) expected.get(i).asDouble()));
        }
    }
}
