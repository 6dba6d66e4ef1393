package io.github.dl4jinit.tests;

import io.github.dl4jinit.init.Constant;
import io.github.dl4jinit.init.Eye;
import io.github.dl4jinit.init.TorchWeightInit;
import io.github.dl4jinit.init.XavierUniform;
import io.github.dl4jinit.network.InitializationReport;
import io.github.dl4jinit.network.LayerSelector;
import io.github.dl4jinit.network.NetworkInitializer;
import io.github.dl4jinit.network.ParamRole;
import io.github.dl4jinit.presets.TorchDefaults;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.nd4j.linalg.factory.Nd4j;

import static io.github.dl4jinit.tests.Fixtures.bits;
import static io.github.dl4jinit.tests.Fixtures.values;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Rule semantics: selection, overriding, validation before any write, the report. */
class NetworkInitializerRulesTest {

    private static void assertRefusedAndUntouched(MultiLayerNetwork net, NetworkInitializer init, String... inMessage) {
        int[] before = bits(values(net.params()));
        Executable run = () -> init.initialize(net);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, run);
        assertThat(e.getMessage()).contains(inMessage);
        assertThat(bits(values(net.params()))).as("parameters after a refused initialize").isEqualTo(before);
    }

    /** A valid rule comes first each time: it must not be applied when a later rule is bad. */
    private static NetworkInitializer.Builder validFirst() {
        return NetworkInitializer.builder().rule(LayerSelector.all(), new Constant(3), ParamRole.WEIGHT);
    }

    @Test
    void unknownLayerNameIsRefused() {
        assertRefusedAndUntouched(Models.mnistCnn(),
                validFirst().rule(LayerSelector.named("fc9"), new Constant(0), ParamRole.WEIGHT).build(),
                "'layer name' = \"fc9\"", "conv1", "fc2");
    }

    @Test
    void roleTheLayerLacksIsRefused() {
        assertRefusedAndUntouched(Models.mnistCnn(),
                validFirst().rule(LayerSelector.named("fc1"), new Constant(1), ParamRole.GAMMA).build(),
                "GAMMA", "fc1", "WEIGHT, BIAS");
    }

    @Test
    void roleNoSelectedLayerHasIsRefused() {
        assertRefusedAndUntouched(Models.mlp(),
                validFirst().rule(LayerSelector.ofType(DenseLayer.class), new Constant(1),
                        ParamRole.RECURRENT_WEIGHT).build(),
                "RECURRENT_WEIGHT");
    }

    @Test
    void schemeThatCannotFitTheShapeIsRefused() {
        // eye_ needs a 2-D tensor; a conv weight is 4-D.
        assertRefusedAndUntouched(Models.mnistCnn(),
                validFirst().rule(LayerSelector.ofType(ConvolutionLayer.class), new Eye(), ParamRole.WEIGHT).build(),
                "Eye", "conv1", "2 dimensions");
    }

    @Test
    void fanBasedSchemeOnAVectorIsRefused() {
        // PyTorch: Fan in and fan out can not be computed for tensor with fewer than 2 dimensions.
        assertRefusedAndUntouched(Models.mnistCnn(),
                validFirst().rule(LayerSelector.named("fc1_bn"), new XavierUniform(), ParamRole.GAMMA).build(),
                "fc1_bn", "fewer than 2 dimensions");
    }

    @Test
    void aTruncatedNormalWhoseBoundsExcludeZeroIsValidatedOnVectorsWithoutFans() {
        // BatchNorm's gamma ~ N(1, 0.02²) cut to [0.95, 1.05]: validating the rule on a vector (no
        // fans) once ran the scheme on a sampler that only gave zeros, all outside the bounds, and
        // redrew forever. (Found by NetworkInitializerPropertyTest; the timeout only guards the build.)
        MultiLayerNetwork net = Models.mnistCnn();
        NetworkInitializer init = NetworkInitializer.builder()
                .rule(LayerSelector.ofType(org.deeplearning4j.nn.conf.layers.BatchNormalization.class),
                        new io.github.dl4jinit.init.TruncatedNormal(1, 0.02, 0.95, 1.05), ParamRole.GAMMA)
                .torchSeed(3).build();
        InitializationReport report = org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(
                java.time.Duration.ofMinutes(2), () -> init.initialize(net));
        assertThat(report.entries()).extracting(InitializationReport.Entry::layer).containsExactly("conv2_bn", "fc1_bn");
        for (String bn : new String[]{"conv2_bn", "fc1_bn"}) {
            for (float g : values(net.getLayer(bn).getParam("gamma"))) {
                assertThat(g).isBetween(0.95f, 1.05f);
            }
        }
    }

    @Test
    void indexOutOfRangeIsRefused() {
        assertRefusedAndUntouched(Models.mlp(),
                validFirst().rule(LayerSelector.indexRange(2, 5), new Constant(0), ParamRole.BIAS).build(),
                "index range", "[2, 5)", "3 layers");
    }

    @Test
    void selectorMatchingNothingIsRefused() {
        assertRefusedAndUntouched(Models.mlp(),
                validFirst().rule(LayerSelector.ofType(ConvolutionLayer.class), new Constant(0), ParamRole.WEIGHT).build(),
                "ConvolutionLayer");
    }

    @Test
    void emptyRolesAreRefusedWhenTheRuleIsBuilt() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> NetworkInitializer.builder().rule(LayerSelector.all(), new Constant(0)));
        assertThat(e.getMessage()).contains("roles");
    }

    @Test
    void laterRulesOverrideEarlierOnesAndUnselectedParamsKeepTheirBits() {
        MultiLayerNetwork net = Models.mlp();
        int[] biasesBefore = bits(values(net.getLayer("fc2").getParam("b")));
        int[] fc3Before = bits(values(net.getLayer("fc3").getParam("W")));
        InitializationReport r = NetworkInitializer.builder()
                .rule(LayerSelector.ofType(DenseLayer.class), new Constant(1), ParamRole.WEIGHT)
                .rule(LayerSelector.named("fc2"), new Constant(2), ParamRole.WEIGHT)
                .build().initialize(net);
        assertThat(net.getLayer("fc1").getParam("W").minNumber().doubleValue()).isEqualTo(1.0);
        assertThat(net.getLayer("fc1").getParam("W").maxNumber().doubleValue()).isEqualTo(1.0);
        assertThat(net.getLayer("fc2").getParam("W").minNumber().doubleValue()).isEqualTo(2.0);
        assertThat(net.getLayer("fc2").getParam("W").maxNumber().doubleValue()).isEqualTo(2.0);
        // OutputLayer is not a DenseLayer subclass: untouched, like every bias.
        assertThat(bits(values(net.getLayer("fc3").getParam("W")))).isEqualTo(fc3Before);
        assertThat(bits(values(net.getLayer("fc2").getParam("b")))).isEqualTo(biasesBefore);
        assertThat(r.schemeOf("fc2", "W")).isEqualTo("Constant(value=2.0)");
        assertThat(r.schemeOf("fc2", "b")).isNull();
    }

    @Test
    void reportPrintsAsATableAndNamesLayersWithoutTwin() {
        MultiLayerNetwork net = Models.mnistCnn();
        InitializationReport r = TorchDefaults.initializer().initialize(net);
        String table = r.toString();
        assertThat(table).contains("| layer", "| conv1", "Conv", "TorchDefaultInit()", "TorchDefaultBias()",
                "log10stdev", "running_var", "Constant(value=1.0)");
        assertThat(r.skipped()).extracting(InitializationReport.Skipped::reason).containsOnly("no parameters");
        assertThat(r.entries()).hasSize(4 * 2 + 2 * 4);
        assertThat(r.parametersWritten()).isEqualTo(net.numParams());
    }

    @Test
    void graphDefaultOrderIsTopologicalAndUnknownModuleNamesAreRefused() {
        ComputationGraph g = Models.twoBranch();
        // With no explicit order the graph's topological order is used; here it is PyTorch's.
        TorchDefaults.initializer(42).initialize(g);
        assertThat(bits(values(g.getLayer("head").getParam("W").transpose())))
                .isEqualTo(bits(values(Fixtures.load("two_branch", 42, "head.weight"))));
        int[] before = bits(values(g.params()));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> TorchDefaults.initializer(0).toBuilder().moduleOrder("left", "middle").build().initialize(g));
        assertThat(e.getMessage()).contains("middle", "left", "right", "head");
        assertThat(bits(values(g.params()))).isEqualTo(before);
    }

    @Test
    void perParameterSchemeChoiceSeesLayerAndParameter() {
        MultiLayerNetwork net = Models.mlp();
        NetworkInitializer.builder()
                .rule(LayerSelector.all(), (layer, param) -> {
                    TorchWeightInit c = new Constant(layer.index() + 10 * param.torchShape().length);
                    return c;
                }, ParamRole.WEIGHT)
                .build().initialize(net);
        assertThat(net.getLayer("fc2").getParam("W").maxNumber().doubleValue()).isEqualTo(21.0);
    }

    @Test
    void fastModeFollowsNd4jSeedAndPyTorchsBounds() {
        MultiLayerNetwork a = Models.lenet();
        MultiLayerNetwork b = Models.lenet();
        Nd4j.getRandom().setSeed(123);
        TorchDefaults.initializer().initialize(a);
        Nd4j.getRandom().setSeed(123);
        TorchDefaults.initializer().initialize(b);
        assertThat(bits(values(a.params()))).isEqualTo(bits(values(b.params())));
        // conv2: fan_in = 6·5·5 = 150; fc1: fan_in = 400. Weight and bias share the bound.
        assertWithin(a.getLayer("conv2").getParam("W"), 1 / Math.sqrt(150));
        assertWithin(a.getLayer("conv2").getParam("b"), 1 / Math.sqrt(150));
        assertWithin(a.getLayer("fc1").getParam("W"), 1 / Math.sqrt(400));
        assertWithin(a.getLayer("fc1").getParam("b"), 1 / Math.sqrt(400));
    }

    /**
     * Fast mode fills small parameters on several threads at once, each from its own seed, and
     * parameters of a million values or more one after the other with ND4J's op: the values must not
     * depend on how many threads there are.
     */
    @Test
    void fastModeValuesDoNotDependOnTheNumberOfThreads() throws Exception {
        java.util.function.Supplier<MultiLayerNetwork> wide = () -> {
            MultiLayerNetwork n = new MultiLayerNetwork(new org.deeplearning4j.nn.conf.NeuralNetConfiguration.Builder()
                    .dataType(org.nd4j.linalg.api.buffer.DataType.FLOAT).list()
                    .layer(new org.deeplearning4j.nn.conf.layers.DenseLayer.Builder().nIn(1024).nOut(1024).build())
                    .layer(new org.deeplearning4j.nn.conf.layers.DenseLayer.Builder().nIn(1024).nOut(300).build())
                    .layer(new org.deeplearning4j.nn.conf.layers.OutputLayer.Builder().nIn(300).nOut(10).build())
                    .build());
            n.init();
            return n;
        };
        MultiLayerNetwork[] here = {Models.lenet(), wide.get()};
        MultiLayerNetwork[] onOneThread = {Models.lenet(), wide.get()};
        for (MultiLayerNetwork n : here) {
            Nd4j.getRandom().setSeed(99);
            TorchDefaults.initializer().initialize(n);
        }
        java.util.concurrent.ForkJoinPool one = new java.util.concurrent.ForkJoinPool(1);
        try {
            one.submit(() -> {
                for (MultiLayerNetwork n : onOneThread) {
                    Nd4j.getRandom().setSeed(99);
                    TorchDefaults.initializer().initialize(n);
                }
            }).get();
        } finally {
            one.shutdown();
        }
        for (int i = 0; i < here.length; i++) {
            assertThat(bits(values(onOneThread[i].params()))).isEqualTo(bits(values(here[i].params())));
        }
        // the 1024x1024 weight took ND4J's path, the others the parallel one; both drew
        assertThat(here[1].getLayer(0).getParam("W").stdNumber().doubleValue()).isGreaterThan(0.01);
        assertThat(here[1].getLayer(1).getParam("W").stdNumber().doubleValue()).isGreaterThan(0.01);
    }

    private static void assertWithin(org.nd4j.linalg.api.ndarray.INDArray v, double bound) {
        double max = v.amaxNumber().doubleValue();
        assertThat(max).isLessThanOrEqualTo(bound);
        // 2,400+ uniform draws: the largest |value| is close to the bound unless the bound is wrong.
        assertThat(max).isGreaterThan(bound * (v.length() > 100 ? 0.95 : 0.5));
    }
}
