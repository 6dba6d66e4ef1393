package io.github.dl4jinit.examples.cpu;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.layers.LayerHelper;
import org.deeplearning4j.nn.layers.convolution.ConvolutionLayer;
import org.deeplearning4j.nn.layers.convolution.subsampling.SubsamplingLayer;
import org.deeplearning4j.nn.layers.mkldnn.MKLDNNConvHelper;
import org.deeplearning4j.nn.layers.normalization.BatchNormalization;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

import java.lang.reflect.Field;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Fills the helper slots of DL4J's CPU layers with the examples' Java helpers.
 *
 * <p>DL4J 1.0.0-M2.1's layers have a helper hook (meant for MKL-DNN/cuDNN) that it never fills on the
 * CPU backend: {@code BaseMKLDNNHelper.mklDnnEnabled()} looks up {@code org.nd4j.nativeblas.Nd4jCpu$Environment}
 * by reflection, a class M2.1 no longer has. The built-in paths are slow for small networks:
 * convolution does {@code im2col}/{@code col2im} element by element into permuted buffers (~80 % of a
 * train-cnn iteration), batch normalization runs ~20 separate ops. We fill the hooks ourselves:
 * {@link JavaConvHelper} for {@code ConvolutionLayer} and {@link JavaBatchNormHelper} for
 * {@code BatchNormalization}, and {@link JavaMaxPoolHelper} for max pooling. M2.1's pooling layer
 * has no hook for its forward pass, so pooling layers are replaced by {@link JavaMaxPoolLayer}, which
 * is DL4J's layer with that pass handed to the helper. Activation layers with a plain ReLU, which have
 * no hook at all, are replaced by {@link JavaReluLayer}.
 * Each computes what DL4J computes (tested against DL4J's own path) and returns null, so DL4J's own
 * path runs, for anything it does not cover.
 *
 * <p>The first layer's convolution helper skips the gradient at the network's input: {@code fit} and
 * {@code computeGradientAndScore} discard it (MultiLayerNetwork keeps layer 0's input gradient only
 * for {@code calculateGradients}, which the examples never call), and PyTorch does not compute it
 * either, since the images do not require gradients. That saves a sgemm and a col2im per step.
 *
 * <p>System properties: {@code -Ddl4jinit.helpers=false} keeps DL4J's own paths;
 * {@code -Ddl4jinit.conv=mkldnn} installs DL4J's {@code MKLDNNConvHelper} (libnd4j's {@code conv2d}
 * ops) for convolutions instead of {@link JavaConvHelper}.
 */
public final class JavaLayers {
    private JavaLayers() {
    }

    /** Installs the helpers on every layer of {@code net} whose slot is empty; no-op off the CPU backend. */
    public static void install(MultiLayerNetwork net) {
        if (!Boolean.parseBoolean(System.getProperty("dl4jinit.helpers", "true"))) {
            return;
        }
        String backend = Nd4j.getExecutioner().getEnvironmentInformation().getProperty("backend");
        if (!"CPU".equalsIgnoreCase(backend)) {
            return;
        }
        boolean mkldnnConv = "mkldnn".equals(System.getProperty("dl4jinit.conv", "java"));
        Layer[] layers = net.getLayers();
        DataType dataType = net.getLayerWiseConfigurations().getDataType();
        for (int i = 0; i < layers.length; i++) {
            Layer l = layers[i];
            if (l.getClass() == ConvolutionLayer.class) {
                boolean inputGradient = l.getIndex() > 0;
                fill(ConvolutionLayer.class, l, mkldnnConv
                        ? () -> new MKLDNNConvHelper(l.getParam("W").dataType()) : () -> new JavaConvHelper(inputGradient));
            } else if (l.getClass() == BatchNormalization.class) {
                fill(BatchNormalization.class, l, JavaBatchNormHelper::new);
            } else if (l.getClass() == SubsamplingLayer.class && l.getHelper() == null) {
                replace(net, i, new JavaMaxPoolLayer(l.conf(), dataType, new JavaMaxPoolHelper()));
            } else if (JavaReluLayer.replaces(l)) {
                replace(net, i, new JavaReluLayer(l.conf(), dataType));
            }
        }
    }

    /**
     * Puts {@code replacement} (a layer of the same configuration) in place of layer {@code i} of
     * {@code net}, with the old layer's index and listeners: in its layer array (which
     * {@code getLayers()} returns itself) and its by-name map. Only layers without parameters are
     * replaced, so no parameter view or updater state refers to them.
     */
    private static void replace(MultiLayerNetwork net, int i, Layer replacement) {
        Layer[] layers = net.getLayers();
        Layer old = layers[i];
        replacement.setIndex(old.getIndex());
        replacement.setListeners(old.getListeners());
        try {
            Field byName = MultiLayerNetwork.class.getDeclaredField("layerMap");
            byName.setAccessible(true);
            @SuppressWarnings("unchecked")
            Map<String, Layer> map = (Map<String, Layer>) byName.get(net);
            if (map != null) {
                map.replaceAll((name, layer) -> layer == old ? replacement : layer);
            }
            layers[i] = replacement;
        } catch (ReflectiveOperationException | RuntimeException e) {
            // keep DL4J's own layer
        }
    }

    private static void fill(Class<?> layerClass, Layer layer, Supplier<? extends LayerHelper> helper) {
        try {
            Field slot = layerClass.getDeclaredField("helper");
            slot.setAccessible(true);
            if (slot.get(layer) == null) {
                slot.set(layer, helper.get());
            }
        } catch (ReflectiveOperationException | RuntimeException e) {
            // keep DL4J's own path
        }
    }

    /** Puts a helper computing the input gradient on a convolution layer (for tests of that gradient). */
    static void withInputGradient(Layer convolution) throws ReflectiveOperationException {
        Field slot = ConvolutionLayer.class.getDeclaredField("helper");
        slot.setAccessible(true);
        slot.set(convolution, new JavaConvHelper(true));
    }
}
