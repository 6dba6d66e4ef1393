package io.github.dl4jinit.examples;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.layers.ActivationLayer;
import org.deeplearning4j.nn.layers.OutputLayer;
import org.deeplearning4j.nn.layers.convolution.ConvolutionLayer;
import org.deeplearning4j.nn.layers.convolution.subsampling.SubsamplingLayer;
import org.deeplearning4j.nn.layers.feedforward.dense.DenseLayer;
import org.deeplearning4j.nn.layers.normalization.BatchNormalization;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** {@link Models} builds plain DL4J networks: DL4J's own layer classes, no helpers. */
class ModelsTest {

    private static List<Class<?>> classes(MultiLayerNetwork net) {
        return Arrays.stream(net.getLayers()).map(Object::getClass).<Class<?>>map(c -> c).toList();
    }

    private static void assertNoHelpers(MultiLayerNetwork net) {
        assertThat(net.getLayers()).extracting(Layer::getHelper).containsOnlyNulls();
    }

    @Test
    void theCnnIsDl4jsOwnLayers() {
        MultiLayerNetwork net = Models.cnn(Scheme.TORCH_DEFAULT, 0.001, 7, null);
        assertThat(classes(net)).containsExactly(ConvolutionLayer.class, SubsamplingLayer.class, ActivationLayer.class,
                ConvolutionLayer.class, BatchNormalization.class, SubsamplingLayer.class, ActivationLayer.class,
                DenseLayer.class, BatchNormalization.class, ActivationLayer.class, OutputLayer.class);
        assertNoHelpers(net);
    }

    @Test
    void theMlpsAreDl4jsOwnLayers() {
        MultiLayerNetwork mlp = Models.mlp(Scheme.KAIMING, 0.001, 7, null);
        assertThat(classes(mlp)).containsExactly(DenseLayer.class, DenseLayer.class, OutputLayer.class);
        MultiLayerNetwork deep = Models.deepMlp(Scheme.KAIMING, Activation.TANH, 3, 16, 7, null);
        assertThat(classes(deep)).containsExactly(DenseLayer.class, DenseLayer.class, DenseLayer.class, OutputLayer.class);
        assertNoHelpers(mlp);
        assertNoHelpers(deep);
    }

    /** What a user who asks for it gets: the gradient at the CNN's input, not zeros. */
    @Test
    void theCnnGivesTheGradientAtItsInput() {
        MultiLayerNetwork net = Models.cnn(Scheme.KAIMING, 0.001, 7, null);
        Nd4j.getRandom().setSeed(3);
        INDArray x = Nd4j.rand(DataType.FLOAT, 4, 28 * 28);
        INDArray y = Nd4j.zeros(DataType.FLOAT, 4, 10);
        for (int i = 0; i < 4; i++) {
            y.putScalar(i, i, 1.0);
        }
        INDArray dx = net.calculateGradients(x, y, null, null).getSecond();
        assertThat(dx.shape()).containsExactly(4, 28 * 28);
        assertThat(dx.amaxNumber().doubleValue()).isPositive();
    }
}
