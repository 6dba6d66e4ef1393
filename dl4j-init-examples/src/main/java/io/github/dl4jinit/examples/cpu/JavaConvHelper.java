package io.github.dl4jinit.examples.cpu;

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

import static io.github.dl4jinit.examples.cpu.NativeArrays.at;
import static io.github.dl4jinit.examples.cpu.NativeArrays.contiguous;
import static io.github.dl4jinit.examples.cpu.NativeArrays.floats;

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
 *
 * <p>A helper made without the input gradient skips {@code dX} and returns zeros in its place: only
 * for a network's first layer, and only when asked for ({@link JavaLayers.NetworkInputGradient#SKIPPED}).
 */
final class JavaConvHelper implements ConvolutionHelper {
    private static final int ROW_MAJOR = openblas_nolapack.CblasRowMajor;
    private static final int NO_TRANS = openblas_nolapack.CblasNoTrans;
    private static final int TRANS = openblas_nolapack.CblasTrans;

    /** Columns of the last forward input ([n][K][P], native), reused by the backward pass of that input. */
    private FloatPointer columns;
    private INDArray columnsInput;
    private Geometry columnsGeometry;
    private static final int X = 0, DX = 1;
    private final Scratch scratch = new Scratch(2);
    private FloatPointer ones;
    /** Reused native scratch of the backward pass's bias row sums. */
    private FloatPointer gradScratch;
    /** Per chunk of samples ({@link Parallel}): one sample's columns or column gradients, in Java and native memory. */
    private float[][] chunkColumns = new float[0][];
    private FloatPointer[] chunkNative = new FloatPointer[0];
    /** Per chunk but the first: its samples' part of the weight gradient. */
    private FloatPointer[] chunkWeightGrad = new FloatPointer[0];
    private final boolean inputGradient;

    /** @param inputGradient whether the backward pass computes the gradient at the layer's input */
    JavaConvHelper(boolean inputGradient) {
        this.inputGradient = inputGradient;
    }

    boolean computesInputGradient() {
        return inputGradient;
    }

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

    /** Chunk {@code c}'s Java column buffer, at least {@code size} floats long ({@link #ensureChunks} first). */
    private float[] chunkColumns(int c, int size) {
        if (chunkColumns[c] == null || chunkColumns[c].length < size) {
            chunkColumns[c] = new float[size];
        }
        return chunkColumns[c];
    }

    /** Slot {@code c} of {@code slots} (grown by the caller), a native buffer of at least {@code size} floats. */
    private static FloatPointer nativeSlot(FloatPointer[] slots, int c, long size) {
        if (slots[c] == null || slots[c].capacity() < size) {
            slots[c] = new FloatPointer(size);
        }
        return slots[c];
    }

    /** Makes room for the buffers of the chunks a loop over {@code n} samples is cut into; returns their number. */
    private int ensureChunks(int n) {
        int chunks = Parallel.chunks(n);
        if (chunkNative.length < chunks) {
            chunkColumns = Arrays.copyOf(chunkColumns, chunks);
            chunkNative = Arrays.copyOf(chunkNative, chunks);
            chunkWeightGrad = Arrays.copyOf(chunkWeightGrad, chunks);
        }
        return chunks;
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

    /** True if {@link #columns} holds the columns of {@code input} with geometry {@code g}. */
    private boolean hasColumns(INDArray input, Geometry g) {
        return columns != null && columnsInput == input && g.equals(columnsGeometry);
    }

    /** Makes {@link #columns} large enough for {@code g}'s columns, and holding no input's until {@link #columnsAre}. */
    private void reserveColumns(Geometry g) {
        columnsInput = null;
        long size = (long) g.n * g.k() * g.p();
        if (columns == null || columns.capacity() < size) {
            columns = new FloatPointer(size);
        }
        ensureChunks(g.n);
    }

    private void columnsAre(INDArray input, Geometry g) {
        columnsInput = input;
        columnsGeometry = g;
    }

    /** Writes sample {@code ni}'s columns into {@link #columns}, through chunk {@code c}'s Java buffer. */
    private void columnsOf(float[] x, int ni, Geometry g, int c) {
        int kp = g.k() * g.p();
        float[] col = chunkColumns(c, kp);
        im2col(x, ni, g, col);
        at(columns, (long) ni * kp).put(col, 0, kp);
    }

    /** Fills {@link #columns} with every sample's columns of {@code input}, unless it holds them already. */
    private FloatPointer columns(INDArray input, Geometry g) {
        if (hasColumns(input, g)) {
            return columns;
        }
        float[] x = scratch.read(X, input);
        reserveColumns(g);
        Parallel.forChunks(g.n, (c, from, to) -> {
            for (int ni = from; ni < to; ni++) {
                columnsOf(x, ni, g, c);
            }
        });
        columnsAre(input, g);
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
        // Per sample, in chunks of samples at once: columns (unless cached), bias, one sgemm.
        boolean cached = hasColumns(input, g);
        float[] x = cached ? null : scratch.read(X, input);
        if (!cached) {
            reserveColumns(g);
        }
        INDArray w = contiguous(weights);
        INDArray ret = workspaceMgr.createUninitialized(ArrayType.ACTIVATIONS, DataType.FLOAT,
                new long[]{g.n, o, g.oH, g.oW}, 'c');
        float[] block = null;
        if (bias != null) {
            float[] b = floats(bias);
            block = new float[o * p];
            for (int oi = 0; oi < o; oi++) {
                Arrays.fill(block, oi * p, (oi + 1) * p, b[oi]);
            }
        }
        float[] biasBlock = block;
        float beta = bias != null ? 1f : 0f;
        FloatPointer wp = at(w, 0);
        Parallel.forChunks(g.n, (c, from, to) -> {
            for (int ni = from; ni < to; ni++) {
                if (!cached) {
                    columnsOf(x, ni, g, c);
                }
                FloatPointer z = at(ret, (long) ni * o * p);
                if (biasBlock != null) {
                    z.put(biasBlock);
                }
                openblas_nolapack.cblas_sgemm(ROW_MAJOR, NO_TRANS, NO_TRANS, o, p, k, 1f, wp, k,
                        at(columns, (long) ni * k * p), p, beta, z, p);
            }
        });
        columnsAre(input, g);
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

        // dW = Σₙ δ[n] · col[n]ᵀ and dX[n] = col2im(Wᵀ · δ[n]), in chunks of samples at once; each
        // chunk but the first sums its part of dW apart, added in at the end.
        INDArray dw = contiguous(weightGradView);
        int chunks = ensureChunks(g.n);
        float[] dx = inputGradient ? scratch.get(DX, g.n * g.sampleSize()) : null;
        FloatPointer wp = at(w, 0);
        Parallel.forChunks(g.n, (c, from, to) -> {
            FloatPointer dwPart = c == 0 ? at(dw, 0) : nativeSlot(chunkWeightGrad, c, (long) o * k);
            for (int ni = from; ni < to; ni++) {
                openblas_nolapack.cblas_sgemm(ROW_MAJOR, NO_TRANS, TRANS, o, k, p, 1f, at(d, (long) ni * o * p), p,
                        at(col, (long) ni * k * p), p, ni == from ? 0f : 1f, dwPart, k);
            }
            if (dx == null) {
                return;
            }
            Arrays.fill(dx, from * g.sampleSize(), to * g.sampleSize(), 0f);
            float[] dcol = chunkColumns(c, k * p);
            FloatPointer dcolNative = nativeSlot(chunkNative, c, (long) k * p);
            for (int ni = from; ni < to; ni++) {
                openblas_nolapack.cblas_sgemm(ROW_MAJOR, TRANS, NO_TRANS, k, p, o, 1f, wp, k,
                        at(d, (long) ni * o * p), p, 0f, dcolNative, p);
                dcolNative.get(dcol, 0, k * p);
                col2imAdd(dcol, ni, g, dx);
            }
        });
        if (chunks > 1) {
            float[] sum = new float[o * k];
            float[] part = new float[o * k];
            at(dw, 0).get(sum);
            for (int c = 1; c < chunks; c++) {
                chunkWeightGrad[c].position(0).get(part);
                for (int i = 0; i < sum.length; i++) {
                    sum[i] += part[i];
                }
            }
            at(dw, 0).put(sum);
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

        if (dx == null) {
            return new Pair<>(gradient, workspaceMgr.create(ArrayType.ACTIVATION_GRAD, DataType.FLOAT, input.shape(), 'c'));
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
