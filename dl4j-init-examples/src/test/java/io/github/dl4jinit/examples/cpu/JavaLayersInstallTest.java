package io.github.dl4jinit.examples.cpu;

import io.github.dl4jinit.examples.Models;
import io.github.dl4jinit.examples.Scheme;
import io.github.dl4jinit.examples.cpu.JavaLayers.Installed;
import io.github.dl4jinit.examples.cpu.JavaLayers.Kind;
import io.github.dl4jinit.examples.cpu.JavaLayers.NetworkInputGradient;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.layers.convolution.ConvolutionHelper;
import org.deeplearning4j.nn.layers.convolution.ConvolutionLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.lossfunctions.LossFunctions;

import java.lang.reflect.Field;
import java.util.Arrays;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@link JavaLayers#install}: what it reports, the gradient at the network's input with and without
 * {@link NetworkInputGradient#SKIPPED}, and its refusals, which leave the network as it was.
 */
class JavaLayersInstallTest {

    private static MultiLayerNetwork cnn() {
        return Models.cnn(Scheme.KAIMING, 0.001, 7, null);
    }

    @Test
    void reportsEveryLayerItGaveJavaCode() {
        MultiLayerNetwork net = cnn();
        Installed installed = JavaLayers.install(net, NetworkInputGradient.SKIPPED);
        assertThat(installed).hasToString("convolution layer0, layer3; max pooling layer1, layer5; BatchNorm layer4, layer8;"
                + " ReLU layer2, layer6, layer9 (layer0 skips the gradient at the network's input)");
        assertThat(installed.layers()).containsOnlyKeys(Kind.values());
        installed.layers().get(Kind.CONVOLUTION).forEach(n -> assertThat(net.getLayer(n).getHelper()).isInstanceOf(JavaConvHelper.class));
        installed.layers().get(Kind.BATCH_NORM).forEach(n -> assertThat(net.getLayer(n).getHelper()).isInstanceOf(JavaBatchNormHelper.class));
        installed.layers().get(Kind.MAX_POOLING).forEach(n -> assertThat(net.getLayer(n)).isInstanceOf(JavaMaxPoolLayer.class));
        installed.layers().get(Kind.RELU).forEach(n -> assertThat(net.getLayer(n)).isInstanceOf(JavaReluLayer.class));
        assertThat(((JavaConvHelper) net.getLayer(0).getHelper()).computesInputGradient()).isFalse();

        Installed computed = JavaLayers.install(cnn(), NetworkInputGradient.COMPUTED);
        assertThat(computed.inputGradientSkippedAt()).isEmpty();
        assertThat(computed.toString()).doesNotContain("skips");
        // the MLP's dense layers have no Java code
        assertThat(JavaLayers.install(Models.mlp(Scheme.KAIMING, 0.001, 7, null), NetworkInputGradient.SKIPPED))
                .hasToString("none");
    }

    /**
     * Installed without the option, the first convolution gives DL4J's gradient at the network's input
     * through the network's own API; with it, zeros, which is why only train-cnn's trainer asks for it.
     */
    @Test
    void theGradientAtTheNetworksInputIsDl4jsUnlessSkipped() {
        MultiLayerNetwork reference = cnn();
        MultiLayerNetwork computed = cnn();
        MultiLayerNetwork skipped = cnn();
        JavaLayers.install(computed, NetworkInputGradient.COMPUTED);
        JavaLayers.install(skipped, NetworkInputGradient.SKIPPED);
        computed.setParams(reference.params().dup());
        skipped.setParams(reference.params().dup());
        Nd4j.getRandom().setSeed(13);
        int n = 8;
        INDArray x = Nd4j.rand(DataType.FLOAT, n, 28 * 28);
        INDArray y = Nd4j.zeros(DataType.FLOAT, n, 10);
        for (int i = 0; i < n; i++) {
            y.putScalar(i, (3 * i) % 10, 1.0);
        }
        INDArray expected = reference.calculateGradients(x, y, null, null).getSecond();
        INDArray actual = computed.calculateGradients(x, y, null, null).getSecond();
        double scale = expected.amaxNumber().doubleValue();
        assertThat(scale).isPositive();
        assertThat(actual.shape()).containsExactly(expected.shape());
        assertThat(actual.sub(expected).amaxNumber().doubleValue() / scale).isLessThan(1e-4);
        assertThat(skipped.calculateGradients(x, y, null, null).getSecond().amaxNumber().doubleValue()).isZero();
    }

    @Test
    void refusesANetworkBeforeInit() {
        MultiLayerNetwork net = new MultiLayerNetwork(reluFirst());
        assertThatThrownBy(() -> JavaLayers.install(net, NetworkInputGradient.COMPUTED))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("net: not initialized, expected a network after init()");
    }

    @Test
    void refusesASecondInstallAndLeavesTheNetworkAsItWas() {
        MultiLayerNetwork net = cnn();
        JavaLayers.install(net, NetworkInputGradient.SKIPPED);
        Layer[] layers = net.getLayers().clone();
        Object[] helpers = Arrays.stream(layers).map(Layer::getHelper).toArray();
        assertThatThrownBy(() -> JavaLayers.install(net, NetworkInputGradient.COMPUTED))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("layer0 already has a helper, " + JavaConvHelper.class.getName() + ", expected none");
        assertThat(net.getLayers()).containsExactly(layers);
        assertThat(Arrays.stream(net.getLayers()).map(Layer::getHelper).toArray()).containsExactly(helpers);
        assertThat(((JavaConvHelper) net.getLayer(0).getHelper()).computesInputGradient()).isFalse();

        MultiLayerNetwork relu = new MultiLayerNetwork(reluFirst());
        relu.init();
        JavaLayers.install(relu, NetworkInputGradient.COMPUTED);
        assertThatThrownBy(() -> JavaLayers.install(relu, NetworkInputGradient.COMPUTED))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("layer0 is already a JavaReluLayer, expected DL4J's own layer");
    }

    /** A helper slot that is not empty further down: nothing before it is changed either. */
    @Test
    void aFilledSlotAnywhereLeavesEveryLayerAsItWas() {
        MultiLayerNetwork net = cnn();
        Field slot = Dl4jInternals.helperSlot(ConvolutionLayer.class, ConvolutionHelper.class);
        ConvolutionHelper foreign = new JavaConvHelper(true);
        Dl4jInternals.write(slot, net.getLayer(3), foreign);
        Layer[] layers = net.getLayers().clone();
        assertThatThrownBy(() -> JavaLayers.install(net, NetworkInputGradient.SKIPPED))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("layer3 already has a helper");
        assertThat(net.getLayers()).containsExactly(layers);
        assertThat(net.getLayer(0).getHelper()).isNull();
        assertThat(net.getLayer(3).getHelper()).isSameAs(foreign);
        for (Layer l : net.getLayers()) {
            assertThat(l.getClass().getName()).startsWith("org.deeplearning4j.nn.layers.");
        }
        Map<String, Layer> byName = Dl4jInternals.layersByName(net);
        assertThat(byName.values()).containsExactlyInAnyOrder(layers);
    }

    private static MultiLayerConfiguration reluFirst() {
        return new NeuralNetConfiguration.Builder().dataType(DataType.FLOAT).list()
                .layer(new ActivationLayer(Activation.RELU))
                .layer(new DenseLayer.Builder().nIn(4).nOut(4).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MSE).nOut(2).activation(Activation.IDENTITY).build())
                .setInputType(InputType.feedForward(4))
                .build();
    }
}
