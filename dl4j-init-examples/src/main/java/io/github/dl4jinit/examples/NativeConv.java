package io.github.dl4jinit.examples;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.layers.convolution.ConvolutionHelper;
import org.deeplearning4j.nn.layers.convolution.ConvolutionLayer;
import org.deeplearning4j.nn.layers.mkldnn.MKLDNNConvHelper;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.factory.Nd4j;

import java.lang.reflect.Field;

/**
 * Routes DL4J's 2D convolution layers on the CPU backend through libnd4j's fused {@code conv2d} /
 * {@code conv2d_bp} ops instead of DL4J's Java-side im2col + gemm.
 *
 * <p>DL4J 1.0.0-M2.1's {@code ConvolutionLayer} only uses those ops through its "MKL-DNN helper",
 * and it never installs that helper: {@code BaseMKLDNNHelper.mklDnnEnabled()} looks up
 * {@code org.nd4j.nativeblas.Nd4jCpu$Environment} by reflection, a class M2.1 no longer has (its
 * bindings are {@code org.nd4j.linalg.cpu.nativecpu.bindings.Nd4jCpu}), so the check fails and the
 * layer falls back to {@code Convolution.im2col} into a permuted (non-contiguous) buffer, which
 * libnd4j runs element by element: ~0.24 s per batch of 64 for the first layer of the MNIST CNN.
 * The helper itself only calls the {@code conv2d} custom ops (which exist in every CPU build), so
 * we install it ourselves. Same math, same parameters and gradients layout.
 */
final class NativeConv {
    private NativeConv() {
    }

    /** Installs the helper on every plain {@link ConvolutionLayer} of {@code net}; no-op off the CPU backend. */
    static void install(MultiLayerNetwork net) {
        if (!Boolean.parseBoolean(System.getProperty("dl4jinit.nativeConv", "true"))) {
            return;
        }
        String backend = Nd4j.getExecutioner().getEnvironmentInformation().getProperty("backend");
        if (!"CPU".equalsIgnoreCase(backend)) {
            return;
        }
        try {
            Field helper = ConvolutionLayer.class.getDeclaredField("helper");
            helper.setAccessible(true);
            for (Layer l : net.getLayers()) {
                if (l.getClass() == ConvolutionLayer.class && helper.get(l) == null) {
                    ConvolutionHelper h = new MKLDNNConvHelper(l.getParam("W").dataType());
                    helper.set(l, h);
                }
            }
        } catch (ReflectiveOperationException | RuntimeException e) {
            // keep DL4J's own path
        }
    }
}
