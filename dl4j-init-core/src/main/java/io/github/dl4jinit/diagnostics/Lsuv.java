package io.github.dl4jinit.diagnostics;

import io.github.dl4jinit.init.Orthogonal;
import io.github.dl4jinit.internal.Args;
import io.github.dl4jinit.network.LayerParam;
import io.github.dl4jinit.network.LayerSelector;
import io.github.dl4jinit.network.NetworkLayer;
import io.github.dl4jinit.network.ParamRole;
import io.github.dl4jinit.sampling.FastSampler;
import io.github.dl4jinit.sampling.Sampler;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.conf.layers.BaseOutputLayer;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.DepthwiseConvolution2D;
import org.deeplearning4j.nn.conf.layers.SeparableConvolution2D;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Layer-sequential unit-variance initialization (Mishkin &amp; Matas 2016, "All you need is a good
 * init"), a data-dependent initialization PyTorch does not ship.
 *
 * <p>1. Every selected Dense/Output/Convolution weight gets an orthonormal matrix
 * ({@code orthogonal_}, PyTorch's recipe on the PyTorch-shaped weight). 2. Layer by layer, in forward
 * order, the weight is divided by √Var(z), where z is the layer's output before its activation on the
 * given batch, until |Var(z) − 1| &lt; tol or the iteration cap is reached. Biases are left as they are.
 * The pre-initialization costs one LAPACK QR per layer, O(m·k²) for a weight flattened to m × k with
 * m ≥ k: tens of milliseconds for a 512-wide layer, a tenth of a second at 1024 × 1024, seconds at
 * 4096 × 4096.
 *
 * <pre>{@code
 * LsuvResult r = Lsuv.builder().tolerance(0.1).maxIterations(10).build().initialize(net, batch);
 * }</pre>
 *
 * If anything fails, the network's parameters are put back as they were.
 */
public final class Lsuv {
    private final double tolerance;
    private final int maxIterations;
    private final LayerSelector layers;
    private final boolean orthonormalPreInit;
    private final Sampler sampler;

    private Lsuv(Builder b) {
        this.tolerance = b.tolerance;
        this.maxIterations = b.maxIterations;
        this.layers = b.layers;
        this.orthonormalPreInit = b.orthonormalPreInit;
        this.sampler = b.sampler;
    }

    /** LSUV with the paper's defaults: tolerance 0.1, at most 10 iterations per layer, every eligible layer. */
    public static Lsuv defaults() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Options of {@link Lsuv}. */
    public static final class Builder {
        private double tolerance = 0.1;
        private int maxIterations = 10;
        private LayerSelector layers = LayerSelector.all();
        private boolean orthonormalPreInit = true;
        private Sampler sampler = FastSampler.get();

        /** Accept a layer when |Var − 1| &lt; tolerance (default 0.1). */
        public Builder tolerance(double tolerance) {
            this.tolerance = Args.positive("tolerance", tolerance);
            return this;
        }

        /** Rescalings per layer at most (default 10). */
        public Builder maxIterations(int maxIterations) {
            if (maxIterations < 1) {
                throw Args.invalid("maxIterations", maxIterations, "an integer >= 1");
            }
            this.maxIterations = maxIterations;
            return this;
        }

        /**
         * Only the selected layers among the eligible ones (default: all), chosen as
         * {@code NetworkInitializer}'s rules choose them: {@code LayerSelector.named("fc1", "fc2")},
         * {@code isInstance(TorchModule.LINEAR)}, ... (unnamed MultiLayerNetwork layers are
         * {@code layer0}, {@code layer1}, ...).
         */
        public Builder layers(LayerSelector layers) {
            this.layers = Args.notNull("layers", layers);
            return this;
        }

        /** Skip the orthonormal pre-initialization and only rescale the current weights. */
        public Builder orthonormalPreInit(boolean orthonormalPreInit) {
            this.orthonormalPreInit = orthonormalPreInit;
            return this;
        }

        /** Where the orthonormal pre-initialization draws from (default: ND4J's generator). */
        public Builder sampler(Sampler sampler) {
            this.sampler = Args.notNull("sampler", sampler);
            return this;
        }

        public Lsuv build() {
            return new Lsuv(this);
        }
    }

    /** Runs LSUV on a MultiLayerNetwork with one batch of features. */
    public LsuvResult initialize(MultiLayerNetwork net, INDArray features) {
        return run(ModelAdapter.of(net), new INDArray[]{Args.notNull("features", features)});
    }

    /** Runs LSUV on a ComputationGraph with one batch per input. */
    public LsuvResult initialize(ComputationGraph graph, INDArray... features) {
        return run(ModelAdapter.of(graph), features);
    }

    private LsuvResult run(ModelAdapter model, INDArray[] features) {
        ModelAdapter.checkBatch("features", features);
        List<ModelAdapter.LayerRef> selected = new ArrayList<>();
        List<NetworkLayer> walked = new ArrayList<>();
        model.layers().forEach(ref -> walked.add(ref.walked));
        layers.validate(walked);
        for (ModelAdapter.LayerRef ref : model.layers()) {
            if (weight(ref) != null && layers.matches(ref.walked)) {
                selected.add(ref);
            }
        }
        if (selected.isEmpty()) {
            throw Args.invalid("layers", "no layer", "at least one Dense, Output or Convolution layer selected");
        }
        INDArray[] snapshot = model.snapshot();
        boolean ok = false;
        try {
            try {
                model.activations(features);
            } catch (RuntimeException e) {
                throw Args.invalid("features", Arrays.toString(features[0].shape()),
                        "arrays that fit the network's input (" + e.getMessage() + ")");
            }
            if (orthonormalPreInit) {
                for (ModelAdapter.LayerRef ref : selected) {
                    LayerParam w = weight(ref);
                    new Orthogonal().fill(w.view(), w.layout(), sampler);
                }
            }
            List<LsuvResult.Entry> entries = new ArrayList<>();
            for (ModelAdapter.LayerRef ref : selected) {
                entries.add(rescale(model, ref, features));
            }
            ok = true;
            model.clear();
            return new LsuvResult(entries, tolerance);
        } finally {
            if (!ok) {
                model.restore(snapshot);
            }
        }
    }

    private LsuvResult.Entry rescale(ModelAdapter model, ModelAdapter.LayerRef ref, INDArray[] features) {
        INDArray w = ref.layer.getParam("W");
        double variance = preActivationVariance(model, ref, features);
        int iterations = 0;
        while (Math.abs(variance - 1) >= tolerance && iterations < maxIterations) {
            if (!(variance > 0) || Double.isInfinite(variance)) {
                break;
            }
            w.divi(Math.sqrt(variance));
            iterations++;
            variance = preActivationVariance(model, ref, features);
        }
        return new LsuvResult.Entry(ref.name, ref.type(), iterations, variance, Math.abs(variance - 1) < tolerance);
    }

    /** Var of the layer's output with its activation temporarily replaced by the identity. */
    static double preActivationVariance(ModelAdapter model, ModelAdapter.LayerRef ref, INDArray[] features) {
        BaseLayer conf = (BaseLayer) ref.conf();
        IActivation original = conf.getActivationFn();
        conf.setActivationFn(new ActivationIdentity());
        try {
            INDArray z = model.activations(features).get(ref.name);
            return z.castTo(DataType.DOUBLE).varNumber().doubleValue();
        } finally {
            conf.setActivationFn(original);
        }
    }

    /**
     * The weight LSUV rescales, or null for a layer it does not handle: Dense, Output and
     * convolution layers (not depthwise or separable ones, whose kernels are per channel).
     */
    static LayerParam weight(ModelAdapter.LayerRef ref) {
        Object c = ref.conf();
        if (c instanceof DepthwiseConvolution2D || c instanceof SeparableConvolution2D
                || !(c instanceof DenseLayer || c instanceof BaseOutputLayer || c instanceof ConvolutionLayer)) {
            return null;
        }
        for (LayerParam p : ref.walked.params()) {
            if (p.role() == ParamRole.WEIGHT && "W".equals(p.key())) {
                return p;
            }
        }
        return null;
    }
}
