package io.github.dl4jinit.examples;

import io.github.dl4jinit.examples.cpu.JavaLayers;
import org.deeplearning4j.nn.conf.CacheMode;
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
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * The examples' networks, built and initialized with a {@link Scheme}: plain DL4J networks, as a user
 * would build them. ({@code train-cnn} gives its CNN the Java layer code of
 * {@link JavaLayers} afterwards, for speed.)
 */
public final class Models {
    private Models() {
    }

    /**
     * The documented MNIST CNN, layer for layer as the PyTorch twin ({@code python/train_cnn_torch.py}):
     * Conv 1→10 k5, max-pool 2, ReLU; Conv 10→20 k5, BatchNorm, max-pool 2, ReLU; flatten 320;
     * Dense 50, BatchNorm, ReLU; Dense 10 with softmax + negative log-likelihood (the same loss as
     * PyTorch's log_softmax + nll_loss). Adam with the given learning rate. {@code sample} is a batch
     * of training features for data-dependent schemes (LSUV); others ignore it.
     */
    public static MultiLayerNetwork cnn(Scheme scheme, double lr, long seed, INDArray sample) {
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder()
                .seed(seed)
                .dataType(DataType.FLOAT)
                .updater(new Adam(lr))
                .cacheMode(CacheMode.DEVICE)
                .weightInit(scheme.weightInit())
                .biasInit(0)
                .list()
                .layer(new ConvolutionLayer.Builder(5, 5).nIn(1).nOut(10).activation(Activation.IDENTITY).build())
                .layer(new SubsamplingLayer.Builder(SubsamplingLayer.PoolingType.MAX).kernelSize(2, 2).stride(2, 2).build())
                .layer(new ActivationLayer(Activation.RELU))
                .layer(new ConvolutionLayer.Builder(5, 5).nOut(20).activation(Activation.IDENTITY).build())
                .layer(new BatchNormalization.Builder().build())
                .layer(new SubsamplingLayer.Builder(SubsamplingLayer.PoolingType.MAX).kernelSize(2, 2).stride(2, 2).build())
                .layer(new ActivationLayer(Activation.RELU))
                .layer(new DenseLayer.Builder().nOut(50).activation(Activation.IDENTITY).build())
                .layer(new BatchNormalization.Builder().build())
                .layer(new ActivationLayer(Activation.RELU))
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.NEGATIVELOGLIKELIHOOD)
                        .nOut(10).activation(Activation.SOFTMAX).build())
                .setInputType(InputType.convolutionalFlat(28, 28, 1))
                .build();
        return initialized(conf, scheme, sample);
    }

    /**
     * MLP 784-256-128-10 with ReLU and dropout 0.2 after each hidden layer, Adam. DL4J applies a layer's
     * {@code dropOut} to that layer's <em>input</em> and takes the probability to <em>retain</em>, so
     * PyTorch's {@code Dropout(0.2)} after hidden layers 1 and 2 is {@code dropOut(0.8)} on layers 2 and 3.
     */
    public static MultiLayerNetwork mlp(Scheme scheme, double lr, long seed, INDArray sample) {
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder()
                .seed(seed)
                .dataType(DataType.FLOAT)
                .updater(new Adam(lr))
                .weightInit(scheme.weightInit())
                .biasInit(0)
                .list()
                .layer(new DenseLayer.Builder().nIn(784).nOut(256).activation(Activation.RELU).build())
                .layer(new DenseLayer.Builder().nOut(128).activation(Activation.RELU).dropOut(0.8).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT)
                        .nOut(10).activation(Activation.SOFTMAX).dropOut(0.8).build())
                .setInputType(InputType.feedForward(784))
                .build();
        return initialized(conf, scheme, sample);
    }

    /**
     * A deep MLP for the {@code diagnose} command: 784 → {@code depth} hidden layers of {@code width}
     * units with one activation → softmax 10, no dropout, no BatchNorm, so nothing but the
     * initialization keeps the signal alive.
     */
    public static MultiLayerNetwork deepMlp(Scheme scheme, Activation activation, int depth, int width, long seed,
                                            INDArray sample) {
        NeuralNetConfiguration.ListBuilder b = new NeuralNetConfiguration.Builder()
                .seed(seed)
                .dataType(DataType.FLOAT)
                .updater(new Adam(1e-3))
                .weightInit(scheme.weightInit())
                .biasInit(0)
                .list();
        for (int i = 0; i < depth; i++) {
            b.layer(new DenseLayer.Builder().nOut(width).activation(activation).build());
        }
        b.layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(10).activation(Activation.SOFTMAX).build());
        return initialized(b.setInputType(InputType.feedForward(784)).build(), scheme, sample);
    }

    private static MultiLayerNetwork initialized(MultiLayerConfiguration conf, Scheme scheme, INDArray sample) {
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        scheme.afterInit(net, sample);
        return net;
    }
}
