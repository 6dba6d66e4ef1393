package io.github.dl4jinit.tests;

import io.github.dl4jinit.TorchInit;
import io.github.dl4jinit.network.InitializationReport;
import io.github.dl4jinit.network.LayerSelector;
import io.github.dl4jinit.network.NetworkInitializer;
import io.github.dl4jinit.network.NetworkLayer;
import io.github.dl4jinit.network.NetworkWalker;
import io.github.dl4jinit.network.ParamRole;
import io.github.dl4jinit.network.ParamSelector;
import io.github.dl4jinit.network.TorchModule;
import io.github.dl4jinit.presets.TorchDefaults;
import io.github.dl4jinit.sampling.TorchGenerator;
import io.github.dl4jinit.twins.TorchvisionTwins;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.Convolution1DLayer;
import org.deeplearning4j.nn.conf.layers.Convolution3D;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.Deconvolution2D;
import org.deeplearning4j.nn.conf.layers.DepthwiseConvolution2D;
import org.deeplearning4j.nn.conf.layers.LSTM;
import org.deeplearning4j.nn.conf.layers.SeparableConvolution2D;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.function.Supplier;

import static io.github.dl4jinit.tests.Fixtures.bits;
import static io.github.dl4jinit.tests.Fixtures.values;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * The init-program API: one generator across initializers, PyTorch's two module orders, and the
 * selectors with PyTorch's meaning ({@code isinstance}, {@code m.weight}, {@code if m.bias is not None}).
 */
class InitProgramRulesTest {

    /** Refused: the message says what was wrong, and neither the network nor the generator changed. */
    private static void assertRefusedAndUntouched(Supplier<InitializationReport> run, INDArray params,
                                                  TorchGenerator g, String... inMessage) {
        int[] before = bits(values(params));
        TorchGenerator.State state = g.getState();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, run::get);
        assertThat(e.getMessage()).contains(inMessage);
        assertThat(bits(values(params))).as("parameters after a refused initialize").isEqualTo(before);
        assertThat(g.getState()).as("generator after a refused initialize").isEqualTo(state);
    }

    @Test
    void initializersSharingAGeneratorContinueOneStream() {
        MultiLayerNetwork a = Models.mlp();
        TorchGenerator g = new TorchGenerator(3);
        TorchDefaults.initializer().toBuilder().generator(g).build().initialize(a);
        INDArray next = org.nd4j.linalg.factory.Nd4j.create(DataType.FLOAT, 5);
        g.uniform(next, 0, 1);

        // The same draws in three initializers, one per layer, on one generator; then the five values.
        MultiLayerNetwork b = Models.mlp();
        TorchGenerator h = new TorchGenerator(3);
        for (String layer : new String[]{"fc1", "fc2", "fc3"}) {
            NetworkInitializer.builder().generator(h)
                    .rule(LayerSelector.named(layer), TorchInit.torchDefault(), ParamRole.WEIGHT)
                    .rule(LayerSelector.named(layer), new io.github.dl4jinit.init.TorchDefaultBias(), ParamRole.BIAS)
                    .build().initialize(b);
        }
        assertThat(b.params()).isEqualTo(a.params());
        INDArray again = org.nd4j.linalg.factory.Nd4j.create(DataType.FLOAT, 5);
        h.uniform(again, 0, 1);
        assertThat(again).isEqualTo(next);
    }

    @Test
    void toBuilderKeepsTheSameGeneratorObject() {
        TorchGenerator g = new TorchGenerator(1);
        NetworkInitializer copy = TorchDefaults.initializer().toBuilder().generator(g).build().toBuilder().build();
        TorchGenerator.State before = g.getState();
        copy.initialize(Models.mlp());
        assertThat(g.getState()).as("the copy drew from g itself").isNotEqualTo(before);
    }

    @Test
    void torchSeedAndGeneratorReplaceEachOther() {
        TorchGenerator g = new TorchGenerator(9);
        TorchGenerator.State untouched = g.getState();
        MultiLayerNetwork seeded = Models.mlp();
        TorchDefaults.initializer().toBuilder().generator(g).torchSeed(5).build().initialize(seeded);
        assertThat(g.getState()).as("torchSeed replaced the generator").isEqualTo(untouched);
        MultiLayerNetwork expected = Models.mlp();
        TorchDefaults.initializer(5).initialize(expected);
        assertThat(seeded.params()).isEqualTo(expected.params());

        MultiLayerNetwork shared = Models.mlp();
        TorchDefaults.initializer(5).toBuilder().generator(new TorchGenerator(5)).build().initialize(shared);
        assertThat(shared.params()).as("generator(new TorchGenerator(5)) draws what torchSeed(5) draws")
                .isEqualTo(expected.params());
        TorchDefaults.initializer(5).toBuilder().generator(g).build().initialize(shared);
        assertThat(g.getState()).as("generator replaced torchSeed").isNotEqualTo(untouched);
    }

    @Test
    void aRefusedRuleDrawsNothingFromTheGenerator() {
        MultiLayerNetwork net = Models.mnistCnn();
        TorchGenerator g = new TorchGenerator(0);
        g.uniform(org.nd4j.linalg.factory.Nd4j.create(DataType.FLOAT, 3), 0, 1);   // not at a fresh state
        g.normal(org.nd4j.linalg.factory.Nd4j.create(DataType.FLOAT, 1), 0, 1);    // a cached normal
        NetworkInitializer.Builder valid = TorchDefaults.initializer().toBuilder().generator(g);
        assertRefusedAndUntouched(() -> valid.rule(LayerSelector.named("fc9"), TorchInit.zeros(), ParamSelector.bias())
                .build().initialize(net), net.params(), g, "fc9");
        assertRefusedAndUntouched(() -> TorchDefaults.initializer().toBuilder().generator(g)
                .rule(LayerSelector.named("conv1"), TorchInit.eye(), ParamSelector.weight()).build().initialize(net),
                net.params(), g, "Eye", "conv1");
    }

    @Test
    void repeatedNamesInAnOrderAreRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> NetworkInitializer.builder().constructionOrder("fc1", "fc2", "fc1"));
        assertThat(e.getMessage()).contains("constructionOrder", "\"fc1\" is repeated");
        e = assertThrows(IllegalArgumentException.class, () -> NetworkInitializer.builder().registrationOrder("a", "a"));
        assertThat(e.getMessage()).contains("registrationOrder", "repeated");
    }

    @Test
    void unknownNamesInAnOrderAreRefusedBeforeAnyDraw() {
        ComputationGraph graph = Models.twoBranch();
        TorchGenerator g = new TorchGenerator(0);
        assertRefusedAndUntouched(() -> TorchDefaults.initializer().toBuilder().generator(g)
                        .constructionOrder("left", "rigth", "head").build().initialize(graph),
                graph.params(), g, "'constructionOrder' = \"rigth\"", "[left, right, head]");
        MultiLayerNetwork net = Models.mlp();
        assertRefusedAndUntouched(() -> TorchDefaults.initializer().toBuilder().generator(g)
                .registrationOrder("fc1", "fc4").build().initialize(net), net.params(), g, "registrationOrder", "fc4");
    }

    @Test
    void anOrderThatOmitsAWrittenLayerIsRefused() {
        ComputationGraph graph = Models.twoBranch();
        TorchGenerator g = new TorchGenerator(0);
        assertRefusedAndUntouched(() -> TorchDefaults.initializer().toBuilder().generator(g)
                        .constructionOrder("left", "head").build().initialize(graph),
                graph.params(), g, "constructionOrder", "'right'", "missing");
        // An order may leave out layers the pass does not write.
        NetworkInitializer.builder().generator(g).registrationOrder("head")
                .rule(LayerSelector.named("head"), TorchInit.zeros(), ParamSelector.bias()).build().initialize(graph);
    }

    @Test
    void theOrderDecidesTheDrawsOfAMultiLayerNetworkToo() {
        MultiLayerNetwork inLayerOrder = Models.mlp();
        TorchDefaults.initializer(0).initialize(inLayerOrder);
        MultiLayerNetwork sameOrder = Models.mlp();
        TorchDefaults.initializer(0).toBuilder().constructionOrder("fc1", "fc2", "fc3").build().initialize(sameOrder);
        assertThat(sameOrder.params()).isEqualTo(inLayerOrder.params());
        MultiLayerNetwork reversed = Models.mlp();
        TorchDefaults.initializer(0).toBuilder().constructionOrder("fc3", "fc2", "fc1").build().initialize(reversed);
        // Drawn first, fc3 gets the stream's first values: those of a pass that writes fc3 alone.
        MultiLayerNetwork alone = Models.mlp();
        NetworkInitializer.builder().torchSeed(0)
                .rule(LayerSelector.named("fc3"), TorchInit.torchDefault(), ParamRole.WEIGHT)
                .rule(LayerSelector.named("fc3"), new io.github.dl4jinit.init.TorchDefaultBias(), ParamRole.BIAS)
                .build().initialize(alone);
        assertThat(reversed.getLayer("fc3").params()).isEqualTo(alone.getLayer("fc3").params());
        assertThat(reversed.getLayer("fc1").params()).isNotEqualTo(inLayerOrder.getLayer("fc1").params());
    }

    private static NetworkLayer describe(org.deeplearning4j.nn.conf.layers.Layer layer, InputType in) {
        MultiLayerNetwork n = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().dataType(DataType.FLOAT)
                .list().layer(layer).setInputType(in).build());
        n.init();
        return NetworkWalker.layers(n).get(0);
    }

    @Test
    void isInstanceFollowsPyTorchsClassesNotDl4jsHierarchy() {
        InputType image = InputType.convolutional(8, 8, 2);
        LayerSelector conv2d = LayerSelector.isInstance(TorchModule.CONV2D);
        LayerSelector dl4jConv = LayerSelector.ofType(ConvolutionLayer.class);
        NetworkLayer conv = describe(new ConvolutionLayer.Builder(3, 3).nOut(4).build(), image);
        NetworkLayer depthwise = describe(new DepthwiseConvolution2D.Builder(3, 3).depthMultiplier(2).build(), image);
        NetworkLayer separable = describe(new SeparableConvolution2D.Builder(3, 3).nOut(4).build(), image);
        NetworkLayer deconv = describe(new Deconvolution2D.Builder(3, 3).nOut(4).build(), image);
        NetworkLayer conv1d = describe(new Convolution1DLayer.Builder(3).nOut(4).build(), InputType.recurrent(2, 10));
        NetworkLayer conv3d = describe(new Convolution3D.Builder(2, 2, 2).nOut(4).build(),
                InputType.convolutional3D(4, 4, 4, 2));
        assertThat(conv2d.matches(conv)).isTrue();
        assertThat(conv2d.matches(depthwise)).as("Conv2d(groups=in)").isTrue();
        assertThat(conv2d.matches(separable)).as("two Conv2d").isTrue();
        assertThat(conv2d.matches(deconv)).as("ConvTranspose2d is no Conv2d").isFalse();
        assertThat(conv2d.matches(conv1d)).as("Conv1d is no Conv2d").isFalse();
        assertThat(conv2d.matches(conv3d)).as("Conv3d is no Conv2d").isFalse();
        assertThat(dl4jConv.matches(deconv) && dl4jConv.matches(conv1d)).as("DL4J's hierarchy, unchanged").isTrue();
        assertThat(LayerSelector.isInstance(TorchModule.CONV_TRANSPOSE2D).matches(deconv)).isTrue();
        assertThat(LayerSelector.isInstance(TorchModule.CONV1D).matches(conv1d)).isTrue();
        assertThat(conv2d.toString()).isEqualTo("isinstance nn.Conv2d");
    }

    @Test
    void weightReachesADepthwiseKernelAndBothSeparableKernels() {
        InputType image = InputType.convolutional(8, 8, 2);
        ParamSelector weight = ParamSelector.weight();
        NetworkLayer depthwise = describe(new DepthwiseConvolution2D.Builder(3, 3).depthMultiplier(2).build(), image);
        assertThat(depthwise.params().stream().filter(weight::matches).map(p -> p.role()))
                .containsExactly(ParamRole.DEPTHWISE_WEIGHT);
        NetworkLayer separable = describe(new SeparableConvolution2D.Builder(3, 3).nOut(4).build(), image);
        assertThat(separable.params().stream().filter(weight::matches).map(p -> p.role()))
                .containsExactly(ParamRole.DEPTHWISE_WEIGHT, ParamRole.POINTWISE_WEIGHT);
        // The role WEIGHT, as before, does not: DEPTHWISE_WEIGHT is its own role.
        assertThat(depthwise.params().stream().filter(ParamSelector.roles(ParamRole.WEIGHT)::matches)).isEmpty();
    }

    @Test
    void ifPresentIsPyTorchsBiasIsNotNone() {
        ComputationGraph resnet = TorchvisionTwins.resnet18(10, 32).net();   // no convolution has a bias
        INDArray before = resnet.params().dup();
        LayerSelector conv2d = LayerSelector.isInstance(TorchModule.CONV2D);
        InitializationReport report = NetworkInitializer.builder()
                .rule(conv2d, TorchInit.zeros(), ParamSelector.bias().ifPresent()).build().initialize(resnet);
        assertThat(report.entries()).isEmpty();
        assertThat(resnet.params()).isEqualTo(before);
        TorchGenerator g = new TorchGenerator(0);
        assertRefusedAndUntouched(() -> NetworkInitializer.builder().generator(g)
                .rule(conv2d, TorchInit.zeros(), ParamSelector.bias()).build().initialize(resnet),
                resnet.params(), g, "'params' = \"torch [bias]\"", "ifPresent()");
    }

    @Test
    void aRecurrentBiasIsNamedWhole() {
        MultiLayerNetwork net = Models.embedLstm();
        TorchGenerator g = new TorchGenerator(0);
        LayerSelector lstm = LayerSelector.isInstance(TorchModule.LSTM);
        assertRefusedAndUntouched(() -> NetworkInitializer.builder().generator(g)
                .rule(lstm, TorchInit.zeros(), ParamSelector.torch("bias_ih_l0")).build().initialize(net),
                net.params(), g, "bias_ih_l0", "bias_hh_l0", "sum");
        InitializationReport r = NetworkInitializer.builder().generator(g)
                .rule(lstm, TorchInit.constant(0.25), ParamSelector.torch("bias_ih_l0", "bias_hh_l0"))
                .build().initialize(net);
        assertThat(r.entries()).hasSize(1);
        assertThat(net.getLayer("lstm").getParam("b").minNumber().doubleValue()).isEqualTo(0.5);
        assertThat(LayerSelector.isInstance(TorchModule.LSTM).matches(
                describe(new LSTM.Builder().nIn(3).nOut(4).build(), InputType.recurrent(3)))).isTrue();
    }
}
