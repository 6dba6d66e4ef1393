package io.github.dl4jinit.twins;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.graph.ElementWiseVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.DepthwiseConvolution2D;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.lossfunctions.LossFunctions;

import java.util.ArrayList;
import java.util.List;

/**
 * DL4J twins of torchvision 0.28's resnet18, mobilenet_v2 and vgg11, with PyTorch's module names as
 * layer names ({@code layer1.0.conv1}, {@code features.1.conv.0.0}), and the two module orders each
 * model draws in. torchvision's convolutions have {@code padding=(k-1)/2}, which DL4J's
 * {@link ConvolutionMode#Truncate} with explicit padding computes alike. The tests check them bit for
 * bit and output for output against the real models; the benchmarks time their init programs.
 */
public final class TorchvisionTwins {
    private TorchvisionTwins() {
    }

    /** A twin and the two orders its PyTorch model draws in (layer names). */
    public record Twin<N>(N net, List<String> constructionOrder, List<String> registrationOrder) {
    }

    private static NeuralNetConfiguration.Builder base() {
        return new NeuralNetConfiguration.Builder().seed(7).dataType(DataType.FLOAT)
                .convolutionMode(ConvolutionMode.Truncate);
    }

    private static ConvolutionLayer conv(int k, int stride, int nOut, boolean bias) {
        return new ConvolutionLayer.Builder(k, k).stride(stride, stride).padding((k - 1) / 2, (k - 1) / 2)
                .nOut(nOut).hasBias(bias).activation(Activation.IDENTITY).build();
    }

    private static OutputLayer linearHead(int nOut) {
        return new OutputLayer.Builder(LossFunctions.LossFunction.MSE).nOut(nOut).activation(Activation.IDENTITY).build();
    }

    // ------------------------------------------------------------------ resnet18

    private static final int[] RESNET_WIDTHS = {64, 128, 256, 512};

    /** torchvision's {@code resnet18(num_classes=numClasses)} for 3-channel images of the given size. */
    public static Twin<ComputationGraph> resnet18(int numClasses, int imageSize) {
        ComputationGraphConfiguration.GraphBuilder g = base().graphBuilder().addInputs("x")
                .setInputTypes(InputType.convolutional(imageSize, imageSize, 3));
        g.addLayer("conv1", conv(7, 2, 64, false), "x");
        g.addLayer("bn1", new BatchNormalization.Builder().build(), "conv1");
        g.addLayer("relu", new ActivationLayer(Activation.RELU), "bn1");
        g.addLayer("maxpool", new SubsamplingLayer.Builder(SubsamplingLayer.PoolingType.MAX).kernelSize(3, 3)
                .stride(2, 2).padding(1, 1).build(), "relu");
        String in = "maxpool";
        int inChannels = 64;
        for (int stage = 0; stage < 4; stage++) {
            for (int block = 0; block < 2; block++) {
                String b = "layer" + (stage + 1) + "." + block;
                int width = RESNET_WIDTHS[stage];
                int stride = stage > 0 && block == 0 ? 2 : 1;
                g.addLayer(b + ".conv1", conv(3, stride, width, false), in);
                g.addLayer(b + ".bn1", new BatchNormalization.Builder().build(), b + ".conv1");
                g.addLayer(b + ".relu1", new ActivationLayer(Activation.RELU), b + ".bn1");
                g.addLayer(b + ".conv2", conv(3, 1, width, false), b + ".relu1");
                g.addLayer(b + ".bn2", new BatchNormalization.Builder().build(), b + ".conv2");
                String identity = in;
                if (stride != 1 || inChannels != width) {
                    g.addLayer(b + ".downsample.0", conv(1, stride, width, false), in);
                    g.addLayer(b + ".downsample.1", new BatchNormalization.Builder().build(), b + ".downsample.0");
                    identity = b + ".downsample.1";
                }
                g.addVertex(b + ".add", new ElementWiseVertex(ElementWiseVertex.Op.Add), b + ".bn2", identity);
                g.addLayer(b + ".relu2", new ActivationLayer(Activation.RELU), b + ".add");
                in = b + ".relu2";
                inChannels = width;
            }
        }
        g.addLayer("avgpool", new GlobalPoolingLayer.Builder(PoolingType.AVG).build(), in);
        g.addLayer("fc", linearHead(numClasses), "avgpool");
        g.setOutputs("fc");
        ComputationGraph net = new ComputationGraph(g.build());
        net.init();
        return new Twin<>(net, resnet18Order(true), resnet18Order(false));
    }

    /**
     * resnet18's construction order ({@code _make_layer} builds a stage's first block's
     * {@code downsample} before the block itself) or registration order ({@code model.modules()}: a
     * block's own modules, then its downsample).
     */
    private static List<String> resnet18Order(boolean downsampleFirst) {
        List<String> names = new ArrayList<>(List.of("conv1", "bn1"));
        for (int stage = 1; stage <= 4; stage++) {
            for (int block = 0; block < 2; block++) {
                String b = "layer" + stage + "." + block;
                List<String> own = List.of(b + ".conv1", b + ".bn1", b + ".conv2", b + ".bn2");
                List<String> downsample = stage > 1 && block == 0 ? List.of(b + ".downsample.0", b + ".downsample.1")
                        : List.of();
                names.addAll(downsampleFirst ? downsample : own);
                names.addAll(downsampleFirst ? own : downsample);
            }
        }
        names.add("fc");
        return names;
    }

    // ------------------------------------------------------------------ mobilenet_v2

    /** t (expansion), c (output channels), n (blocks), s (first stride): torchvision's table. */
    private static final int[][] MOBILENET_V2_SETTING = {
            {1, 16, 1, 1}, {6, 24, 2, 2}, {6, 32, 3, 2}, {6, 64, 4, 2}, {6, 96, 3, 1}, {6, 160, 3, 2}, {6, 320, 1, 1}};

    /**
     * torchvision's {@code mobilenet_v2()} (width 1.0, 1000 classes; dropout 0.2 before the
     * classifier, inactive in eval mode). Its construction and registration orders are the same.
     */
    public static Twin<ComputationGraph> mobileNetV2(int imageSize) {
        List<String> order = new ArrayList<>();
        ComputationGraphConfiguration.GraphBuilder g = base().graphBuilder().addInputs("x")
                .setInputTypes(InputType.convolutional(imageSize, imageSize, 3));
        String in = convBnRelu6(g, "features.0", "x", 3, 2, 32, false, order);
        int inChannels = 32;
        int index = 1;
        for (int[] row : MOBILENET_V2_SETTING) {
            for (int i = 0; i < row[2]; i++) {
                int stride = i == 0 ? row[3] : 1;
                in = invertedResidual(g, "features." + index++, in, inChannels, row[1], stride, row[0], order);
                inChannels = row[1];
            }
        }
        in = convBnRelu6(g, "features." + index, in, 1, 1, 1280, false, order);
        g.addLayer("avgpool", new GlobalPoolingLayer.Builder(PoolingType.AVG).build(), in);
        g.addLayer("classifier.1", new OutputLayer.Builder(LossFunctions.LossFunction.MSE).nOut(1000)
                .activation(Activation.IDENTITY).dropOut(0.8).build(), "avgpool");  // Dropout(0.2), then Linear
        order.add("classifier.1");
        g.setOutputs("classifier.1");
        ComputationGraph net = new ComputationGraph(g.build());
        net.init();
        return new Twin<>(net, List.copyOf(order), List.copyOf(order));
    }

    /** torchvision's Conv2dNormActivation(…, activation_layer=ReLU6): conv (no bias), BatchNorm, ReLU6. */
    private static String convBnRelu6(ComputationGraphConfiguration.GraphBuilder g, String name, String in, int k,
                                      int stride, int nOut, boolean depthwise, List<String> order) {
        if (depthwise) {
            g.addLayer(name + ".0", new DepthwiseConvolution2D.Builder(k, k).stride(stride, stride)
                    .padding((k - 1) / 2, (k - 1) / 2).depthMultiplier(1).hasBias(false)
                    .activation(Activation.IDENTITY).build(), in);
        } else {
            g.addLayer(name + ".0", conv(k, stride, nOut, false), in);
        }
        g.addLayer(name + ".1", new BatchNormalization.Builder().build(), name + ".0");
        g.addLayer(name + ".2", new ActivationLayer(Activation.RELU6), name + ".1");
        order.add(name + ".0");
        order.add(name + ".1");
        return name + ".2";
    }

    private static String invertedResidual(ComputationGraphConfiguration.GraphBuilder g, String name, String in,
                                           int inChannels, int outChannels, int stride, int expand, List<String> order) {
        int hidden = inChannels * expand;
        String x = in;
        int k = 0;
        if (expand != 1) {
            x = convBnRelu6(g, name + ".conv." + k++, x, 1, 1, hidden, false, order);
        }
        x = convBnRelu6(g, name + ".conv." + k++, x, 3, stride, hidden, true, order);
        String project = name + ".conv." + k++;
        g.addLayer(project, conv(1, 1, outChannels, false), x);
        String bn = name + ".conv." + k;
        g.addLayer(bn, new BatchNormalization.Builder().build(), project);
        order.add(project);
        order.add(bn);
        if (stride == 1 && inChannels == outChannels) {
            g.addVertex(name + ".add", new ElementWiseVertex(ElementWiseVertex.Op.Add), in, bn);
            return name + ".add";
        }
        return bn;
    }

    // ------------------------------------------------------------------ vgg11

    /**
     * torchvision's {@code vgg11()} (configuration "A", no BatchNorm, 1000 classes) for 224×224
     * images; both orders are the layer order.
     */
    public static MultiLayerNetwork vgg11() {
        int[] cfg = {64, -1, 128, -1, 256, 256, -1, 512, 512, -1, 512, 512, -1};
        NeuralNetConfiguration.ListBuilder list = base().list();
        int index = 0;
        for (int v : cfg) {
            if (v < 0) {
                list.layer(new SubsamplingLayer.Builder(SubsamplingLayer.PoolingType.MAX).kernelSize(2, 2)
                        .stride(2, 2).name("features." + index++).build());
            } else {
                ConvolutionLayer c = conv(3, 1, v, true);
                c.setActivationFn(Activation.RELU.getActivationFunction());
                c.setLayerName("features." + index);
                list.layer(c);
                index += 2;  // the conv and its ReLU
            }
        }
        // at 224×224 the features end at 7×7, where AdaptiveAvgPool2d((7, 7)) is the identity
        // DL4J's dropOut(retain) acts on a layer's input: PyTorch's Dropout(0.5) before classifier.3 and .6
        list.layer(new DenseLayer.Builder().nOut(4096).activation(Activation.RELU).name("classifier.0").build());
        list.layer(new DenseLayer.Builder().nOut(4096).activation(Activation.RELU).dropOut(0.5).name("classifier.3").build());
        list.layer(new OutputLayer.Builder(LossFunctions.LossFunction.MSE).nOut(1000).activation(Activation.IDENTITY)
                .dropOut(0.5).name("classifier.6").build());
        MultiLayerConfiguration conf = list.setInputType(InputType.convolutional(224, 224, 3)).build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        return net;
    }
}
