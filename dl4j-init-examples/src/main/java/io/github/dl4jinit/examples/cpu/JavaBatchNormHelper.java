package io.github.dl4jinit.examples.cpu;

import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.gradient.DefaultGradient;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.layers.normalization.BatchNormalizationHelper;
import org.deeplearning4j.nn.params.BatchNormalizationParamInitializer;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.Collections;
import java.util.Map;

import static io.github.dl4jinit.examples.cpu.NativeArrays.floats;

/**
 * Batch normalization of NCHW float activations (dense ones arrive as N×C×1×1) for DL4J's
 * {@code BatchNormalization} layer, in plain Java over one bulk copy of the data, instead of the
 * ~20 separate ND4J ops of the built-in path. Same math as DL4J's built-in path, per channel c over
 * the {@code m = N·H·W} values:
 * <ul>
 *   <li>training: {@code μ = Σx/m}, {@code σ² = Σ(x−μ)²/m} (biased, as DL4J), then
 *       {@code y = γ·(x−μ)/√(σ²+ε) + β}; μ and σ² are kept for the layer's running averages;</li>
 *   <li>inference: the same with the layer's global mean and variance;</li>
 *   <li>backward: {@code dβ = Σδ}, {@code dγ = Σδ·x̂},
 *       {@code dx = γ/√(σ²+ε) · (δ − dβ/m − x̂·dγ/m)}.</li>
 * </ul>
 * Sums run in double, each channel's in one thread: the channels are split between threads
 * ({@link Parallel#forItems}), which changes no result. Returns null (DL4J's own path) for NHWC.
 */
final class JavaBatchNormHelper implements BatchNormalizationHelper {
    private static final int X = 0, OUT = 1, EPS = 2;
    private final Scratch scratch = new Scratch(3);
    private INDArray meanCache;
    private INDArray varCache;
    private float[] batchMean;
    private float[] batchVar;

    @Override
    public boolean checkSupported() {
        return true;
    }

    @Override
    public boolean checkSupported(double eps, boolean fixedGammaBeta) {
        return !fixedGammaBeta;
    }

    private static boolean covered(INDArray x, CNN2DFormat format, INDArray gamma) {
        return format == CNN2DFormat.NCHW && x.rank() == 4 && gamma != null && x.length() < Integer.MAX_VALUE;
    }

    @Override
    public INDArray preOutput(INDArray x, boolean training, long[] shape, INDArray gamma, INDArray beta, INDArray mean,
                              INDArray var, double decay, double eps, CNN2DFormat format, LayerWorkspaceMgr workspaceMgr) {
        if (!covered(x, format, gamma)) {
            return null;
        }
        int n = (int) x.size(0), c = (int) x.size(1), hw = (int) (x.size(2) * x.size(3));
        float[] in = scratch.read(X, x);
        float[] mu;
        float[] sigma2;
        if (training) {
            mu = new float[c];
            sigma2 = new float[c];
            batchMean = mu;
            batchVar = sigma2;
            meanCache = null;
            varCache = null;
        } else {
            mu = floats(mean);
            sigma2 = floats(var);
        }
        float[] g = floats(gamma);
        float[] b = floats(beta);
        float[] out = scratch.get(OUT, n * c * hw);
        Parallel.forItems(c, n * hw, (chunk, from, to) -> {
            for (int ci = from; ci < to; ci++) {
                if (training) {
                    moments(in, n, c, hw, ci, mu, sigma2);
                }
                float scale = (float) (g[ci] / Math.sqrt(sigma2[ci] + eps));
                float shift = b[ci] - mu[ci] * scale;
                for (int ni = 0; ni < n; ni++) {
                    int base = (ni * c + ci) * hw;
                    for (int q = base; q < base + hw; q++) {
                        out[q] = in[q] * scale + shift;
                    }
                }
            }
        });
        INDArray ret = workspaceMgr.createUninitialized(ArrayType.ACTIVATIONS, DataType.FLOAT, x.shape(), 'c');
        NativeArrays.write(out, ret);
        return ret.castTo(x.dataType());
    }

    /** Channel {@code ci}'s mean and biased variance, two passes in double. */
    private static void moments(float[] x, int n, int c, int hw, int ci, float[] mean, float[] var) {
        double s = 0;
        for (int ni = 0; ni < n; ni++) {
            int base = (ni * c + ci) * hw;
            for (int q = base; q < base + hw; q++) {
                s += x[q];
            }
        }
        double m = (double) n * hw;
        double mu = s / m;
        double ss = 0;
        for (int ni = 0; ni < n; ni++) {
            int base = (ni * c + ci) * hw;
            for (int q = base; q < base + hw; q++) {
                double d = x[q] - mu;
                ss += d * d;
            }
        }
        mean[ci] = (float) mu;
        var[ci] = (float) (ss / m);
    }

    @Override
    public Pair<Gradient, INDArray> backpropGradient(INDArray input, INDArray epsilon, long[] shape, INDArray gamma,
                                                     INDArray beta, INDArray dGammaView, INDArray dBetaView, double eps,
                                                     CNN2DFormat format, LayerWorkspaceMgr workspaceMgr) {
        if (!covered(input, format, gamma)) {
            return null;
        }
        int n = (int) input.size(0), c = (int) input.size(1), hw = (int) (input.size(2) * input.size(3));
        float[] x = scratch.read(X, input);
        float[] d = scratch.read(EPS, epsilon);
        float[] mu = new float[c];
        float[] sigma2 = new float[c];
        batchMean = mu;
        batchVar = sigma2;
        meanCache = null;
        varCache = null;
        float[] g = floats(gamma);
        float[] dGamma = new float[c];
        float[] dBeta = new float[c];
        float[] dx = scratch.get(OUT, n * c * hw);
        double m = (double) n * hw;
        Parallel.forItems(c, n * hw, (chunk, from, to) -> {
            for (int ci = from; ci < to; ci++) {
                // the moments of this very input (the forward pass may have seen another batch since)
                moments(x, n, c, hw, ci, mu, sigma2);
                double invStd = 1.0 / Math.sqrt(sigma2[ci] + eps);
                double sumD = 0;
                double sumDXHat = 0;
                for (int ni = 0; ni < n; ni++) {
                    int base = (ni * c + ci) * hw;
                    for (int q = base; q < base + hw; q++) {
                        sumD += d[q];
                        sumDXHat += d[q] * ((x[q] - mu[ci]) * invStd);
                    }
                }
                dBeta[ci] = (float) sumD;
                dGamma[ci] = (float) sumDXHat;
                float k = (float) (g[ci] * invStd);
                float meanD = (float) (sumD / m);
                float meanDXHat = (float) (sumDXHat / m);
                float muC = mu[ci];
                float invStdF = (float) invStd;
                for (int ni = 0; ni < n; ni++) {
                    int base = (ni * c + ci) * hw;
                    for (int q = base; q < base + hw; q++) {
                        float xHat = (x[q] - muC) * invStdF;
                        dx[q] = k * (d[q] - meanD - xHat * meanDXHat);
                    }
                }
            }
        });
        NativeArrays.write(dGamma, dGammaView);
        NativeArrays.write(dBeta, dBetaView);
        Gradient gradient = new DefaultGradient();
        gradient.setGradientFor(BatchNormalizationParamInitializer.GAMMA, dGammaView);
        gradient.setGradientFor(BatchNormalizationParamInitializer.BETA, dBetaView);
        INDArray epsAtInput = workspaceMgr.createUninitialized(ArrayType.ACTIVATION_GRAD, DataType.FLOAT, input.shape(), 'c');
        NativeArrays.write(dx, epsAtInput);
        return new Pair<>(gradient, epsAtInput.castTo(input.dataType()));
    }

    /** The mean of the last training batch, for the layer's running mean. */
    @Override
    public INDArray getMeanCache(DataType dataType) {
        if (meanCache == null) {
            meanCache = detached(batchMean);
        }
        return meanCache.castTo(dataType);
    }

    /** The (biased) variance of the last training batch, for the layer's running variance. */
    @Override
    public INDArray getVarCache(DataType dataType) {
        if (varCache == null) {
            varCache = detached(batchVar);
        }
        return varCache.castTo(dataType);
    }

    private static INDArray detached(float[] values) {
        try (MemoryWorkspace ignored = Nd4j.getMemoryManager().scopeOutOfWorkspaces()) {
            INDArray a = Nd4j.createUninitialized(DataType.FLOAT, values.length);
            NativeArrays.write(values, a);
            return a;
        }
    }

    @Override
    public Map<String, Long> helperMemoryUse() {
        return Collections.emptyMap();
    }
}
