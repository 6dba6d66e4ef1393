package io.github.dl4jinit.tests;

import io.github.dl4jinit.TorchInit;
import io.github.dl4jinit.init.TorchDefaultInit;
import io.github.dl4jinit.sampling.TorchGenerator;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.lossfunctions.LossFunctions;

import java.io.IOException;

import static org.assertj.core.api.Assertions.assertThat;

/** The Java examples of docs/schemes.md, compiled and run (see {@link DocSnippets}). */
class SchemesDocExamplesTest {

    @Test
    void quickStart() {
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
        // doc:end
        double std = net.getLayer(0).getParam("W").stdNumber().doubleValue();
        assertThat(std).isBetween(0.95 * Math.sqrt(2.0 / 256), 1.05 * Math.sqrt(2.0 / 256));
        double bound = 1 / Math.sqrt(256);
        assertThat(net.getLayer(1).getParam("W").amaxNumber().doubleValue()).isBetween(0.9 * bound, bound);
    }

    @Test
    void bitExactTensor() {
        // doc:begin
        INDArray w = Nd4j.create(DataType.FLOAT, 64, 128);                 // PyTorch shape (out, in)
        TorchInit.kaimingNormal(0, "fan_out", "relu").apply(w, new TorchGenerator(42));
        // == torch.manual_seed(42); nn.init.kaiming_normal_(w, mode="fan_out", nonlinearity="relu")
        // doc:end
        INDArray again = Nd4j.create(DataType.FLOAT, 64, 128);
        TorchInit.kaimingNormal(0, "fan_out", "relu").apply(again, new TorchGenerator(42));
        assertThat(again).isEqualTo(w);
        assertThat(w.stdNumber().doubleValue()).isBetween(0.9 * Math.sqrt(2.0 / 64), 1.1 * Math.sqrt(2.0 / 64));
    }

    @Test
    void documentShowsExactlyTheseExamples() throws IOException {
        DocSnippets.assertDocumentShowsExactly("docs/schemes.md", SchemesDocExamplesTest.class, 2);
    }
}
