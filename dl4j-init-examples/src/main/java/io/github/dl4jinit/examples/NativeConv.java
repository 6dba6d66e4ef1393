package io.github.dl4jinit.examples;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.layers.convolution.ConvolutionHelper;
import org.deeplearning4j.nn.layers.convolution.ConvolutionLayer;
import org.deeplearning4j.nn.layers.mkldnn.MKLDNNConvHelper;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.factory.Nd4j;

import java.lang.reflect.Field;

/**
 * Replaces the convolution code path of DL4J's 2D {@link ConvolutionLayer} on the CPU backend.
 *
 * <p>DL4J 1.0.0-M2.1's built-in path does {@code Convolution.im2col} into a permuted
 * (non-contiguous) buffer and, in backprop, {@code col2im}; libnd4j runs both element by element
 * (~28 ms of CPU for the 921,600 elements of the first layer's im2col, against ~8 ms into a contiguous
 * buffer), which made these two ops ~80 % of a train-cnn iteration. The layer has a helper hook
 * (meant for MKL-DNN/cuDNN) that M2.1 never fills on CPU: {@code BaseMKLDNNHelper.mklDnnEnabled()}
 * looks up {@code org.nd4j.nativeblas.Nd4jCpu$Environment} by reflection, a class M2.1 no longer has.
 * We fill that hook ourselves with {@link JavaConvHelper} (im2col/col2im on contiguous Java arrays,
 * BLAS sgemm; same math, gradients equal to DL4J's to float rounding). Properties:
 * {@code -Ddl4jinit.nativeConv=false} keeps DL4J's own path; {@code -Ddl4jinit.conv=mkldnn} installs
 * DL4J's {@code MKLDNNConvHelper} instead (libnd4j's {@code conv2d}/{@code conv2d_bp} ops, only ~15 %
 * faster than the built-in path).
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
                    ConvolutionHelper h = "java".equals(System.getProperty("dl4jinit.conv", "java"))
                            ? new JavaConvHelper() : new MKLDNNConvHelper(l.getParam("W").dataType());
                    helper.set(l, h);
                }
            }
        } catch (ReflectiveOperationException | RuntimeException e) {
            // keep DL4J's own path
        }
    }
}
