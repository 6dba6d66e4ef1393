package io.github.dl4jinit.init;

import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.lossfunctions.LossFunctions;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The configuration path writes every scheme's values into the network's own flat parameter array,
 * at each view's offset and in DL4J's memory order (PyTorch's (out, in) C order for Dense W).
 */
class ConfigPathParamsTest {

    @Test
    void denseLayersWriteIntoNetParamsAtTheirOffsets() {
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().seed(17).list()
                .layer(new DenseLayer.Builder().nIn(5).nOut(4).weightInit(new Constant(0.5)).build())
                .layer(new DenseLayer.Builder().nIn(4).nOut(6).weightInit(new Normal(3, 1)).build())
                .layer(new DenseLayer.Builder().nIn(6).nOut(3).weightInit(new Eye()).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MSE).nIn(3).nOut(2)
                        .activation(Activation.IDENTITY).weightInit(new TorchDefaultInit()).build())
                .build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        float[] p = net.params().data().asFloat();
        // Layout: [W0 20 | b0 4 | W1 24 | b1 6 | W2 18 | b2 3 | W3 6 | b3 2] = 83
        assertThat(p).hasSize(83);
        for (int i = 0; i < 20; i++) {
            assertThat(p[i]).as("W0[%s]", i).isEqualTo(0.5f);
        }
        for (int i : new int[]{20, 21, 22, 23, 48, 49, 50, 51, 52, 53, 72, 73, 74, 81, 82}) {
            assertThat(p[i]).as("bias at %s", i).isZero();
        }
        // W1 ~ N(3, 1): every value far from the constant and bias neighbours; and the view is the
        // flat region in f order.
        INDArray w1 = net.getLayer(1).getParam("W");
        for (int r = 0; r < 4; r++) {
            for (int c = 0; c < 6; c++) {
                assertThat(p[24 + r + 4 * c]).isEqualTo(w1.getFloat(r, c));
                assertThat(p[24 + r + 4 * c]).isBetween(3f - 6, 3f + 6).isNotEqualTo(0.5f).isNotZero();
            }
        }
        // W2 = eye on PyTorch's (3, 6): DL4J W [6, 3] f has ones at (i, i), i.e. flat 54 + i + 6i.
        for (int i = 0; i < 18; i++) {
            float expected = (i == 0 || i == 7 || i == 14) ? 1f : 0f;
            assertThat(p[54 + i]).as("W2 flat %s", i).isEqualTo(expected);
        }
        assertThat(net.getLayer(2).getParam("W").getFloat(2, 2)).isEqualTo(1f);
        // W3 = U(±1/√3)
        for (int i = 75; i < 81; i++) {
            assertThat(Math.abs(p[i])).isLessThanOrEqualTo((float) (1 / Math.sqrt(3))).isPositive();
        }
    }

    @Test
    void doublePrecisionNetwork() {
        // A DOUBLE network takes the samplers' non-float paths (ND4J's Gaussian op, double QR copy).
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().seed(23).dataType(DataType.DOUBLE).list()
                .layer(new DenseLayer.Builder().nIn(300).nOut(400).weightInit(new TruncatedNormal(0, 1, -0.5, 1.5)).build())
                .layer(new DenseLayer.Builder().nIn(400).nOut(250).weightInit(new KaimingNormal(0, FanMode.FAN_OUT, Nonlinearity.RELU)).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MSE).nIn(250).nOut(40)
                        .activation(Activation.IDENTITY).weightInit(new Orthogonal()).build())
                .build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        assertThat(net.params().dataType()).isEqualTo(DataType.DOUBLE);
        INDArray w0 = net.getLayer(0).getParam("W");
        assertThat(w0.minNumber().doubleValue()).isGreaterThanOrEqualTo(-0.5).isLessThan(-0.49);
        assertThat(w0.maxNumber().doubleValue()).isLessThanOrEqualTo(1.5).isGreaterThan(1.49);
        // KaimingNormal(fan_out = 250, relu): std √2/√250 ≈ 0.0894 on n = 100 000 values;
        // SE of s/σ ≈ 1/√(2n) ≈ 0.0022, so ±3 % is more than 10 standard errors.
        double std = net.getLayer(1).getParam("W").stdNumber().doubleValue();
        assertThat(std).isBetween(0.97 * Math.sqrt(2.0 / 250), 1.03 * Math.sqrt(2.0 / 250));
        INDArray w2 = net.getLayer(2).getParam("W").transpose();           // (40, 250): wide
        INDArray gram = w2.mmul(w2.transpose());
        assertThat(org.nd4j.linalg.ops.transforms.Transforms.abs(gram.sub(Nd4j.eye(40).castTo(DataType.DOUBLE)), false)
                .maxNumber().doubleValue()).isLessThan(1e-10);
    }

    @Test
    void convWeightsFollowTheBiasInNetParams() {
        // ConvolutionLayer stores b first, then W (4, 2, 3, 3) c. dirac_: w[d, d, 1, 1] = 1 for d < 2.
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().seed(17).list()
                .layer(new ConvolutionLayer.Builder(3, 3).nIn(2).nOut(4).biasInit(0.25).weightInit(new Dirac()).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MSE).nOut(2).activation(Activation.IDENTITY).build())
                .setInputType(InputType.convolutional(5, 5, 2))
                .build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        float[] p = net.params().data().asFloat();
        for (int i = 0; i < 4; i++) {
            assertThat(p[i]).as("b[%s]", i).isEqualTo(0.25f);
        }
        float sum = 0;
        for (int i = 4; i < 4 + 72; i++) {
            sum += p[i];
        }
        assertThat(sum).isEqualTo(2f);
        // (d, d, 1, 1) in C order of (4, 2, 3, 3): d·18 + d·9 + 4
        assertThat(p[4 + 4]).isEqualTo(1f);
        assertThat(p[4 + 18 + 9 + 4]).isEqualTo(1f);
    }
}
