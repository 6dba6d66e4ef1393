package io.github.dl4jinit.examples;

import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.gradient.DefaultGradient;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.layers.convolution.ConvolutionHelper;
import org.deeplearning4j.nn.params.ConvolutionParamInitializer;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.deeplearning4j.util.ConvolutionUtils;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.bytedeco.javacpp.FloatPointer;

import java.util.Collections;
import java.util.Map;

/**
 * 2D convolution (NCHW, float, no "Same" mode) as im2col in plain Java on contiguous arrays plus one
 * BLAS sgemm, replacing libnd4j's element-by-element im2col/col2im of DL4J M2.1. Returns null
 * (DL4J's own path) for anything it does not cover.
 */
final class JavaConvHelper implements ConvolutionHelper {

    @Override
    public boolean checkSupported() {
        return true;
    }

    /** A copy of {@code a}'s elements in C order, by one bulk copy out of native memory. */
    private static float[] floats(INDArray a) {
        INDArray c = a.isView() || a.ordering() != 'c' || a.dataType() != DataType.FLOAT ? a.castTo(DataType.FLOAT).dup('c') : a;
        float[] f = new float[(int) c.length()];
        new FloatPointer(c.data().addressPointer()).position(c.offset()).get(f);
        return f;
    }

    /** A new C-order float array holding {@code f}, by one bulk copy into native memory
     *  ({@code Nd4j.create(float[])} writes element by element and costs more than the convolution). */
    private static INDArray array(float[] f, long... shape) {
        INDArray r = Nd4j.createUninitialized(DataType.FLOAT, shape, 'c');
        new FloatPointer(r.data().addressPointer()).position(r.offset()).put(f);
        return r;
    }

    private static boolean covered(INDArray input, INDArray weights, ConvolutionMode mode, CNN2DFormat format) {
        return format == CNN2DFormat.NCHW && mode != ConvolutionMode.Same
                && input.dataType() == DataType.FLOAT && weights.dataType() == DataType.FLOAT;
    }

    /** col[(c*kH+i)*kW+j][n*P + oy*oW + ox] = x[n][c][oy*sH - pH + i*dH][ox*sW - pW + j*dW] (0 outside). */
    private static float[] im2col(float[] x, int n, int c, int h, int w, int kH, int kW, int oH, int oW,
                                  int[] s, int[] p, int[] d) {
        int np = n * oH * oW;
        float[] col = new float[c * kH * kW * np];
        for (int ci = 0; ci < c; ci++) {
            for (int i = 0; i < kH; i++) {
                for (int j = 0; j < kW; j++) {
                    int row = ((ci * kH + i) * kW + j) * np;
                    for (int ni = 0; ni < n; ni++) {
                        int xBase = (ni * c + ci) * h * w;
                        int cBase = row + ni * oH * oW;
                        for (int oy = 0; oy < oH; oy++) {
                            int y = oy * s[0] - p[0] + i * d[0];
                            int cRow = cBase + oy * oW;
                            if (y < 0 || y >= h) {
                                continue;
                            }
                            int xRow = xBase + y * w;
                            for (int ox = 0; ox < oW; ox++) {
                                int xx = ox * s[1] - p[1] + j * d[1];
                                if (xx >= 0 && xx < w) {
                                    col[cRow + ox] = x[xRow + xx];
                                }
                            }
                        }
                    }
                }
            }
        }
        return col;
    }

    @Override
    public INDArray preOutput(INDArray input, INDArray weights, INDArray bias, int[] kernel, int[] strides, int[] pad,
                              org.deeplearning4j.nn.conf.layers.ConvolutionLayer.AlgoMode mode, org.deeplearning4j.nn.conf.layers.ConvolutionLayer.FwdAlgo fwdAlgo, ConvolutionMode convolutionMode,
                              int[] dilation, CNN2DFormat format, LayerWorkspaceMgr workspaceMgr) {
        if (!covered(input, weights, convolutionMode, format)) {
            return null;
        }
        int n = (int) input.size(0), c = (int) input.size(1), h = (int) input.size(2), w = (int) input.size(3);
        int o = (int) weights.size(0), kH = (int) weights.size(2), kW = (int) weights.size(3);
        int[] out = ConvolutionUtils.getOutputSize(input, kernel, strides, pad, convolutionMode, dilation, format);
        int oH = out[0], oW = out[1], pp = oH * oW, np = n * pp, k = c * kH * kW;
        float[] col = im2col(floats(input), n, c, h, w, kH, kW, oH, oW, strides, pad, dilation);
        INDArray col2d = array(col, k, np);
        INDArray w2d = array(floats(weights), o, k);
        INDArray z2d = Nd4j.createUninitialized(DataType.FLOAT, new long[]{o, np}, 'c');
        Nd4j.gemm(w2d, col2d, z2d, false, false, 1.0, 0.0);
        float[] z = floats(z2d);
        float[] b = bias == null ? null : floats(bias);
        float[] res = new float[n * o * pp];
        for (int oi = 0; oi < o; oi++) {
            float bo = b == null ? 0f : b[oi];
            for (int ni = 0; ni < n; ni++) {
                int src = oi * np + ni * pp, dst = (ni * o + oi) * pp;
                for (int q = 0; q < pp; q++) {
                    res[dst + q] = z[src + q] + bo;
                }
            }
        }
        INDArray ret = workspaceMgr.createUninitialized(ArrayType.ACTIVATIONS, DataType.FLOAT, new long[]{n, o, oH, oW}, 'c');
        ret.assign(array(res, n, o, oH, oW));
        return ret;
    }

    @Override
    public Pair<Gradient, INDArray> backpropGradient(INDArray input, INDArray weights, INDArray bias, INDArray delta, int[] kernel, int[] strides, int[] pad,
                                                     INDArray biasGradView, INDArray weightGradView, IActivation afn, org.deeplearning4j.nn.conf.layers.ConvolutionLayer.AlgoMode mode,
                                                     org.deeplearning4j.nn.conf.layers.ConvolutionLayer.BwdFilterAlgo bwdFilterAlgo, org.deeplearning4j.nn.conf.layers.ConvolutionLayer.BwdDataAlgo bwdDataAlgo, ConvolutionMode convolutionMode,
                                                     int[] dilation, CNN2DFormat format, LayerWorkspaceMgr workspaceMgr) {
        if (!covered(input, weights, convolutionMode, format)) {
            return null;
        }
        int n = (int) input.size(0), c = (int) input.size(1), h = (int) input.size(2), w = (int) input.size(3);
        int o = (int) weights.size(0), kH = (int) weights.size(2), kW = (int) weights.size(3);
        int oH = (int) delta.size(2), oW = (int) delta.size(3), pp = oH * oW, np = n * pp, k = c * kH * kW;
        float[] col = im2col(floats(input), n, c, h, w, kH, kW, oH, oW, strides, pad, dilation);
        float[] dl = floats(delta);
        float[] d2 = new float[o * np];
        float[] db = new float[o];
        for (int ni = 0; ni < n; ni++) {
            for (int oi = 0; oi < o; oi++) {
                int src = (ni * o + oi) * pp, dst = oi * np + ni * pp;
                float s = 0;
                for (int q = 0; q < pp; q++) {
                    float v = dl[src + q];
                    d2[dst + q] = v;
                    s += v;
                }
                db[oi] += s;
            }
        }
        INDArray col2d = array(col, k, np);
        INDArray d2d = array(d2, o, np);
        INDArray w2d = array(floats(weights), o, k);
        INDArray dw = Nd4j.createUninitialized(DataType.FLOAT, new long[]{o, k}, 'c');
        Nd4j.gemm(d2d, col2d, dw, false, true, 1.0, 0.0);
        weightGradView.assign(dw.reshape('c', weightGradView.shape()));
        INDArray dcol = Nd4j.createUninitialized(DataType.FLOAT, new long[]{k, np}, 'c');
        Nd4j.gemm(w2d, d2d, dcol, true, false, 1.0, 0.0);
        float[] dc = floats(dcol);
        float[] dx = new float[n * c * h * w];
        for (int ci = 0; ci < c; ci++) {
            for (int i = 0; i < kH; i++) {
                for (int j = 0; j < kW; j++) {
                    int row = ((ci * kH + i) * kW + j) * np;
                    for (int ni = 0; ni < n; ni++) {
                        int xBase = (ni * c + ci) * h * w;
                        int cBase = row + ni * pp;
                        for (int oy = 0; oy < oH; oy++) {
                            int y = oy * strides[0] - pad[0] + i * dilation[0];
                            if (y < 0 || y >= h) {
                                continue;
                            }
                            int xRow = xBase + y * w, cRow = cBase + oy * oW;
                            for (int ox = 0; ox < oW; ox++) {
                                int xx = ox * strides[1] - pad[1] + j * dilation[1];
                                if (xx >= 0 && xx < w) {
                                    dx[xRow + xx] += dc[cRow + ox];
                                }
                            }
                        }
                    }
                }
            }
        }
        Gradient g = new DefaultGradient();
        if (biasGradView != null) {
            biasGradView.assign(array(db, biasGradView.shape()));
            g.gradientForVariable().put(ConvolutionParamInitializer.BIAS_KEY, biasGradView);
        }
        g.gradientForVariable().put(ConvolutionParamInitializer.WEIGHT_KEY, weightGradView);
        INDArray gradAtInput = workspaceMgr.createUninitialized(ArrayType.ACTIVATION_GRAD, DataType.FLOAT, input.shape(), 'c');
        gradAtInput.assign(array(dx, input.shape()));
        return new Pair<>(g, gradAtInput);
    }

    @Override
    public INDArray activate(INDArray z, IActivation afn, boolean training) {
        return afn.getActivation(z, training);
    }

    @Override
    public Map<String, Long> helperMemoryUse() {
        return Collections.emptyMap();
    }
}
