package io.github.dl4jinit.tests;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.graph.MergeVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.EmbeddingSequenceLayer;
import org.deeplearning4j.nn.conf.layers.LSTM;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.RnnOutputLayer;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/** DL4J twins of the PyTorch models in {@code python/make_model_fixtures.py}; layer names are PyTorch's. */
final class Models {
    private Models() {
    }

    private static NeuralNetConfiguration.ListBuilder list() {
        return new NeuralNetConfiguration.Builder().seed(7).dataType(DataType.FLOAT).updater(new Adam(1e-3)).list();
    }

    private static SubsamplingLayer maxPool2() {
        return new SubsamplingLayer.Builder(SubsamplingLayer.PoolingType.MAX).kernelSize(2, 2).stride(2, 2).build();
    }

    /**
     * (a) conv1 → pool → relu → conv2 → bn → pool → relu → fc1 → bn → relu → fc2 → softmax. DL4J's
     * BatchNormalization ignores its activation function (checked), hence the ActivationLayers.
     */
    static MultiLayerNetwork mnistCnn() {
        MultiLayerConfiguration conf = list()
                .layer(new ConvolutionLayer.Builder(5, 5).nIn(1).nOut(10).activation(Activation.RELU).name("conv1").build())
                .layer(maxPool2())
                .layer(new ConvolutionLayer.Builder(5, 5).nOut(20).activation(Activation.IDENTITY).name("conv2").build())
                .layer(new BatchNormalization.Builder().name("conv2_bn").build())
                .layer(new ActivationLayer(Activation.RELU))
                .layer(maxPool2())
                .layer(new DenseLayer.Builder().nOut(50).activation(Activation.IDENTITY).name("fc1").build())
                .layer(new BatchNormalization.Builder().name("fc1_bn").build())
                .layer(new ActivationLayer(Activation.RELU))
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(10)
                        .activation(Activation.SOFTMAX).name("fc2").build())
                .setInputType(InputType.convolutional(28, 28, 1))
                .build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        return net;
    }

    /** (b) the CIFAR-10 tutorial's LeNet-style Net. */
    static MultiLayerNetwork lenet() {
        MultiLayerConfiguration conf = list()
                .layer(new ConvolutionLayer.Builder(5, 5).nIn(3).nOut(6).activation(Activation.RELU).name("conv1").build())
                .layer(maxPool2())
                .layer(new ConvolutionLayer.Builder(5, 5).nOut(16).activation(Activation.RELU).name("conv2").build())
                .layer(maxPool2())
                .layer(new DenseLayer.Builder().nOut(120).activation(Activation.RELU).name("fc1").build())
                .layer(new DenseLayer.Builder().nOut(84).activation(Activation.RELU).name("fc2").build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MSE).nOut(10)
                        .activation(Activation.IDENTITY).name("fc3").build())
                .setInputType(InputType.convolutional(32, 32, 3))
                .build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        return net;
    }

    /** (c) MLP 784-256-128-10. */
    static MultiLayerNetwork mlp() {
        MultiLayerConfiguration conf = list()
                .layer(new DenseLayer.Builder().nIn(784).nOut(256).activation(Activation.RELU).name("fc1").build())
                .layer(new DenseLayer.Builder().nIn(256).nOut(128).activation(Activation.RELU).name("fc2").build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MSE).nIn(128).nOut(10)
                        .activation(Activation.IDENTITY).name("fc3").build())
                .build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        return net;
    }

    /** (d) Embedding(100, 16) + LSTM(16, 32) + Linear(32, 5) per time step. */
    static MultiLayerNetwork embedLstm() {
        MultiLayerConfiguration conf = list()
                .layer(new EmbeddingSequenceLayer.Builder().nIn(100).nOut(16).inputLength(7).name("embed").build())
                .layer(new LSTM.Builder().nIn(16).nOut(32).activation(Activation.TANH).name("lstm").build())
                .layer(new RnnOutputLayer.Builder(LossFunctions.LossFunction.MSE).nIn(32).nOut(5)
                        .activation(Activation.IDENTITY).name("head").build())
                .build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        return net;
    }

    /** (e) two branches of one input, concatenated: head(cat(relu(left(x)), tanh(right(x)))). */
    static ComputationGraph twoBranch() {
        ComputationGraphConfiguration conf = new NeuralNetConfiguration.Builder().seed(7).dataType(DataType.FLOAT)
                .updater(new Adam(1e-3)).graphBuilder()
                .addInputs("in")
                .addLayer("left", new DenseLayer.Builder().nIn(12).nOut(16).activation(Activation.RELU).build(), "in")
                .addLayer("right", new DenseLayer.Builder().nIn(12).nOut(8).activation(Activation.TANH).build(), "in")
                .addVertex("merge", new MergeVertex(), "left", "right")
                .addLayer("head", new OutputLayer.Builder(LossFunctions.LossFunction.MSE).nIn(24).nOut(4)
                        .activation(Activation.IDENTITY).build(), "merge")
                .setOutputs("head")
                .build();
        ComputationGraph g = new ComputationGraph(conf);
        g.init();
        return g;
    }
}
