package io.github.dl4jinit.tests;

import io.github.dl4jinit.diagnostics.Lsuv;
import io.github.dl4jinit.init.Eye;
import io.github.dl4jinit.init.TruncatedNormal;
import io.github.dl4jinit.init.XavierUniform;
import io.github.dl4jinit.network.LayerSelector;
import io.github.dl4jinit.network.NetworkInitializer;
import io.github.dl4jinit.network.ParamRole;
import io.github.dl4jinit.presets.TorchDefaults;
import io.github.dl4jinit.sampling.Sampler;
import io.github.dl4jinit.sampling.TorchGenerator;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.EmbeddingLayer;
import org.deeplearning4j.nn.conf.layers.LSTM;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.mockito.ArgumentMatcher;
import org.mockito.InOrder;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.lossfunctions.LossFunctions;

import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyDouble;
import static org.mockito.ArgumentMatchers.anyInt;
import static org.mockito.ArgumentMatchers.argThat;
import static org.mockito.ArgumentMatchers.doubleThat;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.inOrder;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.spy;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.verifyNoInteractions;

/**
 * What a generator sees, watched by a Mockito spy: validation and a refused call draw nothing, and an
 * accepted call asks for exactly PyTorch's tensors, in PyTorch's order, with PyTorch's bounds. A
 * parity test sees only the bits that result; the spy sees each request.
 */
class SpiedSamplersTest {

    /** conv (DL4J stores its bias first) → BatchNorm → Dense → LSTM → Embedding → Output, sizes independent. */
    private static MultiLayerNetwork zoo() {
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().seed(1).dataType(DataType.FLOAT)
                .list()
                .layer(new ConvolutionLayer.Builder(3, 3).nIn(2).nOut(4).activation(Activation.RELU).name("conv").build())
                .layer(new BatchNormalization.Builder().nOut(4).name("bn").build())
                .layer(new DenseLayer.Builder().nIn(6).nOut(5).activation(Activation.RELU).name("fc").build())
                .layer(new LSTM.Builder().nIn(5).nOut(3).activation(Activation.TANH).name("lstm").build())
                .layer(new EmbeddingLayer.Builder().nIn(7).nOut(3).name("embed").build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MSE).nIn(3).nOut(2)
                        .activation(Activation.IDENTITY).name("out").build())
                .build());
        net.init();
        return net;
    }

    private static INDArray shaped(long... shape) {
        return argThat(new ArgumentMatcher<INDArray>() {
            @Override
            public boolean matches(INDArray t) {
                return t != null && Arrays.equals(t.shape(), shape);
            }

            @Override
            public String toString() {
                return "a tensor of shape " + Arrays.toString(shape);
            }
        });
    }

    private static double near(double v) {
        return doubleThat(x -> Math.abs(x - v) <= 1e-12 * Math.abs(v));
    }

    @Test
    void pytorchsDefaultsAskForPyTorchsTensorsInPyTorchsOrder() {
        TorchGenerator g = spy(new TorchGenerator(0));
        MultiLayerNetwork net = zoo();
        TorchDefaults.initializer().toBuilder().generator(g).build().initialize(net);

        InOrder order = inOrder(g);
        // Conv2d(2, 4, 3): weight before bias (DL4J stores b first), both U(±1/√(2·3·3)).
        double conv = 1 / Math.sqrt(2 * 3 * 3);
        order.verify(g).uniform(shaped(4, 2, 3, 3), near(-conv), near(conv));
        order.verify(g).uniform(shaped(4), near(-conv), near(conv));
        // BatchNorm draws nothing. Linear(6, 5): weight (5, 6), bias (5), U(±1/√6).
        double fc = 1 / Math.sqrt(6);
        order.verify(g).uniform(shaped(5, 6), near(-fc), near(fc));
        order.verify(g).uniform(shaped(5), near(-fc), near(fc));
        // LSTM(5, 3): weight_ih (12, 5), weight_hh (12, 3), bias_ih (12), bias_hh (12), all U(±1/√3).
        double lstm = 1 / Math.sqrt(3);
        order.verify(g).uniform(shaped(12, 5), near(-lstm), near(lstm));
        order.verify(g).uniform(shaped(12, 3), near(-lstm), near(lstm));
        order.verify(g, times(2)).uniform(shaped(12), near(-lstm), near(lstm));
        // Embedding(7, 3): N(0, 1).
        order.verify(g).normal(shaped(7, 3), eq(0.0), eq(1.0));
        // Linear(3, 2).
        double out = 1 / Math.sqrt(3);
        order.verify(g).uniform(shaped(2, 3), near(-out), near(out));
        order.verify(g).uniform(shaped(2), near(-out), near(out));
        // Nothing else was asked for: no draw by validation, none twice.
        verify(g, times(10)).uniform(any(), anyDouble(), anyDouble());
        verify(g, times(1)).normal(any(), anyDouble(), anyDouble());
        verify(g, never()).permutation(anyInt());
    }

    @Test
    void aRefusedCallDrawsNothing() {
        TorchGenerator g = spy(new TorchGenerator(0));
        MultiLayerNetwork net = zoo();
        INDArray before = net.params().dup();
        NetworkInitializer init = TorchDefaults.initializer().toBuilder().generator(g)
                // validated, and would draw...
                .rule(LayerSelector.named("bn"), new TruncatedNormal(1, 0.02, 0.95, 1.05), ParamRole.GAMMA)
                .rule(LayerSelector.named("fc"), new XavierUniform(), ParamRole.WEIGHT)
                // ... but this one cannot fit conv's 4-D weight.
                .rule(LayerSelector.named("conv"), new Eye(), ParamRole.WEIGHT)
                .build();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> init.initialize(net));
        assertThat(e.getMessage()).contains("Eye", "conv", "2 dimensions");
        verifyNoInteractions(g);
        assertThat(net.params()).isEqualTo(before);
    }

    @Test
    void lsuvDrawsNothingForABatchItRefusesAndOneOrthonormalMatrixPerLayerInForwardOrder() {
        MultiLayerNetwork net = zoo2();
        Sampler refused = mock(Sampler.class);
        Lsuv lsuv = Lsuv.builder().sampler(refused).build();
        assertThrows(IllegalArgumentException.class, () -> lsuv.initialize(net, Nd4j.rand(DataType.FLOAT, 8, 5)));
        verifyNoInteractions(refused);

        TorchGenerator g = spy(new TorchGenerator(3));
        Lsuv.builder().sampler(g).build().initialize(net, Nd4j.rand(DataType.FLOAT, 64, 6));
        // orthogonal_ draws N(0, 1) of the flattened PyTorch weight (out, in), layer by layer.
        InOrder order = inOrder(g);
        order.verify(g).normal(shaped(5, 6), eq(0.0), eq(1.0));
        order.verify(g).normal(shaped(4, 5), eq(0.0), eq(1.0));
        order.verify(g).normal(shaped(2, 4), eq(0.0), eq(1.0));
        verify(g, times(3)).normal(any(), anyDouble(), anyDouble());
        verify(g, never()).uniform(any(), anyDouble(), anyDouble());
    }

    /** Dense 6 → 5 → 4 → Output 2. */
    private static MultiLayerNetwork zoo2() {
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().seed(2).dataType(DataType.FLOAT)
                .list()
                .layer(new DenseLayer.Builder().nIn(6).nOut(5).activation(Activation.TANH).build())
                .layer(new DenseLayer.Builder().nIn(5).nOut(4).activation(Activation.TANH).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MSE).nIn(4).nOut(2)
                        .activation(Activation.IDENTITY).build())
                .build());
        net.init();
        return net;
    }
}
