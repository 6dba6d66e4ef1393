package io.github.dl4jinit.tests;

import io.github.dl4jinit.TorchInit;
import io.github.dl4jinit.init.Constant;
import io.github.dl4jinit.network.LayerSelector;
import io.github.dl4jinit.network.NetworkInitializer;
import io.github.dl4jinit.network.ParamRole;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.IWeightInit;
import org.deeplearning4j.nn.weights.WeightInitXavier;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.lossfunctions.LossFunctions;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * DOUBLE networks (what DL4J users run gradient checks on) get double values: constants exactly as
 * given, uniforms with 53-bit resolution, on the network path and on the configuration path.
 */
class DoubleNetworksTest {

    /** Dense nIn → nOut → BatchNorm → Output, in DOUBLE. */
    private static MultiLayerNetwork net(int nIn, int nOut, IWeightInit init) {
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().seed(3)
                .dataType(DataType.DOUBLE).weightInit(init).list()
                .layer(new DenseLayer.Builder().nIn(nIn).nOut(nOut).activation(Activation.IDENTITY).name("fc").build())
                .layer(new BatchNormalization.Builder().nOut(nOut).name("bn").build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MSE).nIn(nOut).nOut(3)
                        .activation(Activation.IDENTITY).name("out").build())
                .build());
        net.init();
        return net;
    }

    @Test
    void aConstantIsWrittenWithDoublePrecision() {
        MultiLayerNetwork net = net(5, 4, new WeightInitXavier());
        NetworkInitializer.builder()
                .rule(LayerSelector.all(), new Constant(0.3), ParamRole.WEIGHT, ParamRole.BIAS, ParamRole.GAMMA)
                .rule(LayerSelector.named("bn"), new Constant(0.3), ParamRole.RUNNING_VAR)
                .build().initialize(net);
        for (String layer : new String[]{"fc", "out"}) {
            assertThat(net.getLayer(layer).getParam("W").dup().data().asDouble()).containsOnly(0.3);
            assertThat(net.getLayer(layer).getParam("b").dup().data().asDouble()).containsOnly(0.3);
        }
        assertThat(net.getLayer("bn").getParam("gamma").dup().data().asDouble()).containsOnly(0.3);
        // BatchNorm keeps log10(std): the variance 0.3 lands as log10(√0.3), computed in double.
        assertThat(net.getLayer("bn").getParam("log10stdev").dup().data().asDouble())
                .containsOnly(Math.log10(Math.sqrt(0.3)));
        // The same value as the scheme applied to a DOUBLE tensor directly.
        INDArray t = Nd4j.create(DataType.DOUBLE, 2, 2);
        TorchInit.constant(0.3).apply(t);
        assertThat(t.data().asDouble()).containsOnly(0.3);
    }

    /** Values of U(0, 1) that are multiples of 2⁻²⁴ (float resolution); with 53 bits, probability 2⁻²⁹ each. */
    private static long onFloatGrid(INDArray a) {
        long n = 0;
        for (double x : a.dup().data().asDouble()) {
            assertThat(x).isGreaterThanOrEqualTo(0.0).isLessThan(1.0);
            double scaled = x * 0x1.0p24;
            if (scaled == Math.rint(scaled)) {
                n++;
            }
        }
        return n;
    }

    @Test
    void uniformsHave53BitsOnTheNetworkPath() {
        // 1100 x 1000 = 1.1 M values: drawn by FastSampler itself in fast mode; the head's 3000 by a
        // SeededSampler each.
        MultiLayerNetwork net = net(1100, 1000, new WeightInitXavier());
        Nd4j.getRandom().setSeed(8);
        NetworkInitializer.builder().rule(LayerSelector.all(), TorchInit.uniform(0, 1), ParamRole.WEIGHT)
                .build().initialize(net);
        assertThat(onFloatGrid(net.getLayer("fc").getParam("W"))).isLessThanOrEqualTo(2);
        assertThat(onFloatGrid(net.getLayer("out").getParam("W"))).isLessThanOrEqualTo(2);
    }

    @Test
    void uniformsHave53BitsOnTheConfigurationPath() {
        MultiLayerNetwork net = net(300, 200, TorchInit.uniform(0, 1));
        assertThat(onFloatGrid(net.getLayer("fc").getParam("W"))).isLessThanOrEqualTo(2);
        assertThat(onFloatGrid(net.getLayer("out").getParam("W"))).isLessThanOrEqualTo(2);
    }
}
