package io.github.dl4jinit.init;

import io.github.dl4jinit.TorchInit;
import io.github.dl4jinit.sampling.FastSampler;
import io.github.dl4jinit.sampling.TorchGenerator;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.lossfunctions.LossFunctions;

import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Bad arguments fail when the scheme is built, with an IllegalArgumentException naming the argument,
 * the value and what was expected; bad shapes fail before a single parameter is written.
 */
class BadInputTest {

    private static void fails(ThrowingCallable call, String... fragments) {
        assertThatThrownBy(call).isInstanceOf(IllegalArgumentException.class)
                .satisfies(e -> assertThat(e.getMessage()).contains(fragments));
    }

    // ---- arguments: rejected by the constructor -------------------------------------------------

    @Test
    void negativeStd() {
        fails(() -> new Normal(0, -1), "'std'", "-1.0", "expected", ">= 0", "normal expects std >= 0.0");
        fails(() -> TorchInit.normal(0, -0.5), "'std'", "-0.5", ">= 0");
        fails(() -> new Sparse(0.1, -0.01), "'std'", "-0.01", ">= 0");
        fails(() -> new TruncatedNormal(0, -1, -2, 2), "'std'", "-1.0", "> 0");
    }

    @Test
    void nanStd() {
        fails(() -> new Normal(0, Double.NaN), "'std'", "NaN", ">= 0");
        fails(() -> new Sparse(0.1, Double.NaN), "'std'", "NaN", ">= 0");
        fails(() -> new TruncatedNormal(0, Double.NaN, -2, 2), "'std'", "NaN", "> 0");
        fails(() -> new Normal(0, Double.POSITIVE_INFINITY), "'std'", "Infinity", "finite");
    }

    @Test
    void zeroStdOfTruncatedNormal() {
        // PyTorch divides by std (ZeroDivisionError); we refuse it up front.
        fails(() -> new TruncatedNormal(0, 0, -2, 2), "'std'", "0.0", "> 0");
    }

    @Test
    void nanMean() {
        fails(() -> new Normal(Double.NaN, 1), "'mean'", "NaN", "finite");
        fails(() -> new TruncatedNormal(Double.NaN, 1, -2, 2), "'mean'", "NaN", "finite");
    }

    @Test
    void lowerBoundAboveUpper() {
        fails(() -> new Uniform(1, 0), "'a'", "1.0", "a <= b = 0.0", "found from=1.0 > to=0.0");
        fails(() -> TorchInit.uniform(0.5, -0.5), "'a'", "0.5", "a <= b");
        fails(() -> new TruncatedNormal(0, 1, 2, -2), "'a'", "2.0", "a <= b = -2.0");
    }

    @Test
    void equalBoundsAreAllowedAndFillWithA() {
        INDArray t = Nd4j.create(DataType.FLOAT, 3, 4);
        new Uniform(0.25, 0.25).apply(t, new TorchGenerator(1));
        assertThat(t.data().asFloat()).containsOnly(0.25f);
    }

    @Test
    void nanOrInfiniteBounds() {
        fails(() -> new Uniform(Double.NaN, 1), "'a'", "NaN", "finite");
        fails(() -> new Uniform(0, Double.NaN), "'b'", "NaN", "finite");
        fails(() -> new Uniform(Double.NEGATIVE_INFINITY, 1), "'a'", "-Infinity", "finite");
        fails(() -> new Uniform(0, Double.POSITIVE_INFINITY), "'b'", "Infinity", "finite");
        fails(() -> new Uniform(-Double.MAX_VALUE, Double.MAX_VALUE), "'b - a'", "Infinity", "finite");
        fails(() -> new TruncatedNormal(0, 1, Double.NaN, 2), "'a'", "NaN", "finite");
        fails(() -> new TruncatedNormal(0, 1, -2, Double.POSITIVE_INFINITY), "'b'", "Infinity", "finite");
    }

    @Test
    void nonFiniteConstant() {
        fails(() -> new Constant(Double.NaN), "'value'", "NaN", "finite");
    }

    @Test
    void unknownNonlinearity() {
        fails(() -> TorchInit.kaimingUniform(0, "fan_in", "gelu"), "'nonlinearity'", "\"gelu\"",
                "one of [linear", "selu]", "Unsupported nonlinearity gelu");
        fails(() -> TorchInit.kaimingNormal(0, "fan_in", "swish"), "'nonlinearity'", "\"swish\"", "Unsupported nonlinearity");
        fails(() -> TorchInit.calculateGain("silu"), "'nonlinearity'", "\"silu\"");
        // Case-sensitive, as PyTorch: "Relu" is not "relu".
        fails(() -> TorchInit.calculateGain("Relu"), "'nonlinearity'", "\"Relu\"", "Unsupported nonlinearity Relu");
        fails(() -> new KaimingNormal(0, "fan_in", "RELU"), "'nonlinearity'", "\"RELU\"");
        fails(() -> TorchInit.calculateGain((String) null), "'nonlinearity'", "null");
    }

    @Test
    void unknownMode() {
        fails(() -> TorchInit.kaimingUniform(0, "fan_middle"), "'mode'", "\"fan_middle\"", "one of ['fan_in', 'fan_out'");
        fails(() -> TorchInit.kaimingNormal(0, "in", "relu"), "'mode'", "\"in\"");
        // PyTorch's kaiming_* accept only fan_in and fan_out.
        fails(() -> TorchInit.kaimingUniform(0, "fan_avg", "relu"), "'mode'", "fan_avg", "one of ['fan_in', 'fan_out']",
                "Mode fan_avg not supported");
        fails(() -> new KaimingNormal(0, FanMode.FAN_AVG, Nonlinearity.RELU), "'mode'", "fan_avg");
        fails(() -> new VarianceScaling(1, null, Distribution.NORMAL), "'mode'", "null");
    }

    @Test
    void theKaimingModeErrorListsOnlyTheModesKaimingAccepts() {
        for (ThrowingCallable call : new ThrowingCallable[]{() -> TorchInit.kaimingUniform(0, "fan_middle"),
                () -> new KaimingNormal(0, "in", "relu"), () -> new KaimingUniform(0, "fan_avg", "relu")}) {
            assertThatThrownBy(call).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("one of ['fan_in', 'fan_out']")
                    .hasMessageContaining("please use one of ['fan_in', 'fan_out']")
                    .satisfies(e -> assertThat(e.getMessage()).doesNotContain("'fan_avg']"));
        }
        // VarianceScaling, which does accept fan_avg, lists it.
        fails(() -> FanMode.parse("fan_middle"), "'mode'", "one of ['fan_in', 'fan_out', 'fan_avg']");
    }

    @Test
    void leakyReluSlopeNotANumber() {
        fails(() -> TorchInit.kaimingUniform(Double.NaN), "'a'", "NaN", "finite", "negative_slope NaN not a valid number");
        fails(() -> TorchInit.kaimingNormal(Double.POSITIVE_INFINITY, "fan_in", "leaky_relu"), "'a'", "Infinity");
        fails(() -> TorchInit.calculateGain("leaky_relu", Double.NaN), "'negative_slope'", "NaN",
                "not a valid number");
        fails(() -> Nonlinearity.LEAKY_RELU.gain(Double.NEGATIVE_INFINITY), "'negative_slope'", "-Infinity");
    }

    @Test
    void sparsityOutsideUnitInterval() {
        fails(() -> new Sparse(1.5), "'sparsity'", "1.5", "[0.0, 1.0]");
        fails(() -> TorchInit.sparse(-0.1), "'sparsity'", "-0.1", "[0.0, 1.0]");
        fails(() -> TorchInit.sparse(Double.NaN, 0.01), "'sparsity'", "NaN", "[0.0, 1.0]");
    }

    @Test
    void gainNotPositive() {
        fails(() -> new XavierUniform(0), "'gain'", "0.0", "> 0");
        fails(() -> TorchInit.xavierNormal(-1), "'gain'", "-1.0", "> 0");
        fails(() -> TorchInit.orthogonal(Double.NaN), "'gain'", "NaN", "> 0");
        fails(() -> new Orthogonal(-2), "'gain'", "-2.0", "> 0");
        fails(() -> new VarianceScaling(0, FanMode.FAN_IN, Distribution.NORMAL), "'gain'", "0.0", "> 0");
        fails(() -> VarianceScaling.ofScale(-1, FanMode.FAN_IN, Distribution.NORMAL), "'scale'", "-1.0", "> 0");
    }

    @Test
    void groupsNotPositive() {
        fails(() -> new Dirac(0), "'groups'", "0", "positive");
    }

    @Test
    void tamperedJsonIsValidatedOnLoad() {
        // Deserialization goes through the validating @JsonProperty constructors.
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().list()
                .layer(new DenseLayer.Builder().nIn(4).nOut(3).weightInit(new Normal(0, 0.5)).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MSE).nIn(3).nOut(2).activation(Activation.IDENTITY).build())
                .build();
        String json = conf.toJson();
        assertThat(json).contains("\"std\" : 0.5");
        String bad = json.replace("\"std\" : 0.5", "\"std\" : -0.5");
        assertThatThrownBy(() -> MultiLayerConfiguration.fromJson(bad))
                .hasStackTraceContaining("Invalid argument 'std' = -0.5");
    }

    // ---- shapes: rejected before anything is written ---------------------------------------------

    static Stream<Arguments> shapeErrors() {
        return Stream.of(
                // eye on a 4-D conv weight
                Arguments.of(new Eye(), true, new String[]{"'tensor.shape'", "[4, 2, 3, 3]", "2 dimensions",
                        "Only tensors with 2 dimensions are supported"}),
                // sparse on a 4-D conv weight
                Arguments.of(new Sparse(0.5), true, new String[]{"'tensor.shape'", "[4, 2, 3, 3]", "2 dimensions"}),
                // dirac on a 2-D dense weight
                Arguments.of(new Dirac(), false, new String[]{"'tensor.shape'", "[9, 12]", "3, 4 or 5 dimensions",
                        "Only tensors with 3, 4, or 5 dimensions are supported"}),
                // dirac whose groups do not divide dim 0 (= 4 output channels)
                Arguments.of(new Dirac(3), true, new String[]{"'groups'", "3", "a divisor of dim 0 = 4",
                        "dim 0 must be divisible by groups"}));
    }

    private static MultiLayerNetwork net() {
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().seed(3).list()
                .layer(new ConvolutionLayer.Builder(3, 3).nIn(2).nOut(4).activation(Activation.RELU).build())
                .layer(new DenseLayer.Builder().nOut(12).activation(Activation.RELU).build())
                .layer(new DenseLayer.Builder().nIn(12).nOut(9).activation(Activation.RELU).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MSE).nOut(2).activation(Activation.IDENTITY).build())
                .setInputType(InputType.convolutional(5, 5, 2))
                .build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        return net;
    }

    @ParameterizedTest(name = "{0} on conv={1}")
    @MethodSource("shapeErrors")
    void badShapeLeavesNetworkUntouched(TorchWeightInit scheme, boolean conv, String[] fragments) {
        MultiLayerNetwork net = net();
        INDArray before = net.params().dup();
        INDArray w = conv ? net.getLayer(0).getParam("W") : net.getLayer(2).getParam("W");
        long[] shape = w.shape();
        TorchLayout layout = conv ? TorchLayout.conv(shape) : TorchLayout.dense(shape[0], shape[1]);
        // The network path (explicit layout), both samplers.
        fails(() -> scheme.fill(w, layout, FastSampler.get()), fragments);
        fails(() -> scheme.fill(w, layout, new TorchGenerator(7)), fragments);
        // The configuration path, handed the live view exactly as DL4J hands it.
        double fanIn = conv ? 18 : 12;
        double fanOut = conv ? 36 : 9;
        fails(() -> scheme.init(fanIn, fanOut, shape, conv ? 'c' : 'f', w), fragments);
        assertThat(net.params().data().asInt()).containsExactly(before.data().asInt());
    }

    @Test
    void badShapeInConfigurationFailsAtInit() {
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().list()
                .layer(new ConvolutionLayer.Builder(3, 3).nIn(2).nOut(4).weightInit(new Eye()).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MSE).nOut(2).activation(Activation.IDENTITY).build())
                .setInputType(InputType.convolutional(5, 5, 2))
                .build();
        fails(() -> new MultiLayerNetwork(conf).init(), "'tensor.shape'", "[4, 2, 3, 3]", "2 dimensions");
    }

    @Test
    void aShapeErrorOnTheConfigurationPathSaysWhatDl4jPassedSoTheLayerCanBeFound() {
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().list()
                .layer(new ConvolutionLayer.Builder(3, 3).nIn(2).nOut(4).stride(2, 2).build())
                .layer(new DenseLayer.Builder().nOut(7).weightInit(new Dirac()).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MSE).nOut(2).activation(Activation.IDENTITY).build())
                .setInputType(InputType.convolutional(5, 5, 2))
                .build();
        // The Dense layer's W: DL4J passes [nIn, nOut] = [16, 7] (2·2·4 conv outputs) in f order.
        fails(() -> new MultiLayerNetwork(conf).init(), "Dirac(groups=1)", "'tensor.shape'", "3, 4 or 5 dimensions",
                ".weightInit", "[16, 7]", "order 'f'", "fanIn 16.0", "fanOut 7.0", "dense", "PyTorch shape [7, 16]");
        MultiLayerConfiguration eye = new NeuralNetConfiguration.Builder().list()
                .layer(new ConvolutionLayer.Builder(3, 3).nIn(2).nOut(4).stride(2, 2).weightInit(new Eye()).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MSE).nOut(2).activation(Activation.IDENTITY).build())
                .setInputType(InputType.convolutional(5, 5, 2))
                .build();
        // DL4J's conv fanOut is stride-divided: 4·3·3 / (2·2) = 9.
        fails(() -> new MultiLayerNetwork(eye).init(), "Eye()", "2 dimensions", "[4, 2, 3, 3]", "order 'c'",
                "fanIn 18.0", "fanOut 9.0", "conv");
    }

    @Test
    void orthogonalOnVector() {
        INDArray v = Nd4j.create(DataType.FLOAT, 5).assign(3);
        fails(() -> new Orthogonal().apply(v, new TorchGenerator(1)), "'tensor.shape'", "[5]", "2 or more dimensions",
                "Only tensors with 2 or more dimensions are supported");
        fails(() -> new Eye().apply(v, new TorchGenerator(1)), "'tensor.shape'", "[5]", "2 dimensions");
        assertThat(v.data().asFloat()).containsOnly(3f);
    }

    @Test
    void fansOfAVectorFailAsInPyTorch() {
        INDArray v = Nd4j.create(DataType.FLOAT, 5).assign(3);
        fails(() -> new XavierUniform().apply(v), "'tensor.shape'", "[5]", "at least 2 dimensions",
                "Fan in and fan out can not be computed for tensor with fewer than 2 dimensions");
        fails(() -> new KaimingNormal().apply(v, new TorchGenerator(1)), "'tensor.shape'", "[5]");
        assertThat(v.data().asFloat()).containsOnly(3f);
    }

    static Stream<TorchWeightInit> everyScheme() {
        return Stream.of(new TorchDefaultInit(), new TorchDefaultBias(), new Uniform(), new Normal(), new TruncatedNormal(),
                new Constant(2), new Eye(), new Dirac(), new XavierUniform(), new XavierNormal(), new KaimingUniform(),
                new KaimingNormal(), new Orthogonal(), new Sparse(0.5), new LeCunUniform(), new LeCunNormal(),
                new VarianceScaling(1, FanMode.FAN_AVG, Distribution.TRUNCATED_NORMAL));
    }

    /** Zero-element shapes the scheme accepts, as PyTorch does (it returns without drawing). */
    private static long[][] validZeroElementShapes(TorchWeightInit scheme) {
        java.util.List<long[]> shapes = new java.util.ArrayList<>();
        if (!(scheme instanceof Dirac)) {
            shapes.add(new long[]{0, 5});
            shapes.add(new long[]{5, 0});
            shapes.add(new long[]{0, 0});
        }
        if (!(scheme instanceof Eye) && !(scheme instanceof Sparse)) {
            shapes.add(new long[]{0, 3, 3, 3});
            shapes.add(new long[]{2, 0, 3});
        }
        if (!(scheme instanceof Eye || scheme instanceof Sparse || scheme instanceof Dirac || scheme instanceof Orthogonal
                || scheme instanceof Xavier)) {
            // kaiming_* return on a zero-element tensor before they compute fans; so do the
            // distribution and constant schemes, which read none.
            shapes.add(new long[]{0});
        }
        return shapes.toArray(new long[0][]);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("everyScheme")
    void zeroElementTensorOfAValidShapeIsANoOp(TorchWeightInit scheme) {
        for (long[] shape : validZeroElementShapes(scheme)) {
            INDArray t = Nd4j.create(DataType.FLOAT, shape);
            TorchGenerator g = new TorchGenerator(11);
            assertThatCode(() -> scheme.apply(t, g)).as(java.util.Arrays.toString(shape)).doesNotThrowAnyException();
            assertThatCode(() -> scheme.apply(t, FastSampler.get())).doesNotThrowAnyException();
            assertThat(t.length()).isZero();
            // Nothing was drawn from the generator.
            assertThat(g.getState()).isEqualTo(new TorchGenerator(11).getState());
        }
    }

    /** Zero-element tensors PyTorch refuses (torch 2.13): the shape check comes before the no-op. */
    static Stream<Arguments> zeroElementTensorsOfAWrongShape() {
        return Stream.of(
                Arguments.of(new Eye(), new long[]{0, 2, 2}, "2 dimensions"),
                Arguments.of(new Eye(), new long[]{0}, "2 dimensions"),
                Arguments.of(new Sparse(0.5), new long[]{0, 2, 2}, "2 dimensions"),
                Arguments.of(new Dirac(), new long[]{0, 3}, "3, 4 or 5 dimensions"),
                Arguments.of(new Dirac(), new long[]{0}, "3, 4 or 5 dimensions"),
                Arguments.of(new Orthogonal(), new long[]{0}, "2 or more dimensions"),
                Arguments.of(new XavierUniform(), new long[]{0}, "Fan in and fan out can not be computed"),
                Arguments.of(new XavierNormal(), new long[]{0}, "Fan in and fan out can not be computed"));
    }

    @ParameterizedTest(name = "{0} on {1}")
    @MethodSource("zeroElementTensorsOfAWrongShape")
    void zeroElementTensorOfAWrongShapeIsRefusedAsInPyTorch(TorchWeightInit scheme, long[] shape, String expected) {
        INDArray t = Nd4j.create(DataType.FLOAT, shape);
        TorchGenerator g = new TorchGenerator(12);
        fails(() -> scheme.apply(t, g), "'tensor.shape'", java.util.Arrays.toString(shape), expected);
        fails(() -> scheme.apply(t, FastSampler.get()), "'tensor.shape'", expected);
        assertThat(g.getState()).isEqualTo(new TorchGenerator(12).getState());
    }
}
