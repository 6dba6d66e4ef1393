package io.github.dl4jinit.tests;

import io.github.dl4jinit.network.InitializationReport;
import io.github.dl4jinit.network.NetworkInitializer;
import io.github.dl4jinit.presets.AutoRules;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.activations.impl.ActivationLReLU;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.lossfunctions.LossFunctions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** auto(): each layer's weight variance follows its own activation's rule. */
class AutoInitTest {
    private static final int IN = 400;
    private static final int OUT = 300;

    @Test
    void weightVarianceFollowsEachLayersActivation() {
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().seed(1)
                .dataType(DataType.FLOAT).list()
                .layer(new DenseLayer.Builder().nIn(IN).nOut(OUT).activation(Activation.RELU).name("relu").build())
                .layer(new DenseLayer.Builder().nIn(OUT).nOut(IN).activation(new ActivationLReLU(0.2)).name("leaky").build())
                .layer(new DenseLayer.Builder().nIn(IN).nOut(OUT).activation(Activation.TANH).name("tanh").build())
                .layer(new DenseLayer.Builder().nIn(OUT).nOut(IN).activation(Activation.SIGMOID).name("sigmoid").build())
                .layer(new DenseLayer.Builder().nIn(IN).nOut(OUT).activation(Activation.SELU).name("selu").build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(OUT).nOut(IN)
                        .activation(Activation.SOFTMAX).name("softmax").build())
                .build());
        net.init();
        Nd4j.getRandom().setSeed(11);
        InitializationReport report = AutoRules.initializer().initialize(net);

        double relu = 2.0 / IN;
        double leaky = 2.0 / (1 + 0.2 * 0.2) / OUT;
        double tanh = (25.0 / 9) * 2.0 / (IN + OUT);
        double xavier = 2.0 / (IN + OUT);
        double selu = 1.0 / IN;
        // The sample variance of n = 120,000 normals has a relative std of √(2/n) ≈ 0.41 %; allow 6σ.
        double rel = 6 * Math.sqrt(2.0 / (IN * OUT));
        assertVariance(net, "relu", relu, rel);
        assertVariance(net, "leaky", leaky, rel);
        assertVariance(net, "tanh", tanh, rel);
        assertVariance(net, "sigmoid", xavier, rel);
        assertVariance(net, "selu", selu, rel);
        assertVariance(net, "softmax", xavier, rel);
        assertThat(net.getLayer("relu").getParam("b").amaxNumber().doubleValue()).isZero();
        assertThat(report.schemeOf("leaky", "W")).contains("KaimingNormal", "0.2");
        assertThat(report.schemeOf("selu", "W")).contains("LeCunNormal");
    }

    private static void assertVariance(MultiLayerNetwork net, String layer, double expected, double rel) {
        INDArray w = net.getLayer(layer).getParam("W").castTo(DataType.DOUBLE);
        double mean = w.meanNumber().doubleValue();
        double var = w.sub(mean).muli(w.sub(mean)).meanNumber().doubleValue();
        assertThat(var).as("Var(W) of " + layer).isCloseTo(expected, within(expected * rel));
    }
}
