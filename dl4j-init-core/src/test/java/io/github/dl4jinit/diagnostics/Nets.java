package io.github.dl4jinit.diagnostics;

import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.graph.MergeVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.IWeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/** Small networks and batches shared by the diagnostics tests. */
final class Nets {
    private Nets() {
    }

    static MultiLayerNetwork mlp(int hidden, int width, Activation act, IWeightInit init) {
        NeuralNetConfiguration.ListBuilder b = new NeuralNetConfiguration.Builder().seed(7).updater(new Adam(1e-3))
                .dataType(DataType.FLOAT).weightInit(init).list();
        for (int i = 0; i < hidden; i++) {
            b.layer(new DenseLayer.Builder().nIn(i == 0 ? 32 : width).nOut(width).activation(act).build());
        }
        b.layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(width).nOut(10)
                .activation(Activation.SOFTMAX).build());
        MultiLayerNetwork net = new MultiLayerNetwork(b.build());
        net.init();
        return net;
    }

    static MultiLayerNetwork cnn() {
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().seed(3)
                .dataType(DataType.FLOAT).list()
                .layer(new ConvolutionLayer.Builder(5, 5).nOut(10).activation(Activation.RELU).build())
                .layer(new SubsamplingLayer.Builder(SubsamplingLayer.PoolingType.MAX).kernelSize(2, 2).stride(2, 2).build())
                .layer(new ConvolutionLayer.Builder(5, 5).nOut(20).activation(Activation.RELU).build())
                .layer(new BatchNormalization.Builder().build())
                .layer(new DenseLayer.Builder().nOut(50).activation(Activation.RELU).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(10).activation(Activation.SOFTMAX).build())
                .setInputType(InputType.convolutionalFlat(28, 28, 1)).build());
        net.init();
        return net;
    }

    static ComputationGraph graph() {
        ComputationGraph g = new ComputationGraph(new NeuralNetConfiguration.Builder().seed(5).dataType(DataType.FLOAT)
                .graphBuilder().addInputs("in")
                .addLayer("a", new DenseLayer.Builder().nIn(32).nOut(24).activation(Activation.RELU).build(), "in")
                .addLayer("b", new DenseLayer.Builder().nIn(32).nOut(16).activation(Activation.TANH).build(), "in")
                .addVertex("merge", new org.deeplearning4j.nn.conf.graph.MergeVertex(), "a", "b")
                .addLayer("out", new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(40).nOut(10)
                        .activation(Activation.SOFTMAX).build(), "merge")
                .setOutputs("out").build());
        g.init();
        return g;
    }

    /**
     * fc1 Dense(identity) → bn1 → relu1 ActivationLayer(ReLU) → fc2 Dense(identity) → tanh2
     * ActivationLayer(tanh) → out: the README's pattern, since DL4J's BatchNormalization ignores its
     * activation function. Not initialized.
     */
    static MultiLayerConfiguration bnPatternConf() {
        return new NeuralNetConfiguration.Builder().seed(11).updater(new Adam(1e-3)).dataType(DataType.FLOAT).list()
                .layer(new DenseLayer.Builder().nIn(32).nOut(48).activation(Activation.IDENTITY).name("fc1").build())
                .layer(new BatchNormalization.Builder().name("bn1").build())
                .layer(new ActivationLayer.Builder().activation(Activation.RELU).name("relu1").build())
                .layer(new DenseLayer.Builder().nIn(48).nOut(24).activation(Activation.IDENTITY).name("fc2").build())
                .layer(new ActivationLayer.Builder().activation(Activation.TANH).name("tanh2").build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(24).nOut(10)
                        .activation(Activation.SOFTMAX).name("out").build())
                .build();
    }

    static MultiLayerNetwork bnPattern() {
        MultiLayerNetwork net = new MultiLayerNetwork(bnPatternConf());
        net.init();
        return net;
    }

    /**
     * in → fc Dense(identity) → relu ActivationLayer(ReLU); merge(fc, relu) → out. The Dense output
     * feeds two vertices, one of which works in place in DL4J's inference mode. Not initialized.
     */
    static org.deeplearning4j.nn.conf.ComputationGraphConfiguration sharedOutputGraphConf() {
        return new NeuralNetConfiguration.Builder().seed(13).dataType(DataType.FLOAT).updater(new Adam(1e-3))
                .graphBuilder().addInputs("in")
                .addLayer("fc", new DenseLayer.Builder().nIn(32).nOut(20).activation(Activation.IDENTITY).build(), "in")
                .addLayer("relu", new ActivationLayer.Builder().activation(Activation.RELU).build(), "fc")
                .addVertex("merge", new MergeVertex(), "fc", "relu")
                .addLayer("out", new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(40).nOut(10)
                        .activation(Activation.SOFTMAX).build(), "merge")
                .setOutputs("out").build();
    }

    static ComputationGraph sharedOutputGraph() {
        ComputationGraph g = new ComputationGraph(sharedOutputGraphConf());
        g.init();
        return g;
    }

    static INDArray features(long rows, long cols, long seed) {
        Nd4j.getRandom().setSeed(seed);
        return Nd4j.randn(DataType.FLOAT, rows, cols);
    }

    static INDArray labels(long rows, long seed) {
        INDArray y = Nd4j.zeros(DataType.FLOAT, rows, 10);
        java.util.Random r = new java.util.Random(seed);
        for (int i = 0; i < rows; i++) {
            y.putScalar(i, r.nextInt(10), 1.0);
        }
        return y;
    }
}
