package io.github.dl4jinit.examples.cpu;

import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.layers.convolution.subsampling.SubsamplingLayer;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * DL4J's pooling layer with its forward pass taken by {@link JavaMaxPoolHelper#forward} where that
 * covers it. M2.1's {@code SubsamplingLayer} asks its helper for the backward pass only and always
 * runs the forward pass as a libnd4j op, on ND4J's one thread while the other cores idle; here it is
 * split between threads like the backward pass. Everything else, including any pooling the helper
 * does not cover, is DL4J's own layer.
 */
final class JavaMaxPoolLayer extends SubsamplingLayer {
    /** A pooling layer of configuration {@code conf} with {@code pool} as its helper ({@link JavaLayers} puts it in place). */
    JavaMaxPoolLayer(NeuralNetConfiguration conf, DataType dataType, JavaMaxPoolHelper pool) {
        super(conf, dataType);
        this.helper = pool;
    }

    @Override
    public INDArray activate(boolean training, LayerWorkspaceMgr workspaceMgr) {
        assertInputSet(false);
        var c = layerConf();
        INDArray out = ((JavaMaxPoolHelper) helper).forward(input, c.getKernelSize(), c.getStride(), c.getPadding(), c.getDilation(),
                c.getPoolingType(), c.getConvolutionMode(), c.getCnn2dDataFormat(), workspaceMgr);
        return out != null ? out : super.activate(training, workspaceMgr);
    }
}
