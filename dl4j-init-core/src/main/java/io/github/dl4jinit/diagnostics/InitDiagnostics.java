package io.github.dl4jinit.diagnostics;

import io.github.dl4jinit.internal.Args;
import io.github.dl4jinit.internal.TextTable;
import io.github.dl4jinit.network.LayerSelector;
import org.deeplearning4j.nn.conf.layers.BaseOutputLayer;
import org.deeplearning4j.nn.conf.layers.LossLayer;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.activations.impl.ActivationHardSigmoid;
import org.nd4j.linalg.activations.impl.ActivationHardTanH;
import org.nd4j.linalg.activations.impl.ActivationReLU6;
import org.nd4j.linalg.activations.impl.ActivationReLU;
import org.nd4j.linalg.activations.impl.ActivationSigmoid;
import org.nd4j.linalg.activations.impl.ActivationTanH;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.conditions.Conditions;
import org.nd4j.linalg.ops.transforms.Transforms;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * What initialization does to the signal: per-layer activation and gradient statistics from one
 * forward and one backward pass on a batch, with flags for vanishing or exploding signal and for
 * dead or saturated layers. PyTorch has no such report; it is what one would otherwise write with
 * forward/backward hooks.
 *
 * <p>The pass changes nothing: parameters and updater state are copied before and put back after
 * (bit-identical), and nothing is fitted. Flags, with the thresholds of {@link Thresholds}:
 * <ul>
 *   <li>vanishing: the last layer's output std is below first/factor (default factor 10), or the
 *       first layer's gradient norm is below the last layer's / factor;</li>
 *   <li>exploding: the same ratios above factor;</li>
 *   <li>dead: a ReLU layer with more than 90 % exact zeros;</li>
 *   <li>saturated: a tanh/sigmoid layer with more than 50 % of outputs saturated.</li>
 * </ul>
 */
public final class InitDiagnostics {

    /** The thresholds behind the flags. */
    public static final class Thresholds {
        private final double factor;
        private final double deadFraction;
        private final double saturatedFraction;

        /**
         * @param factor            ratio of last to first layer beyond which signal counts as vanishing or exploding (&gt; 1)
         * @param deadFraction      zero fraction above which a ReLU layer is dead, in (0, 1]
         * @param saturatedFraction saturated fraction above which a tanh/sigmoid layer is saturated, in (0, 1]
         */
        public Thresholds(double factor, double deadFraction, double saturatedFraction) {
            if (!(factor > 1) || Double.isInfinite(factor)) {
                throw Args.invalid("factor", factor, "a finite number > 1");
            }
            this.factor = factor;
            this.deadFraction = Args.inRange("deadFraction", deadFraction, 0, 1);
            this.saturatedFraction = Args.inRange("saturatedFraction", saturatedFraction, 0, 1);
        }

        /** factor 10, dead above 90 % zeros, saturated above 50 %. */
        public static Thresholds defaults() {
            return new Thresholds(10, 0.9, 0.5);
        }
    }

    private final List<LayerStats> layers;
    private final List<String> flags;
    private final boolean vanishing;
    private final boolean exploding;

    private InitDiagnostics(List<LayerStats> layers, List<String> flags, boolean vanishing, boolean exploding) {
        this.layers = Collections.unmodifiableList(layers);
        this.flags = Collections.unmodifiableList(flags);
        this.vanishing = vanishing;
        this.exploding = exploding;
    }

    /** Report for a MultiLayerNetwork; labels may be null (then no gradient statistics). */
    public static InitDiagnostics of(MultiLayerNetwork net, INDArray features, INDArray labels) {
        return compute(ModelAdapter.of(net), new INDArray[]{Args.notNull("features", features)},
                labels == null ? null : new INDArray[]{labels}, Thresholds.defaults());
    }

    /** The same with explicit thresholds. */
    public static InitDiagnostics of(MultiLayerNetwork net, INDArray features, INDArray labels, Thresholds thresholds) {
        return compute(ModelAdapter.of(net), new INDArray[]{Args.notNull("features", features)},
                labels == null ? null : new INDArray[]{labels}, thresholds);
    }

    /** Report for a ComputationGraph; labels may be null (then no gradient statistics). */
    public static InitDiagnostics of(ComputationGraph graph, INDArray[] features, INDArray[] labels) {
        return compute(ModelAdapter.of(graph), features, labels, Thresholds.defaults());
    }

    /** The same with explicit thresholds. */
    public static InitDiagnostics of(ComputationGraph graph, INDArray[] features, INDArray[] labels, Thresholds thresholds) {
        return compute(ModelAdapter.of(graph), features, labels, thresholds);
    }

    private static InitDiagnostics compute(ModelAdapter model, INDArray[] features, INDArray[] labels, Thresholds t) {
        Args.notNull("thresholds", t);
        ModelAdapter.checkBatch("features", features);
        if (labels != null) {
            ModelAdapter.checkBatch("labels", labels);
        }
        INDArray[] snapshot = model.snapshot();
        try {
            Map<String, INDArray> acts;
            Gradient gradient = null;
            try {
                acts = model.activations(features);
                if (labels != null) {
                    gradient = model.gradient(features, labels);
                }
            } catch (IllegalArgumentException e) {
                throw e;
            } catch (RuntimeException e) {
                throw Args.invalid("features", shapes(features),
                        "arrays that fit the network's input (" + e.getMessage() + ")");
            }
            return build(model, acts, gradient, t);
        } finally {
            model.restore(snapshot);
        }
    }

    private static String shapes(INDArray[] arrays) {
        List<String> s = new ArrayList<>();
        for (INDArray a : arrays) {
            s.add(Arrays.toString(a.shape()));
        }
        return String.join(", ", s);
    }

    /** The layers whose output is the network's: their probabilities say nothing about signal propagation. */
    private static final LayerSelector OUTPUT_LAYERS = LayerSelector.ofType(BaseOutputLayer.class, LossLayer.class);

    private static InitDiagnostics build(ModelAdapter model, Map<String, INDArray> acts, Gradient gradient, Thresholds t) {
        List<LayerStats> stats = new ArrayList<>();
        Set<String> outputLayers = new HashSet<>();
        for (ModelAdapter.LayerRef ref : model.layers()) {
            INDArray out = acts.get(ref.name);
            if (out == null) {
                continue;
            }
            if (OUTPUT_LAYERS.matches(ref.walked)) {
                outputLayers.add(ref.name);
            }
            stats.add(measure(ref, out, gradient));
        }
        return judge(stats, outputLayers, t);
    }

    /** One layer's figures: its own output's statistics and, with a gradient, its parameters' gradients. */
    private static LayerStats measure(ModelAdapter.LayerRef ref, INDArray out, Gradient gradient) {
        INDArray a = out.castTo(DataType.DOUBLE);
        double mean = a.meanNumber().doubleValue();
        double std = a.length() > 1 ? a.stdNumber().doubleValue() : 0;
        IActivation act = ref.activation();
        double zeros = Double.NaN;
        double saturated = Double.NaN;
        long n = a.length();
        if (act instanceof ActivationReLU || act instanceof ActivationReLU6) {
            zeros = a.scan(Conditions.equals(0.0)).doubleValue() / n;
        } else if (act instanceof ActivationTanH || act instanceof ActivationHardTanH) {
            saturated = Transforms.abs(a).scan(Conditions.greaterThan(0.99)).doubleValue() / n;
        } else if (act instanceof ActivationSigmoid || act instanceof ActivationHardSigmoid) {
            saturated = (a.scan(Conditions.lessThan(0.01)).doubleValue()
                    + a.scan(Conditions.greaterThan(0.99)).doubleValue()) / n;
        }
        double gradNorm = Double.NaN;
        double ratio = Double.NaN;
        boolean any = false;
        if (gradient != null) {
            double sumSq = 0;
            double sumAbsGrad = 0;
            double sumAbsParam = 0;
            long count = 0;
            for (Map.Entry<String, INDArray> p : ref.layer.paramTable().entrySet()) {
                INDArray g = gradient.getGradientFor(ref.gradientPrefix + p.getKey());
                if (g == null) {
                    continue;
                }
                any = true;
                INDArray gd = g.castTo(DataType.DOUBLE);
                double norm = gd.norm2Number().doubleValue();
                sumSq += norm * norm;
                sumAbsGrad += gd.norm1Number().doubleValue();
                sumAbsParam += p.getValue().castTo(DataType.DOUBLE).norm1Number().doubleValue();
                count += g.length();
            }
            if (any) {
                gradNorm = Math.sqrt(sumSq);
                ratio = count == 0 || sumAbsParam == 0 ? Double.NaN : sumAbsGrad / sumAbsParam;
            }
        }
        return new LayerStats(ref.name, ref.type(), act == null ? "-" : act.toString(), mean, std, zeros,
                saturated, any, gradNorm, ratio);
    }

    /** The flags the figures call for, with the thresholds {@code t}. */
    private static InitDiagnostics judge(List<LayerStats> stats, Set<String> outputLayers, Thresholds t) {
        List<String> flags = new ArrayList<>();
        List<String> dead = new ArrayList<>();
        List<String> saturatedLayers = new ArrayList<>();
        List<String> nonFinite = new ArrayList<>();
        for (LayerStats s : stats) {
            if (s.zeroFraction() > t.deadFraction) {
                dead.add(s.name());
            }
            if (s.saturatedFraction() > t.saturatedFraction) {
                saturatedLayers.add(s.name());
            }
            if (!Double.isFinite(s.mean()) || !Double.isFinite(s.std())) {
                nonFinite.add(s.name());
            }
        }
        boolean vanishing = false;
        if (!dead.isEmpty()) {
            flags.add(String.format(Locale.ROOT, "dead: %d ReLU layer(s) with more than %.0f %% zero outputs: %s",
                    dead.size(), 100 * t.deadFraction, names(dead)));
        }
        if (!saturatedLayers.isEmpty()) {
            flags.add(String.format(Locale.ROOT, "saturated: %d layer(s) with more than %.0f %% saturated outputs: %s",
                    saturatedLayers.size(), 100 * t.saturatedFraction, names(saturatedLayers)));
        }
        boolean exploding = false;
        if (!nonFinite.isEmpty()) {
            exploding = true;
            flags.add("exploding: activations overflow to infinity or NaN from " + nonFinite.get(0));
        }
        // The output layer's probabilities say nothing about signal propagation: compare hidden layers.
        List<LayerStats> hidden = new ArrayList<>();
        for (LayerStats s : stats) {
            if (!outputLayers.contains(s.name())) {
                hidden.add(s);
            }
        }
        if (hidden.size() >= 2) {
            LayerStats firstLayer = hidden.get(0);
            LayerStats lastLayer = hidden.get(hidden.size() - 1);
            double first = firstLayer.std();
            double last = lastLayer.std();
            if (last < first / t.factor) {
                vanishing = true;
                flags.add(String.format(Locale.ROOT, "vanishing: output std falls from %.3g (%s) to %.3g (%s)",
                        first, firstLayer.name(), last, lastLayer.name()));
            } else if (last > first * t.factor) {
                exploding = true;
                flags.add(String.format(Locale.ROOT, "exploding: output std grows from %.3g (%s) to %.3g (%s)",
                        first, firstLayer.name(), last, lastLayer.name()));
            }
        }
        if (stats.size() >= 2) {
            double gFirst = firstFinite(stats, true);
            double gLast = firstFinite(stats, false);
            if (gFirst >= 0 && gLast > 0) {
                if (gFirst < gLast / t.factor) {
                    vanishing = true;
                    flags.add(String.format(Locale.ROOT, "vanishing: gradient norm %.3g at the first layer vs %.3g at the last",
                            gFirst, gLast));
                } else if (gFirst > gLast * t.factor) {
                    exploding = true;
                    flags.add(String.format(Locale.ROOT, "exploding: gradient norm %.3g at the first layer vs %.3g at the last",
                            gFirst, gLast));
                }
            }
        }
        return new InitDiagnostics(stats, flags, vanishing, exploding);
    }

    private static String names(List<String> layers) {
        return layers.size() <= 4 ? String.join(", ", layers)
                : layers.get(0) + ", " + layers.get(1) + ", ..., " + layers.get(layers.size() - 1);
    }

    private static double firstFinite(List<LayerStats> stats, boolean fromStart) {
        for (int k = 0; k < stats.size(); k++) {
            LayerStats s = stats.get(fromStart ? k : stats.size() - 1 - k);
            if (!Double.isNaN(s.gradientNorm())) {
                return s.gradientNorm();
            }
        }
        return -1;
    }

    /** Per-layer statistics in forward order. */
    public List<LayerStats> layers() {
        return layers;
    }

    /** Human-readable findings; empty when the network looks healthy. */
    public List<String> flags() {
        return flags;
    }

    /** True if output std or gradient norm shrinks by more than the factor across the network. */
    public boolean hasVanishing() {
        return vanishing;
    }

    /** True if output std or gradient norm grows by more than the factor across the network. */
    public boolean hasExploding() {
        return exploding;
    }

    /** The report as a table followed by the flags. */
    @Override
    public String toString() {
        TextTable table = TextTable.of("layer", "type", "activation", "mean", "std", "zeros", "sat.", "grad norm",
                "|g|/|w|").alignRight(3, 4, 5, 6, 7, 8);
        for (LayerStats s : layers) {
            // "-" where nothing was measured (no parameters, no labels, an undefined ratio); a
            // gradient that was measured and overflowed still prints as NaN.
            table.row(s.name(), s.type(), s.activation(), num(s.mean()), num(s.std()), pct(s.zeroFraction()),
                    pct(s.saturatedFraction()), s.gradientMeasured() ? num(s.gradientNorm()) : "-",
                    Double.isNaN(s.gradToParamRatio()) ? "-" : num(s.gradToParamRatio()));
        }
        StringBuilder sb = new StringBuilder(table.toString());
        if (flags.isEmpty()) {
            sb.append("no problems flagged").append(System.lineSeparator());
        }
        for (String f : flags) {
            sb.append("! ").append(f).append(System.lineSeparator());
        }
        return sb.toString();
    }

    private static String num(double v) {
        return String.format(Locale.ROOT, "%.4g", v);
    }

    private static String pct(double v) {
        return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, "%.1f%%", 100 * v);
    }

}
