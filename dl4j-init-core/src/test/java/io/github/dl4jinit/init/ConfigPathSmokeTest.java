package io.github.dl4jinit.init;

import io.github.dl4jinit.TorchInit;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.lossfunctions.LossFunctions;

import static org.assertj.core.api.Assertions.assertThat;

/** The configuration path writes into the network's own parameters, within PyTorch's bound. */
class ConfigPathSmokeTest {

    @Test
    void torchDefaultFillsDenseWeightsWithinBound() {
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().seed(1)
                .list()
                .layer(new DenseLayer.Builder().nIn(400).nOut(300).activation(Activation.RELU)
                        .weightInit(TorchInit.torchDefault()).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(300).nOut(10)
                        .activation(Activation.SOFTMAX).weightInit(TorchInit.kaimingNormal(0, "fan_out", "relu")).build())
                .build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        INDArray w = net.getLayer(0).getParam("W");
        double bound = 1 / Math.sqrt(400);
        assertThat(w.maxNumber().doubleValue()).isLessThanOrEqualTo(bound).isGreaterThan(0.9 * bound);
        assertThat(w.minNumber().doubleValue()).isGreaterThanOrEqualTo(-bound).isLessThan(-0.9 * bound);
        INDArray flat = net.params().reshape(net.params().length());
        assertThat(flat.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(0, 400 * 300)).maxNumber().doubleValue())
                .isEqualTo(w.maxNumber().doubleValue());
        INDArray w2 = net.getLayer(1).getParam("W");
        double expectedStd = Math.sqrt(2.0) / Math.sqrt(10);
        assertThat(w2.stdNumber().doubleValue()).isBetween(0.9 * expectedStd, 1.1 * expectedStd);
    }
}
