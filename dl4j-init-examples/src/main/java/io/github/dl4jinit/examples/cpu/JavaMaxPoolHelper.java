package io.github.dl4jinit.examples.cpu;

import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.gradient.DefaultGradient;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.layers.convolution.subsampling.SubsamplingHelper;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.Arrays;
import java.util.Collections;
import java.util.Map;

import static io.github.dl4jinit.examples.cpu.NativeArrays.at;
import static io.github.dl4jinit.examples.cpu.NativeArrays.contiguous;

/**
 * The backward pass of max pooling (NCHW, float, no "Same" mode) for DL4J's {@code SubsamplingLayer},
 * with the batch's channel planes split between threads ({@link Parallel}). Each window's gradient
 * goes to the first of its largest inputs in row-major order, as in libnd4j's {@code maxpool2d_bp}
 * and PyTorch; a window over the padding sees only the inputs inside the image. 2×2 windows with
 * stride 2 that tile the image (the example CNN's) take a loop that writes every input's gradient
 * once, without clearing first. M2.1's layer never asks a helper for the forward pass, so
 * {@link #activate} returns null; {@link JavaMaxPoolLayer} calls {@link #forward} instead. Returns
 * null, so DL4J's own path runs, for anything else.
 */
final class JavaMaxPoolHelper implements SubsamplingHelper {
    /** Scratch slots: input-sized planes, output-sized planes (the pooled output or its gradient), the input gradient. */
    private static final int X = 0, OUT = 1, DX = 2;
    private final Scratch scratch = new Scratch(3);

    /** One pooling call's shape. */
    private record Window(int h, int w, int oH, int oW, int kH, int kW, int sH, int sW, int pH, int pW, int dH, int dW) {
        boolean tiles2x2() {
            return kH == 2 && kW == 2 && sH == 2 && sW == 2 && pH == 0 && pW == 0 && dH == 1 && dW == 1
                    && h == 2 * oH && w == 2 * oW;
        }
    }

    @Override
    public boolean checkSupported() {
        return true;
    }

    @Override
    public INDArray activate(INDArray input, boolean training, int[] kernel, int[] strides, int[] pad,
                             PoolingType poolingType, ConvolutionMode convolutionMode, int[] dilation,
                             CNN2DFormat format, LayerWorkspaceMgr workspaceMgr) {
        return null;
    }

    /**
     * Max pooling's forward pass, {@code out[n][c][oy][ox] = max over i < kH, j < kW of
     * x[n][c][oy·sH + i·dH][ox·sW + j·dW]}, for unpadded windows ("Truncate" mode, or "Strict" where
     * the windows fit exactly), the batch's planes split between threads; null for anything else.
     */
    INDArray forward(INDArray input, int[] kernel, int[] strides, int[] pad, int[] dilation, PoolingType poolingType,
                     ConvolutionMode convolutionMode, CNN2DFormat format, LayerWorkspaceMgr workspaceMgr) {
        if (!covered(input, poolingType, convolutionMode, format) || pad[0] != 0 || pad[1] != 0) {
            return null;
        }
        int h = (int) input.size(2), w = (int) input.size(3);
        int spanH = (kernel[0] - 1) * dilation[0] + 1, spanW = (kernel[1] - 1) * dilation[1] + 1;
        if (spanH > h || spanW > w || convolutionMode == ConvolutionMode.Strict
                && ((h - spanH) % strides[0] != 0 || (w - spanW) % strides[1] != 0)) {
            return null;
        }
        Window g = new Window(h, w, (h - spanH) / strides[0] + 1, (w - spanW) / strides[1] + 1,
                kernel[0], kernel[1], strides[0], strides[1], 0, 0, dilation[0], dilation[1]);
        int planes = (int) (input.size(0) * input.size(1));
        int plane = g.h * g.w, outPlane = g.oH * g.oW;
        INDArray in = contiguous(input);
        float[] x = scratch.get(X, planes * plane);
        float[] out = scratch.get(OUT, planes * outPlane);
        INDArray result = workspaceMgr.createUninitialized(ArrayType.ACTIVATIONS, DataType.FLOAT,
                new long[]{input.size(0), input.size(1), g.oH, g.oW}, 'c');
        Parallel.forChunks(planes, (c, from, to) -> {
            at(in, (long) from * plane).get(x, from * plane, (to - from) * plane);
            for (int pl = from; pl < to; pl++) {
                maxima(x, out, pl * plane, pl * outPlane, g);
            }
            at(result, (long) from * outPlane).put(out, from * outPlane, (to - from) * outPlane);
        });
        return result;
    }

    private static boolean covered(INDArray input, PoolingType poolingType, ConvolutionMode mode, CNN2DFormat format) {
        return poolingType == PoolingType.MAX && format == CNN2DFormat.NCHW && mode != ConvolutionMode.Same
                && input.dataType() == DataType.FLOAT && input.rank() == 4 && input.length() < Integer.MAX_VALUE;
    }

    /** One plane's window maxima (unpadded windows). */
    private static void maxima(float[] x, float[] out, int base, int o, Window g) {
        if (g.tiles2x2()) {
            for (int oy = 0; oy < g.oH; oy++) {
                int r0 = base + 2 * oy * g.w, r1 = r0 + g.w;
                for (int ox = 0; ox < g.oW; ox++, o++) {
                    int i = 2 * ox;
                    out[o] = Math.max(Math.max(x[r0 + i], x[r0 + i + 1]), Math.max(x[r1 + i], x[r1 + i + 1]));
                }
            }
            return;
        }
        for (int oy = 0; oy < g.oH; oy++) {
            for (int ox = 0; ox < g.oW; ox++, o++) {
                int first = base + oy * g.sH * g.w + ox * g.sW;
                float max = x[first];
                for (int i = 0; i < g.kH; i++) {
                    for (int j = 0; j < g.kW; j++) {
                        max = Math.max(max, x[first + i * g.dH * g.w + j * g.dW]);
                    }
                }
                out[o] = max;
            }
        }
    }

    @Override
    public Pair<Gradient, INDArray> backpropGradient(INDArray input, INDArray epsilon, int[] kernel, int[] strides,
                                                     int[] pad, PoolingType poolingType,
                                                     ConvolutionMode convolutionMode, int[] dilation,
                                                     CNN2DFormat format, LayerWorkspaceMgr workspaceMgr) {
        if (!covered(input, poolingType, convolutionMode, format)) {
            return null;
        }
        int planes = (int) (input.size(0) * input.size(1));
        Window g = new Window((int) input.size(2), (int) input.size(3), (int) epsilon.size(2), (int) epsilon.size(3),
                kernel[0], kernel[1], strides[0], strides[1], pad[0], pad[1], dilation[0], dilation[1]);
        INDArray in = contiguous(input);
        INDArray eps = contiguous(epsilon);
        int plane = g.h * g.w, outPlane = g.oH * g.oW;
        float[] x = scratch.get(X, planes * plane);
        float[] e = scratch.get(OUT, planes * outPlane);
        float[] dx = scratch.get(DX, planes * plane);
        INDArray result = workspaceMgr.createUninitialized(ArrayType.ACTIVATION_GRAD, DataType.FLOAT, input.shape(), 'c');
        boolean tiles = g.tiles2x2();
        Parallel.forChunks(planes, (c, from, to) -> {
            int lo = from * plane, len = (to - from) * plane;
            at(in, lo).get(x, lo, len);
            at(eps, (long) from * outPlane).get(e, from * outPlane, (to - from) * outPlane);
            for (int pl = from; pl < to; pl++) {
                if (tiles) {
                    tiled2x2(x, e, dx, pl * plane, pl * outPlane, g);
                } else {
                    general(x, e, dx, pl * plane, pl * outPlane, g);
                }
            }
            at(result, lo).put(dx, lo, len);
        });
        return new Pair<>(new DefaultGradient(), result);
    }

    /** One plane of 2×2, stride-2 windows that cover it exactly: every input gets its gradient or 0. */
    private static void tiled2x2(float[] x, float[] e, float[] dx, int base, int o, Window g) {
        int w = g.w;
        for (int oy = 0; oy < g.oH; oy++) {
            int r0 = base + 2 * oy * w;
            int r1 = r0 + w;
            for (int ox = 0; ox < g.oW; ox++, o++) {
                int i0 = r0 + 2 * ox, i1 = i0 + 1, i2 = r1 + 2 * ox, i3 = i2 + 1;
                int best = i0;
                float max = x[i0];
                if (x[i1] > max) {
                    max = x[i1];
                    best = i1;
                }
                if (x[i2] > max) {
                    max = x[i2];
                    best = i2;
                }
                if (x[i3] > max) {
                    best = i3;
                }
                float grad = e[o];
                dx[i0] = best == i0 ? grad : 0f;
                dx[i1] = best == i1 ? grad : 0f;
                dx[i2] = best == i2 ? grad : 0f;
                dx[i3] = best == i3 ? grad : 0f;
            }
        }
    }

    /** One plane, any window: clears it, then adds each window's gradient to its first largest input inside. */
    private static void general(float[] x, float[] e, float[] dx, int base, int o, Window g) {
        Arrays.fill(dx, base, base + g.h * g.w, 0f);
        for (int oy = 0; oy < g.oH; oy++) {
            for (int ox = 0; ox < g.oW; ox++, o++) {
                int best = -1;
                float max = Float.NEGATIVE_INFINITY;
                for (int i = 0; i < g.kH; i++) {
                    int y = oy * g.sH - g.pH + i * g.dH;
                    if (y < 0 || y >= g.h) {
                        continue;
                    }
                    for (int j = 0; j < g.kW; j++) {
                        int xx = ox * g.sW - g.pW + j * g.dW;
                        if (xx < 0 || xx >= g.w) {
                            continue;
                        }
                        int idx = base + y * g.w + xx;
                        if (best < 0 || x[idx] > max) {
                            max = x[idx];
                            best = idx;
                        }
                    }
                }
                if (best >= 0) {
                    dx[best] += e[o];
                }
            }
        }
    }

    @Override
    public Map<String, Long> helperMemoryUse() {
        return Collections.emptyMap();
    }
}
