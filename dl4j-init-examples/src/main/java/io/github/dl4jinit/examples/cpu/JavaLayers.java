package io.github.dl4jinit.examples.cpu;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.layers.convolution.ConvolutionHelper;
import org.deeplearning4j.nn.layers.convolution.ConvolutionLayer;
import org.deeplearning4j.nn.layers.convolution.subsampling.SubsamplingLayer;
import org.deeplearning4j.nn.layers.normalization.BatchNormalization;
import org.deeplearning4j.nn.layers.normalization.BatchNormalizationHelper;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Puts the examples' Java layer code in place of DL4J's own CPU paths on a network's convolution,
 * max-pooling, BatchNorm and ReLU layers, for speed; it computes what DL4J computes, up to the order
 * of float sums. {@code train-cnn} installs it unless {@code --no-java-layers};
 * the examples' {@code Models} builds plain DL4J networks.
 *
 * <p>Why: DL4J 1.0.0-M2.1's CPU convolution runs {@code im2col}/{@code col2im} element by element into
 * permuted buffers, and its BatchNorm runs some twenty separate ops; all of them on ND4J's one thread.
 * Its layers have a helper hook (meant for MKL-DNN/cuDNN) that it never fills on the CPU backend:
 * {@code BaseMKLDNNHelper.mklDnnEnabled()} looks up {@code org.nd4j.nativeblas.Nd4jCpu$Environment},
 * a class M2.1 no longer has. This class fills the hooks of {@code ConvolutionLayer} with
 * {@link JavaConvHelper} and of {@code BatchNormalization} with {@link JavaBatchNormHelper}. Max
 * pooling's forward pass has no hook, so DL4J's pooling layer is replaced by {@link JavaMaxPoolLayer};
 * activation layers have no hook at all, so plain ReLU layers are replaced by {@link JavaReluLayer}.
 * Only layers without parameters are replaced, so no parameter view or updater state refers to the
 * old ones. The helpers return null, so DL4J's own path runs, for any input they do not cover.
 *
 * <p>The hooks are private fields of DL4J ({@link Dl4jInternals}): a DL4J whose internals differ, a
 * hook already filled, a network installed on twice or another backend than ND4J's CPU backend is an
 * {@link IllegalStateException} that names what was expected, thrown before anything changed.
 */
public final class JavaLayers {
    private JavaLayers() {
    }

    /** Whether the first layer of a network computes the gradient at the network's input. */
    public enum NetworkInputGradient {
        /** Computed, as DL4J does: {@code backpropGradient} and {@code calculateGradients} return it. */
        COMPUTED,
        /**
         * Not computed by a convolution at layer 0, which returns zeros in its place: for a network that
         * is only trained with {@code fit}, which discards that gradient (MultiLayerNetwork keeps it only
         * for {@code calculateGradients} and its own {@code backpropGradient}). PyTorch does not compute
         * it either, since images do not require gradients. Saves a sgemm and a col2im per step.
         */
        SKIPPED
    }

    /** The kinds of layer the Java code replaces, in the order {@link Installed} names them. */
    public enum Kind {
        CONVOLUTION("convolution"), MAX_POOLING("max pooling"), BATCH_NORM("BatchNorm"), RELU("ReLU");

        private final String label;

        Kind(String label) {
            this.label = label;
        }

        @Override
        public String toString() {
            return label;
        }
    }

    /**
     * What {@link #install} put in place.
     *
     * @param layers                 names of the layers given Java code, by kind, in network order
     * @param inputGradientSkippedAt the layer that skips the gradient at the network's input, if any
     */
    public record Installed(Map<Kind, List<String>> layers, Optional<String> inputGradientSkippedAt) {
        public Installed {
            EnumMap<Kind, List<String>> copy = new EnumMap<>(Kind.class);
            layers.forEach((k, v) -> copy.put(k, List.copyOf(v)));
            layers = copy;
        }

        /** One line: {@code convolution layer0, layer3; max pooling layer1, layer5; ...}, or {@code none}. */
        @Override
        public String toString() {
            String names = layers.entrySet().stream().filter(e -> !e.getValue().isEmpty())
                    .map(e -> e.getKey() + " " + String.join(", ", e.getValue()))
                    .collect(Collectors.joining("; "));
            return (names.isEmpty() ? "none" : names)
                    + inputGradientSkippedAt.map(l -> " (" + l + " skips the gradient at the network's input)").orElse("");
        }
    }

    /**
     * Gives {@code net}'s convolution, max-pooling, BatchNorm and plain ReLU layers the Java code, where
     * their configuration is one it covers: float, NCHW, convolutions not in "Same" mode, BatchNorm
     * with trainable gamma and beta, ReLU without cap, threshold, slope or dropout. Other layers keep
     * DL4J's code.
     *
     * @param net           an initialized network ({@code init()} called), on ND4J's CPU backend
     * @param inputGradient whether layer 0 computes the gradient at the network's input
     * @return which layers got Java code
     * @throws IllegalArgumentException if {@code net} is not initialized
     * @throws IllegalStateException    if DL4J's internals are not what the Java code is written for, a
     *                                  layer already has a helper or is already Java code, or the
     *                                  backend is not ND4J's CPU backend; {@code net} is then unchanged
     */
    public static Installed install(MultiLayerNetwork net, NetworkInputGradient inputGradient) {
        Objects.requireNonNull(net, "net");
        Objects.requireNonNull(inputGradient, "inputGradient");
        Layer[] layers = net.getLayers();
        if (layers == null) {
            throw new IllegalArgumentException("net: not initialized, expected a network after init()");
        }
        String backend = Nd4j.getExecutioner().getEnvironmentInformation().getProperty("backend");
        if (!"CPU".equalsIgnoreCase(backend)) {
            throw new IllegalStateException("backend " + backend + ": the Java layers run on ND4J's CPU backend only");
        }
        Field convolutionSlot = Dl4jInternals.helperSlot(ConvolutionLayer.class, ConvolutionHelper.class);
        Field batchNormSlot = Dl4jInternals.helperSlot(BatchNormalization.class, BatchNormalizationHelper.class);
        Map<String, Layer> byName = Dl4jInternals.layersByName(net);
        DataType dataType = net.getLayerWiseConfigurations().getDataType();
        boolean floats = dataType == DataType.FLOAT;

        // Check every layer first, change them after: a refused install leaves the network as it was.
        List<Runnable> changes = new ArrayList<>();
        Map<Kind, List<String>> installed = new EnumMap<>(Kind.class);
        String skipped = null;
        for (int i = 0; i < layers.length; i++) {
            Layer l = layers[i];
            String name = name(l, i);
            if (l instanceof JavaMaxPoolLayer || l instanceof JavaReluLayer) {
                throw new IllegalStateException(name + " is already a " + l.getClass().getSimpleName()
                        + ", expected DL4J's own layer (install once per network)");
            }
            Kind kind = null;
            if (l.getClass() == ConvolutionLayer.class && floats && coversConvolution(l)) {
                requireNoHelper(name, Dl4jInternals.read(convolutionSlot, l));
                boolean computesInputGradient = i > 0 || inputGradient == NetworkInputGradient.COMPUTED;
                if (!computesInputGradient) {
                    skipped = name;
                }
                changes.add(() -> Dl4jInternals.write(convolutionSlot, l, new JavaConvHelper(computesInputGradient)));
                kind = Kind.CONVOLUTION;
            } else if (l.getClass() == BatchNormalization.class && floats && coversBatchNorm(l)) {
                requireNoHelper(name, Dl4jInternals.read(batchNormSlot, l));
                changes.add(() -> Dl4jInternals.write(batchNormSlot, l, new JavaBatchNormHelper()));
                kind = Kind.BATCH_NORM;
            } else if (l.getClass() == SubsamplingLayer.class && floats && coversPooling(l)) {
                requireNoHelper(name, l.getHelper());
                int index = i;
                changes.add(() -> replace(net, byName, index,
                        new JavaMaxPoolLayer(l.conf(), dataType, new JavaMaxPoolHelper())));
                kind = Kind.MAX_POOLING;
            } else if (floats && JavaReluLayer.replaces(l)) {
                int index = i;
                changes.add(() -> replace(net, byName, index, new JavaReluLayer(l.conf(), dataType)));
                kind = Kind.RELU;
            }
            if (kind != null) {
                if (kind == Kind.MAX_POOLING || kind == Kind.RELU) {
                    requireByName(byName, name, l);
                }
                installed.computeIfAbsent(kind, k -> new ArrayList<>()).add(name);
            }
        }
        changes.forEach(Runnable::run);
        return new Installed(installed, Optional.ofNullable(skipped));
    }

    private static String name(Layer l, int i) {
        String name = l.conf() == null || l.conf().getLayer() == null ? null : l.conf().getLayer().getLayerName();
        return name != null ? name : "layer " + i;
    }

    private static boolean coversConvolution(Layer l) {
        return l.conf().getLayer() instanceof org.deeplearning4j.nn.conf.layers.ConvolutionLayer c
                && c.getCnn2dDataFormat() == CNN2DFormat.NCHW && c.getConvolutionMode() != ConvolutionMode.Same;
    }

    private static boolean coversBatchNorm(Layer l) {
        return l.conf().getLayer() instanceof org.deeplearning4j.nn.conf.layers.BatchNormalization c
                && c.getCnn2DFormat() == CNN2DFormat.NCHW && !c.isLockGammaBeta();
    }

    private static boolean coversPooling(Layer l) {
        return l.conf().getLayer() instanceof org.deeplearning4j.nn.conf.layers.SubsamplingLayer c
                && c.getPoolingType() == PoolingType.MAX && c.getCnn2dDataFormat() == CNN2DFormat.NCHW
                && c.getConvolutionMode() != ConvolutionMode.Same;
    }

    private static void requireNoHelper(String layer, Object helper) {
        if (helper != null) {
            throw new IllegalStateException(layer + " already has a helper, " + helper.getClass().getName()
                    + ", expected none (DL4J fills none on its CPU backend; install once per network)");
        }
    }

    private static void requireByName(Map<String, Layer> byName, String name, Layer l) {
        if (byName.get(name) != l) {
            throw new IllegalStateException("net.getLayer(\"" + name + "\") is not the network's layer " + name
                    + ", expected MultiLayerNetwork.layerMap to hold the layers of getLayers()");
        }
    }

    /**
     * Puts {@code replacement} (a layer of the same configuration) in place of layer {@code i}: in
     * the network's layer array (which {@code getLayers()} returns itself) and its by-name map, with
     * the old layer's index and listeners.
     */
    private static void replace(MultiLayerNetwork net, Map<String, Layer> byName, int i, Layer replacement) {
        Layer[] layers = net.getLayers();
        Layer old = layers[i];
        replacement.setIndex(old.getIndex());
        replacement.setListeners(old.getListeners());
        byName.replaceAll((name, layer) -> layer == old ? replacement : layer);
        layers[i] = replacement;
    }
}
