package io.github.dl4jinit.examples.cpu;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.gradient.DefaultGradient;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.layers.ActivationLayer;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.activations.impl.ActivationReLU;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.Arrays;

import static io.github.dl4jinit.examples.cpu.NativeArrays.at;
import static io.github.dl4jinit.examples.cpu.NativeArrays.contiguous;

/**
 * DL4J's activation layer for a plain ReLU, with both passes in Java and split between threads
 * ({@link Parallel#forElements}). DL4J's own layer copies its input, then runs a libnd4j op on it, on
 * ND4J's one thread while the other cores idle; here each chunk reads its part once and writes its
 * part of the result once.
 * <ul>
 *   <li>forward: {@code y = x < 0 ? 0 : x}, libnd4j's {@code RELU} with threshold 0 (a NaN stays NaN,
 *       −0 stays −0), PyTorch's {@code torch.relu};</li>
 *   <li>backward: {@code dx = x > 0 ? δ : 0}, libnd4j's {@code relu_bp}, PyTorch's
 *       {@code threshold_backward(δ, y, 0)}.</li>
 * </ul>
 * Float arrays only; anything else, and any input with dropout configured, goes to DL4J's own layer.
 */
final class JavaReluLayer extends ActivationLayer {
    private static final int X = 0, EPS = 1;
    private final Scratch scratch = new Scratch(2);

    /** An activation layer of configuration {@code conf} ({@link JavaLayers} puts it in place of DL4J's). */
    JavaReluLayer(NeuralNetConfiguration conf, DataType dataType) {
        super(conf, dataType);
    }

    /** Whether {@code layer} is DL4J's activation layer with a plain ReLU (no cap, threshold or slope) and no dropout. */
    static boolean replaces(Layer layer) {
        if (layer.getClass() != ActivationLayer.class
                || !(layer.conf().getLayer() instanceof org.deeplearning4j.nn.conf.layers.ActivationLayer conf)) {
            return false;
        }
        IActivation fn = conf.getActivationFn();
        return conf.getIDropout() == null && fn != null && fn.getClass() == ActivationReLU.class
                && ((ActivationReLU) fn).getMax() == null && isZero(((ActivationReLU) fn).getThreshold())
                && isZero(((ActivationReLU) fn).getNegativeSlope());
    }

    private static boolean isZero(Double d) {
        return d == null || d == 0.0;
    }

    private static boolean covered(INDArray a) {
        return a.dataType() == DataType.FLOAT && a.length() < Integer.MAX_VALUE;
    }

    @Override
    public INDArray activate(boolean training, LayerWorkspaceMgr workspaceMgr) {
        assertInputSet(false);
        if (!covered(input)) {
            return super.activate(training, workspaceMgr);
        }
        INDArray in = contiguous(input);
        int n = (int) in.length();
        float[] x = scratch.get(X, n);
        INDArray result = workspaceMgr.createUninitialized(ArrayType.ACTIVATIONS, DataType.FLOAT, in.shape(), 'c');
        Parallel.forElements(n, (c, from, to) -> {
            at(in, from).get(x, from, to - from);
            for (int i = from; i < to; i++) {
                float v = x[i];
                x[i] = v < 0f ? 0f : v;
            }
            at(result, from).put(x, from, to - from);
        });
        return result;
    }

    @Override
    public Pair<Gradient, INDArray> backpropGradient(INDArray epsilon, LayerWorkspaceMgr workspaceMgr) {
        assertInputSet(true);
        if (!covered(input) || !covered(epsilon) || !Arrays.equals(input.shape(), epsilon.shape())) {
            return super.backpropGradient(epsilon, workspaceMgr);
        }
        INDArray in = contiguous(input);
        INDArray eps = contiguous(epsilon);
        int n = (int) in.length();
        float[] x = scratch.get(X, n);
        float[] d = scratch.get(EPS, n);
        INDArray result = workspaceMgr.createUninitialized(ArrayType.ACTIVATION_GRAD, DataType.FLOAT, in.shape(), 'c');
        Parallel.forElements(n, (c, from, to) -> {
            at(in, from).get(x, from, to - from);
            at(eps, from).get(d, from, to - from);
            for (int i = from; i < to; i++) {
                d[i] = x[i] > 0f ? d[i] : 0f;
            }
            at(result, from).put(d, from, to - from);
        });
        return new Pair<>(new DefaultGradient(), result);
    }
}
