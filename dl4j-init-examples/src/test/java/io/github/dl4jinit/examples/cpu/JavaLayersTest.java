package io.github.dl4jinit.examples.cpu;

import io.github.dl4jinit.examples.Models;
import io.github.dl4jinit.examples.Scheme;
import io.github.dl4jinit.examples.cpu.JavaLayers.NetworkInputGradient;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.activations.impl.ActivationReLU;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.offset;

/**
 * The Java layer helpers ({@link JavaConvHelper}, {@link JavaBatchNormHelper}, {@link JavaMaxPoolHelper})
 * and layers ({@link JavaMaxPoolLayer}, {@link JavaReluLayer}) compute what DL4J's own paths compute: the same network with and without them gives the same
 * output, loss, parameter gradients (running-statistics updates included), gradient at the input and
 * parameters after a training step, within float rounding (the sums run in another order).
 */
class JavaLayersTest {

    /** A network from {@code factory}, with the Java layers as train-cnn installs them ({@code helper}) or DL4J's own. */
    private static MultiLayerNetwork build(boolean helper, Supplier<MultiLayerNetwork> factory) {
        MultiLayerNetwork net = factory.get();
        if (helper) {
            JavaLayers.install(net, NetworkInputGradient.SKIPPED);
        }
        return net;
    }

    /**
     * Stride 2 with padding, dilation 2, a rectangular kernel with a rectangular stride, 2 input
     * channels; pooling with a dilated window and a rectangular stride, and with padding.
     */
    private static MultiLayerNetwork oddGeometry() {
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder()
                .seed(3).dataType(DataType.FLOAT).updater(new Adam(1e-3)).weightInit(WeightInit.XAVIER)
                .convolutionMode(ConvolutionMode.Truncate)
                .list()
                .layer(new ConvolutionLayer.Builder(3, 3).nIn(2).nOut(4).stride(2, 2).padding(1, 1)
                        .activation(Activation.TANH).build())
                .layer(new SubsamplingLayer.Builder(SubsamplingLayer.PoolingType.MAX).kernelSize(2, 2).stride(1, 2)
                        .dilation(1, 2).build())
                .layer(new ConvolutionLayer.Builder(3, 3).nOut(5).dilation(2, 2).padding(2, 1)
                        .activation(Activation.RELU).build())
                .layer(new BatchNormalization.Builder().build())
                .layer(new SubsamplingLayer.Builder(SubsamplingLayer.PoolingType.MAX).kernelSize(3, 2).stride(2, 1)
                        .padding(1, 1).build())
                .layer(new ConvolutionLayer.Builder(2, 3).nOut(3).stride(1, 2).padding(0, 2)
                        .activation(Activation.IDENTITY).build())
                .layer(new DenseLayer.Builder().nOut(7).activation(Activation.IDENTITY).build())
                .layer(new BatchNormalization.Builder().build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(4).activation(Activation.SOFTMAX).build())
                .setInputType(InputType.convolutionalFlat(11, 13, 2))
                .build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        return net;
    }

    /** 1 chunk, and 3 chunks of unequal size (the batch is split between threads, dW summed per chunk). */
    @ParameterizedTest(name = "{0} thread(s)")
    @ValueSource(ints = {1, 3})
    void exampleCnnMatchesDl4jsOwnConvolution(int threads) throws Exception {
        withThreads(threads, () -> assertSameAsDl4j(() -> Models.cnn(Scheme.KAIMING, 0.001, 7, null), 16,
                new long[]{1, 28, 28}, 10));
    }

    @ParameterizedTest(name = "{0} thread(s)")
    @ValueSource(ints = {1, 3})
    void stridesPaddingAndDilationMatchDl4jsOwnConvolution(int threads) throws Exception {
        withThreads(threads, () -> assertSameAsDl4j(JavaLayersTest::oddGeometry, 6, new long[]{2, 11, 13}, 4));
    }

    /** Ties (inputs of 0 and 1): the gradient must go where libnd4j's maxpool2d_bp sends it. */
    @ParameterizedTest(name = "{0} thread(s)")
    @ValueSource(ints = {1, 3})
    void maxPoolingBackwardBreaksTiesAsDl4jDoes(int threads) throws Exception {
        withThreads(threads, () -> {
            Map<Supplier<MultiLayerNetwork>, Integer> features = Map.of(
                    () -> Models.cnn(Scheme.KAIMING, 0.001, 7, null), 28 * 28, JavaLayersTest::oddGeometry, 2 * 11 * 13);
            for (Map.Entry<Supplier<MultiLayerNetwork>, Integer> net : features.entrySet()) {
                Supplier<MultiLayerNetwork> factory = net.getKey();
                MultiLayerNetwork reference = build(false, factory);
                MultiLayerNetwork helped = build(true, factory);
                for (int i = 0; i < reference.getLayers().length; i++) {
                    Layer mine = helped.getLayer(i);
                    if (!(mine.getHelper() instanceof JavaMaxPoolHelper)) {
                        continue;
                    }
                    Layer theirs = reference.getLayer(i);
                    LayerWorkspaceMgr mgr = LayerWorkspaceMgr.noWorkspaces();
                    long[] shape = inputShape(reference, i, net.getValue());
                    Nd4j.getRandom().setSeed(5 + i);
                    INDArray x = Nd4j.rand(DataType.FLOAT, shape).muli(2).castTo(DataType.INT).castTo(DataType.FLOAT);
                    INDArray out = theirs.activate(x, true, mgr);
                    assertThat(mine.activate(x, true, mgr).equalsWithEps(out, 0)).as("layer %d forward", i).isTrue();
                    INDArray eps = Nd4j.rand(DataType.FLOAT, out.shape());
                    INDArray expected = theirs.backpropGradient(eps, mgr).getSecond();
                    INDArray actual = mine.backpropGradient(eps, mgr).getSecond();
                    assertThat(actual.equalsWithEps(expected, 0)).as("layer %d", i).isTrue();
                }
            }
        });
    }

    /**
     * ReLU layers: the same bits as DL4J's own layer, forward and backward, at 0, −0, NaN and ±∞ too,
     * over an input large enough to be split between threads; a capped or leaky ReLU and dropout keep
     * DL4J's layer.
     */
    @ParameterizedTest(name = "{0} thread(s)")
    @ValueSource(ints = {1, 3})
    void reluLayersGiveDl4jsBits(int threads) throws Exception {
        withThreads(threads, () -> {
            MultiLayerNetwork reference = build(false, () -> Models.cnn(Scheme.KAIMING, 0.001, 7, null));
            MultiLayerNetwork helped = build(true, () -> Models.cnn(Scheme.KAIMING, 0.001, 7, null));
            int checked = 0;
            for (int i = 0; i < reference.getLayers().length; i++) {
                if (!(helped.getLayer(i) instanceof JavaReluLayer)) {
                    continue;
                }
                Layer mine = helped.getLayer(i);
                Layer theirs = reference.getLayer(i);
                assertThat(theirs.getClass()).isEqualTo(org.deeplearning4j.nn.layers.ActivationLayer.class);
                LayerWorkspaceMgr mgr = LayerWorkspaceMgr.noWorkspaces();
                Nd4j.getRandom().setSeed(17 + i);
                INDArray x = Nd4j.randn(DataType.FLOAT, 4, 10, 24, 24);
                float[] special = {0f, -0f, Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.MIN_VALUE, -Float.MIN_VALUE};
                for (int k = 0; k < special.length; k++) {
                    x.putScalar(new long[]{k % 4, k, 3, 2 * k}, special[k]);
                }
                INDArray eps = Nd4j.randn(DataType.FLOAT, x.shape());
                float[] out = theirs.activate(x, true, mgr).data().asFloat();
                float[] dx = theirs.backpropGradient(eps, mgr).getSecond().data().asFloat();
                assertThat(mine.activate(x, true, mgr).data().asFloat()).as("layer %d forward", i).isEqualTo(out);
                assertThat(mine.backpropGradient(eps, mgr).getSecond().data().asFloat()).as("layer %d backward", i)
                        .isEqualTo(dx);
                assertThat(x.length()).isGreaterThan(2L * Parallel.MIN_ELEMENTS_PER_CHUNK);
                checked++;
            }
            assertThat(checked).isEqualTo(3);
        });
    }

    @Test
    void onlyPlainReluLayersAreReplaced() {
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder()
                .dataType(DataType.FLOAT).list()
                .layer(new DenseLayer.Builder().nIn(4).nOut(4).build())
                .layer(new ActivationLayer(Activation.RELU))
                .layer(new ActivationLayer(new ActivationReLU(6.0, 0.0, 0.0)))
                .layer(new ActivationLayer(new ActivationReLU(null, 0.0, 0.1)))
                .layer(new ActivationLayer.Builder().activation(Activation.RELU).dropOut(0.5).build())
                .layer(new ActivationLayer(Activation.TANH))
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MSE).nOut(2).activation(Activation.IDENTITY).build())
                .build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        JavaLayers.install(net, NetworkInputGradient.COMPUTED);
        assertThat(net.getLayers()).extracting(l -> l instanceof JavaReluLayer)
                .containsExactly(false, true, false, false, false, false, false);
        assertThat(net.output(Nd4j.ones(DataType.FLOAT, 2, 4)).shape()).containsExactly(2, 2);
    }

    /** The shape of layer {@code i}'s input for a batch of 3 flat inputs of {@code features} values. */
    private static long[] inputShape(MultiLayerNetwork net, int i, int features) {
        List<INDArray> activations = net.feedForwardToLayer(i, Nd4j.zeros(DataType.FLOAT, 3, features), false);
        return activations.get(i).shape();
    }

    private interface Check {
        void run() throws Exception;
    }

    private static void withThreads(int threads, Check check) throws Exception {
        int old = Parallel.threads();
        Parallel.setThreads(threads);
        try {
            check.run();
        } finally {
            Parallel.setThreads(old);
        }
    }

    private static void assertSameAsDl4j(Supplier<MultiLayerNetwork> factory, int batch, long[] image, int classes) {
        int features = (int) (image[0] * image[1] * image[2]);
        MultiLayerNetwork reference = build(false, factory);
        MultiLayerNetwork helped = build(true, factory);
        assertThat(helped.getLayer(0).getHelper()).isInstanceOf(JavaConvHelper.class);
        // the first layer's input gradient is thrown away by fit(): its helper skips it, later ones do not
        List<Boolean> inputGradients = Arrays.stream(helped.getLayers())
                .filter(l -> l.getHelper() instanceof JavaConvHelper)
                .map(l -> ((JavaConvHelper) l.getHelper()).computesInputGradient()).collect(Collectors.toList());
        assertThat(inputGradients.get(0)).isFalse();
        assertThat(inputGradients.subList(1, inputGradients.size())).isNotEmpty().containsOnly(true);
        assertThat(helped.getLayers()).filteredOn(l -> l instanceof org.deeplearning4j.nn.layers.normalization.BatchNormalization)
                .allMatch(l -> l.getHelper() instanceof JavaBatchNormHelper).isNotEmpty();
        assertThat(helped.getLayers()).filteredOn(l -> l instanceof org.deeplearning4j.nn.layers.convolution.subsampling.SubsamplingLayer)
                .allMatch(l -> l instanceof JavaMaxPoolLayer && l.getHelper() instanceof JavaMaxPoolHelper).isNotEmpty();
        assertThat(helped.getLayers()).filteredOn(l -> l instanceof org.deeplearning4j.nn.layers.ActivationLayer)
                .allMatch(l -> l instanceof JavaReluLayer);
        for (int i = 0; i < helped.getLayers().length; i++) {
            Layer l = helped.getLayers()[i];
            assertThat(l.getIndex()).isEqualTo(i);
            assertThat(helped.getLayer(l.conf().getLayer().getLayerName())).isSameAs(l);
        }
        assertThat(reference.getLayers()).allMatch(l -> l.getHelper() == null);
        helped.setParams(reference.params().dup());
        Nd4j.getRandom().setSeed(11);
        // two batches of different size and content, in turn, so stale cached columns would show
        for (int round = 0; round < 2; round++) {
            int n = batch + round;
            INDArray x = Nd4j.rand(DataType.FLOAT, n, features).subi(0.5 * round);
            INDArray y = Nd4j.zeros(DataType.FLOAT, n, classes);
            for (int i = 0; i < n; i++) {
                y.putScalar(i, (i * 7 + round) % classes, 1.0);
            }
            assertThat(helped.output(x, false).sub(reference.output(x, false)).amaxNumber().doubleValue())
                    .isLessThan(1e-5);

            reference.setInput(x);
            reference.setLabels(y);
            reference.computeGradientAndScore();
            helped.setInput(x);
            helped.setLabels(y);
            helped.computeGradientAndScore();
            assertThat(helped.score()).isCloseTo(reference.score(), offset(1e-5));
            Map<String, INDArray> expected = reference.gradient().gradientForVariable();
            Map<String, INDArray> actual = helped.gradient().gradientForVariable();
            assertThat(actual.keySet()).containsExactlyInAnyOrderElementsOf(expected.keySet());
            for (String k : expected.keySet()) {
                // Relative to the layer's weight (or gamma) gradient: a bias feeding BatchNorm has a
                // gradient that is zero up to rounding, so its own size is no scale to compare with.
                String weight = k.substring(0, k.indexOf('_') + 1) + (k.endsWith("_beta") ? "gamma" : "W");
                double scale = Math.max(expected.get(k).amaxNumber().doubleValue(),
                        expected.getOrDefault(weight, expected.get(k)).amaxNumber().doubleValue());
                double diff = actual.get(k).sub(expected.get(k)).amaxNumber().doubleValue();
                assertThat(diff / scale).as(k + " (max |grad| " + scale + ")").isLessThan(1e-4);
            }
            assertThat(expected).containsKey("0_W");

            // the gradient at the input of the first layer: col2im with this geometry's padding and strides
            LayerWorkspaceMgr mgr = LayerWorkspaceMgr.noWorkspaces();
            INDArray image4d = x.reshape('c', n, image[0], image[1], image[2]);
            Layer first = reference.getLayer(0);
            INDArray eps = Nd4j.rand(DataType.FLOAT, first.activate(image4d, true, mgr).shape());
            INDArray expectedEps = first.backpropGradient(eps, mgr).getSecond();
            MultiLayerNetwork withInputGradient = factory.get();
            JavaLayers.install(withInputGradient, NetworkInputGradient.COMPUTED);
            withInputGradient.initGradientsView();
            Layer helpedFirst = withInputGradient.getLayer(0);
            helpedFirst.setParams(first.params().dup());
            assertThat(((JavaConvHelper) helpedFirst.getHelper()).computesInputGradient()).isTrue();
            helpedFirst.activate(image4d, true, mgr);
            INDArray actualEps = helpedFirst.backpropGradient(eps, mgr).getSecond();
            double scale = expectedEps.amaxNumber().doubleValue();
            assertThat(scale).isPositive();
            assertThat(actualEps.sub(expectedEps).amaxNumber().doubleValue() / scale).isLessThan(1e-5);

            // one training step: BatchNorm's running mean and variance move alike (the helper hands
            // DL4J the batch statistics); the other parameters' updates are covered by the gradients
            reference.fit(x, y);
            helped.fit(x, y);
            int running = 0;
            for (Map.Entry<String, INDArray> e : reference.paramTable().entrySet()) {
                if (e.getKey().endsWith("_mean") || e.getKey().endsWith("_var")) {
                    INDArray mine = helped.paramTable().get(e.getKey());
                    assertThat(mine.sub(e.getValue()).amaxNumber().doubleValue()).as(e.getKey()).isLessThan(1e-5);
                    running++;
                }
            }
            assertThat(running).isGreaterThanOrEqualTo(2);
            // Adam moves parameters whose gradient is rounding noise by up to lr either way: start the
            // next round from equal parameters again
            helped.setParams(reference.params().dup());
        }
    }
}
