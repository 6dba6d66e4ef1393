package io.github.dl4jinit.bench;

import io.github.dl4jinit.diagnostics.Lsuv;
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
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.lossfunctions.LossFunctions;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;

/**
 * Wall time of {@code Lsuv.defaults()} with and without its orthonormal pre-initialization, on a
 * 784 → 5 × 256 tanh MLP and on the examples' MNIST CNN (conv 5×5×10, pool, conv 5×5×20, BatchNorm,
 * pool, dense 50, BatchNorm, softmax 10), each with a batch of 256 random inputs: the pre-initialization
 * (a QR per layer) should cost little beside LSUV's forward passes. Rounds alternate the variants;
 * prints the median per variant.
 *
 * <pre>
 * java -cp dl4j-init-tests/target/benchmarks.jar io.github.dl4jinit.bench.LsuvBenchmark [rounds]
 * </pre>
 */
public final class LsuvBenchmark {
    private LsuvBenchmark() {
    }

    static MultiLayerNetwork mlp() {
        NeuralNetConfiguration.ListBuilder b = new NeuralNetConfiguration.Builder().seed(1).dataType(DataType.FLOAT).list();
        for (int i = 0; i < 5; i++) {
            b.layer(new DenseLayer.Builder().nOut(256).activation(Activation.TANH).build());
        }
        b.layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(10).activation(Activation.SOFTMAX).build());
        MultiLayerNetwork net = new MultiLayerNetwork(b.setInputType(InputType.feedForward(784)).build());
        net.init();
        return net;
    }

    static MultiLayerNetwork cnn() {
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().seed(1)
                .dataType(DataType.FLOAT).list()
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
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.NEGATIVELOGLIKELIHOOD).nOut(10)
                        .activation(Activation.SOFTMAX).build())
                .setInputType(InputType.convolutionalFlat(28, 28, 1)).build());
        net.init();
        return net;
    }

    public static void main(String[] args) {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        Nd4j.getRandom().setSeed(7);
        INDArray batch = Nd4j.rand(DataType.FLOAT, 256, 784);
        String[] models = {"mlp 784-5x256", "cnn"};
        List<Supplier<MultiLayerNetwork>> builders = List.of(LsuvBenchmark::mlp, LsuvBenchmark::cnn);
        for (int mi = 0; mi < models.length; mi++) {
            List<Double> with = new ArrayList<>();
            List<Double> without = new ArrayList<>();
            for (int r = 0; r < rounds + 1; r++) {
                for (boolean pre : new boolean[]{true, false}) {
                    MultiLayerNetwork net = builders.get(mi).get();
                    long start = System.nanoTime();
                    Lsuv.builder().orthonormalPreInit(pre).build().initialize(net, batch);
                    double ms = (System.nanoTime() - start) / 1e6;
                    if (r > 0) { // the first round warms up
                        (pre ? with : without).add(ms);
                    }
                }
            }
            with.sort(null);
            without.sort(null);
            System.out.println(String.format(Locale.ROOT, "%s: Lsuv.defaults() %.0f ms [%.0f-%.0f], without the "
                            + "pre-initialization %.0f ms [%.0f-%.0f], ratio %.2f", models[mi], with.get(rounds / 2),
                    with.get(0), with.get(rounds - 1), without.get(rounds / 2), without.get(0), without.get(rounds - 1),
                    with.get(rounds / 2) / without.get(rounds / 2)));
        }
    }
}
