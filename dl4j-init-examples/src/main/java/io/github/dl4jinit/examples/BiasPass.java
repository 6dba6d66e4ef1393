package io.github.dl4jinit.examples;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.FeedForwardLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.random.impl.UniformDistribution;
import org.nd4j.linalg.factory.Nd4j;

/**
 * PyTorch's default bias for the Dense, Output and Convolution layers of a network, after
 * {@code net.init()}: U(±1/√fan_in) with fan_in = nIn·kH·kW of the layer's weight. DL4J's
 * {@code biasInit} can only set a constant, hence this pass.
 *
 * <p>Stand-in until {@code NetworkInitializer.torchDefaults()} is available on main; that class does
 * the same for every layer type, in PyTorch's draw order.
 */
final class BiasPass {
    private BiasPass() {
    }

    static void torchDefaultBiases(MultiLayerNetwork net) {
        for (Layer layer : net.getLayers()) {
            org.deeplearning4j.nn.conf.layers.Layer conf = layer.conf().getLayer();
            INDArray b = layer.paramTable().get("b");
            if (b == null || !(conf instanceof FeedForwardLayer ff)) {
                continue;
            }
            double fanIn = ff.getNIn();
            if (conf instanceof ConvolutionLayer conv) {
                fanIn *= (double) conv.getKernelSize()[0] * conv.getKernelSize()[1];
            }
            double bound = 1 / Math.sqrt(fanIn);
            Nd4j.exec(new UniformDistribution(b, -bound, bound));
        }
    }
}
