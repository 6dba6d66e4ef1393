package io.github.dl4jinit.examples;

import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.openblas.global.openblas_nolapack;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer.AlgoMode;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer.BwdDataAlgo;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer.BwdFilterAlgo;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer.FwdAlgo;
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

import java.util.Arrays;
import java.util.Collections;
import java.util.Map;

import static io.github.dl4jinit.examples.NativeArrays.at;
import static io.github.dl4jinit.examples.NativeArrays.contiguous;
import static io.github.dl4jinit.examples.NativeArrays.floats;

/**
 * 2D convolution (NCHW, float, no "Same" mode) for DL4J's {@code ConvolutionLayer} on the CPU backend:
 * per sample, im2col in plain Java into a native buffer and one BLAS {@code sgemm} straight into the
 * layer's output, so that no array is permuted or copied element by element.
 *
 * <ul>
 *   <li>forward: {@code Z[n] (o×P) = W (o×K) · col[n] (K×P) + b}, with {@code K = c·kH·kW} and
 *       {@code P = oH·oW}; {@code col[n]} is kept for the backward pass of the same input;</li>
 *   <li>backward: {@code dW = Σₙ δ[n] · col[n]ᵀ}, {@code db = Σₙ,ₚ δ}, and
 *       {@code dX[n] = col2im(Wᵀ · δ[n])}.</li>
 * </ul>
 * Returns null (DL4J's own path) for anything it does not cover. This replaces M2.1's built-in path,
 * whose im2col/col2im run element by element into permuted buffers.
 */
final class JavaConvHelper implements ConvolutionHelper {
    private static final int ROW_MAJOR = openblas_nolapack.CblasRowMajor;
    private static final int NO_TRANS = openblas_nolapack.CblasNoTrans;
    private static final int TRANS = openblas_nolapack.CblasTrans;

    /** Columns of the last forward input ([n][K][P], native), reused by the backward pass of that input. */
    private FloatPointer columns;
    private INDArray columnsInput;
    private Geometry columnsGeometry;
    private static final int X = 0, COL = 1, DX = 2;
    private final Scratch scratch = new Scratch(3);
    private FloatPointer ones;
    /** Reused native scratch of the backward pass (bias row sums, then one sample's column gradients). */
    private FloatPointer gradScratch;

    /** Shapes, strides, padding and dilation of one convolution call. */
    private record Geometry(int n, int c, int h, int w, int o, int kH, int kW, int oH, int oW,
                            int sH, int sW, int pH, int pW, int dH, int dW) {
        static Geometry of(INDArray input, INDArray weights, int oH, int oW, int[] s, int[] p, int[] d) {
            return new Geometry((int) input.size(0), (int) input.size(1), (int) input.size(2), (int) input.size(3),
                    (int) weights.size(0), (int) weights.size(2), (int) weights.size(3), oH, oW,
                    s[0], s[1], p[0], p[1], d[0], d[1]);
        }

        int k() {
            return c * kH * kW;
        }

        int p() {
            return oH * oW;
        }

        int sampleSize() {
            return c * h * w;
        }

        /** First output column whose input column {@code ox·sW − pW + j·dW} is ≥ 0. */
        int firstInside(int j) {
            int off = j * dW - pW;
            return off >= 0 ? 0 : Math.min(oW, (-off + sW - 1) / sW);
        }

        /** One past the last output column whose input column is < w. */
        int endInside(int j) {
            int off = j * dW - pW;
            return off >= w ? 0 : Math.min(oW, (w - 1 - off) / sW + 1);
        }
    }

    @Override
    public boolean checkSupported() {
        return true;
    }

    private static boolean covered(INDArray input, INDArray weights, ConvolutionMode mode, CNN2DFormat format) {
        return format == CNN2DFormat.NCHW && mode != ConvolutionMode.Same
                && input.dataType() == DataType.FLOAT && weights.dataType() == DataType.FLOAT
                && input.rank() == 4 && input.length() < Integer.MAX_VALUE;
    }

    /** {@link #gradScratch}, at least {@code size} floats long, contents unspecified. */
    private FloatPointer gradScratch(long size) {
        if (gradScratch == null || gradScratch.capacity() < size) {
            gradScratch = new FloatPointer(size);
        }
        return gradScratch;
    }

    /** A native vector of {@code size} ones, kept for the next call. */
    private FloatPointer ones(int size) {
        if (ones == null || ones.capacity() != size) {
            float[] f = new float[size];
            Arrays.fill(f, 1f);
            ones = new FloatPointer(f);
        }
        return ones;
    }

    /**
     * Writes sample {@code ni}'s columns into {@code col}: {@code col[(ci·kH + i)·kW + j][oy·oW + ox] =
     * x[ni][ci][oy·sH − pH + i·dH][ox·sW − pW + j·dW]}, 0 outside the image.
     */
    private static void im2col(float[] x, int ni, Geometry g, float[] col) {
        int p = g.p();
        int xSample = ni * g.sampleSize();
        for (int ci = 0; ci < g.c; ci++) {
            int xChannel = xSample + ci * g.h * g.w;
            for (int i = 0; i < g.kH; i++) {
                for (int j = 0; j < g.kW; j++) {
                    int row = ((ci * g.kH + i) * g.kW + j) * p;
                    int from = g.firstInside(j), to = Math.max(from, g.endInside(j));
                    int xOff = j * g.dW - g.pW;
                    for (int oy = 0; oy < g.oH; oy++) {
                        int y = oy * g.sH - g.pH + i * g.dH;
                        int dst = row + oy * g.oW;
                        if (y < 0 || y >= g.h) {
                            Arrays.fill(col, dst, dst + g.oW, 0f);
                            continue;
                        }
                        int xRow = xChannel + y * g.w + xOff;
                        Arrays.fill(col, dst, dst + from, 0f);
                        if (g.sW == 1) {
                            System.arraycopy(x, xRow + from, col, dst + from, to - from);
                        } else {
                            for (int ox = from; ox < to; ox++) {
                                col[dst + ox] = x[xRow + ox * g.sW];
                            }
                        }
                        Arrays.fill(col, dst + to, dst + g.oW, 0f);
                    }
                }
            }
        }
    }

    /** The inverse scatter of {@link #im2col}: adds sample {@code ni}'s column gradients into {@code dx}. */
    private static void col2imAdd(float[] col, int ni, Geometry g, float[] dx) {
        int p = g.p();
        int xSample = ni * g.sampleSize();
        for (int ci = 0; ci < g.c; ci++) {
            int xChannel = xSample + ci * g.h * g.w;
            for (int i = 0; i < g.kH; i++) {
                for (int j = 0; j < g.kW; j++) {
                    int row = ((ci * g.kH + i) * g.kW + j) * p;
                    int from = g.firstInside(j), to = g.endInside(j);
                    int xOff = j * g.dW - g.pW;
                    for (int oy = 0; oy < g.oH; oy++) {
                        int y = oy * g.sH - g.pH + i * g.dH;
                        if (y < 0 || y >= g.h) {
                            continue;
                        }
                        int src = row + oy * g.oW;
                        int xRow = xChannel + y * g.w + xOff;
                        if (g.sW == 1) {
                            for (int ox = from; ox < to; ox++) {
                                dx[xRow + ox] += col[src + ox];
                            }
                        } else {
                            for (int ox = from; ox < to; ox++) {
                                dx[xRow + ox * g.sW] += col[src + ox];
                            }
                        }
                    }
                }
            }
        }
    }

    /** Fills {@link #columns} with every sample's columns of {@code input}, unless it holds them already. */
    private FloatPointer columns(INDArray input, Geometry g) {
        if (columns != null && columnsInput == input && g.equals(columnsGeometry)) {
            return columns;
        }
        long size = (long) g.n * g.k() * g.p();
        if (columns == null || columns.capacity() < size) {
            columns = new FloatPointer(size);
        }
        float[] x = scratch.read(X, input);
        int kp = g.k() * g.p();
        float[] col = scratch.get(COL, kp);
        for (int ni = 0; ni < g.n; ni++) {
            im2col(x, ni, g, col);
            at(columns, (long) ni * kp).put(col, 0, kp);
        }
        columnsInput = input;
        columnsGeometry = g;
        return columns;
    }

    @Override
    public INDArray preOutput(INDArray input, INDArray weights, INDArray bias, int[] kernel, int[] strides, int[] pad,
                              AlgoMode mode, FwdAlgo fwdAlgo, ConvolutionMode convolutionMode,
                              int[] dilation, CNN2DFormat format, LayerWorkspaceMgr workspaceMgr) {
        if (!covered(input, weights, convolutionMode, format)) {
            return null;
        }
        int[] out = ConvolutionUtils.getOutputSize(input, kernel, strides, pad, convolutionMode, dilation, format);
        Geometry g = Geometry.of(input, weights, out[0], out[1], strides, pad, dilation);
        int k = g.k(), p = g.p(), o = g.o;
        FloatPointer col = columns(input, g);
        INDArray w = contiguous(weights);
        INDArray ret = workspaceMgr.createUninitialized(ArrayType.ACTIVATIONS, DataType.FLOAT,
                new long[]{g.n, o, g.oH, g.oW}, 'c');
        float beta = 0f;
        if (bias != null) {
            float[] b = floats(bias);
            float[] block = new float[o * p];
            for (int oi = 0; oi < o; oi++) {
                Arrays.fill(block, oi * p, (oi + 1) * p, b[oi]);
            }
            for (int ni = 0; ni < g.n; ni++) {
                at(ret, (long) ni * o * p).put(block);
            }
            beta = 1f;
        }
        FloatPointer wp = at(w, 0);
        for (int ni = 0; ni < g.n; ni++) {
            openblas_nolapack.cblas_sgemm(ROW_MAJOR, NO_TRANS, NO_TRANS, o, p, k, 1f, wp, k,
                    at(col, (long) ni * k * p), p, beta, at(ret, (long) ni * o * p), p);
        }
        return ret;
    }

    @Override
    public Pair<Gradient, INDArray> backpropGradient(INDArray input, INDArray weights, INDArray bias, INDArray delta,
                                                     int[] kernel, int[] strides, int[] pad, INDArray biasGradView,
                                                     INDArray weightGradView, IActivation afn, AlgoMode mode,
                                                     BwdFilterAlgo bwdFilterAlgo, BwdDataAlgo bwdDataAlgo,
                                                     ConvolutionMode convolutionMode, int[] dilation, CNN2DFormat format,
                                                     LayerWorkspaceMgr workspaceMgr) {
        if (!covered(input, weights, convolutionMode, format)) {
            return null;
        }
        Geometry g = Geometry.of(input, weights, (int) delta.size(2), (int) delta.size(3), strides, pad, dilation);
        int k = g.k(), p = g.p(), o = g.o;
        FloatPointer col = columns(input, g);
        INDArray d = contiguous(delta);
        INDArray w = contiguous(weights);

        // dW = Σₙ δ[n] · col[n]ᵀ, accumulated in place when the gradient view is contiguous
        INDArray dw = contiguous(weightGradView);
        for (int ni = 0; ni < g.n; ni++) {
            openblas_nolapack.cblas_sgemm(ROW_MAJOR, NO_TRANS, TRANS, o, k, p, 1f, at(d, (long) ni * o * p), p,
                    at(col, (long) ni * k * p), p, ni == 0 ? 0f : 1f, at(dw, 0), k);
        }
        if (dw != weightGradView) {
            weightGradView.assign(dw);
        }

        Gradient gradient = new DefaultGradient();
        if (biasGradView != null) {
            // db[oi] = Σₙ Σₚ δ[n][oi][p]: one sgemv of the (n·o)×P rows with ones, then a sum over n
            FloatPointer rowSums = gradScratch((long) g.n * o);
            FloatPointer ones = ones(p);
            openblas_nolapack.cblas_sgemv(ROW_MAJOR, NO_TRANS, g.n * o, p, 1f, at(d, 0), p, ones, 1, 0f, rowSums, 1);
            float[] sums = new float[g.n * o];
            rowSums.get(sums);
            float[] db = new float[o];
            for (int ni = 0; ni < g.n; ni++) {
                for (int oi = 0; oi < o; oi++) {
                    db[oi] += sums[ni * o + oi];
                }
            }
            NativeArrays.write(db, biasGradView);
            gradient.gradientForVariable().put(ConvolutionParamInitializer.BIAS_KEY, biasGradView);
        }
        gradient.gradientForVariable().put(ConvolutionParamInitializer.WEIGHT_KEY, weightGradView);

        // dX[n] = col2im(Wᵀ · δ[n])
        float[] dx = scratch.zeros(DX, g.n * g.sampleSize());
        float[] dcol = scratch.get(COL, k * p);
        FloatPointer dcolNative = gradScratch((long) k * p);
        FloatPointer wp = at(w, 0);
        for (int ni = 0; ni < g.n; ni++) {
            openblas_nolapack.cblas_sgemm(ROW_MAJOR, TRANS, NO_TRANS, k, p, o, 1f, wp, k,
                    at(d, (long) ni * o * p), p, 0f, dcolNative, p);
            dcolNative.get(dcol, 0, k * p);
            col2imAdd(dcol, ni, g, dx);
        }
        INDArray gradAtInput = workspaceMgr.createUninitialized(ArrayType.ACTIVATION_GRAD, DataType.FLOAT, input.shape(), 'c');
        NativeArrays.write(dx, gradAtInput);
        return new Pair<>(gradient, gradAtInput);
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
