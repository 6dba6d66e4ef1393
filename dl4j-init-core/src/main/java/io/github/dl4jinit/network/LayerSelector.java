package io.github.dl4jinit.network;

import io.github.dl4jinit.internal.Args;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * Which layers a rule applies to: by PyTorch module class ({@code isinstance}), DL4J type (subclasses
 * too), name, index range, or any predicate.
 * A selector that names layers (by name or index) is <em>explicit</em>: every layer it selects must
 * have the rule's parameter roles, and every name/index must exist; otherwise the rule is refused
 * before anything is written.
 */
public abstract class LayerSelector {

    /** True if the rule applies to this layer. */
    public abstract boolean matches(NetworkLayer layer);

    /** True if the selector names layers one by one (name or index). */
    public boolean explicit() {
        return false;
    }

    /**
     * Checks the selector against the network's layers.
     *
     * @throws IllegalArgumentException if a named layer or an index does not exist
     */
    public void validate(List<NetworkLayer> layers) {
    }

    /** Every layer. */
    public static LayerSelector all() {
        return where(l -> true, "all layers");
    }

    /**
     * Layers that stand for one of these PyTorch module classes, as {@code isinstance(m, nn.Conv2d)}
     * reads in an init loop: DL4J's 2-D convolutions, depthwise and separable ones included (PyTorch's
     * {@code groups=in}), are {@link TorchModule#CONV2D}; Deconvolution2D and Convolution1DLayer are
     * not, although DL4J derives them from ConvolutionLayer. The mapping is {@link LayerTable}'s.
     */
    public static LayerSelector isInstance(TorchModule... modules) {
        Args.notNull("modules", modules);
        if (modules.length == 0) {
            throw Args.invalid("modules", "[]", "at least one TorchModule");
        }
        Set<TorchModule> set = EnumSet.noneOf(TorchModule.class);
        for (TorchModule m : modules) {
            set.add(Args.notNull("modules[i]", m));
        }
        String description = "isinstance " + set.stream().map(TorchModule::torchClass)
                .collect(Collectors.joining(", ", set.size() > 1 ? "(" : "", set.size() > 1 ? ")" : ""));
        return where(l -> l.torchModule() != null && set.contains(l.torchModule()), description);
    }

    /**
     * Layers whose configuration (or a wrapper's) is an instance of one of the DL4J types, subclasses
     * too (DL4J's hierarchy: {@code ofType(ConvolutionLayer.class)} also selects Deconvolution2D and
     * Convolution1DLayer; {@link #isInstance} follows PyTorch's classes instead).
     */
    @SafeVarargs
    public static LayerSelector ofType(Class<? extends org.deeplearning4j.nn.conf.layers.Layer>... types) {
        Args.notNull("types", types);
        if (types.length == 0) {
            throw Args.invalid("types", "[]", "at least one DL4J layer configuration class");
        }
        List<Class<?>> list = Arrays.asList(types);
        StringBuilder sb = new StringBuilder("type ");
        for (Class<?> t : types) {
            sb.append(Args.notNull("types[i]", t).getSimpleName()).append(' ');
        }
        return where(l -> {
            for (Class<?> t : list) {
                if (t.isInstance(l.config())) {
                    return true;
                }
                for (Class<?> w : l.wrappers()) {
                    if (t.isAssignableFrom(w)) {
                        return true;
                    }
                }
            }
            return false;
        }, sb.toString().trim());
    }

    /** Layers matching a predicate, described for the report and error messages. */
    public static LayerSelector where(Predicate<NetworkLayer> predicate, String description) {
        Args.notNull("predicate", predicate);
        Args.notNull("description", description);
        return new LayerSelector() {
            @Override
            public boolean matches(NetworkLayer layer) {
                return predicate.test(layer);
            }

            @Override
            public String toString() {
                return description;
            }
        };
    }

    /** The layers with these names (every name must exist). */
    public static LayerSelector named(String... names) {
        Args.notNull("names", names);
        if (names.length == 0) {
            throw Args.invalid("names", "[]", "at least one layer name");
        }
        Set<String> set = new LinkedHashSet<>(Arrays.asList(names));
        return new LayerSelector() {
            @Override
            public boolean matches(NetworkLayer layer) {
                return set.contains(layer.name());
            }

            @Override
            public boolean explicit() {
                return true;
            }

            @Override
            public void validate(List<NetworkLayer> layers) {
                for (String n : set) {
                    if (layers.stream().noneMatch(l -> l.name().equals(n))) {
                        throw Args.invalid("layer name", n, "one of the network's layers "
                                + layers.stream().map(NetworkLayer::name).collect(Collectors.toList()));
                    }
                }
            }

            @Override
            public String toString() {
                return "named " + set;
            }
        };
    }

    /** The layer at {@code index} (walk order: layer index, or position in a graph's module order). */
    public static LayerSelector index(int index) {
        return indexRange(index, index + 1);
    }

    /** Layers with {@code from <= index < toExclusive}; the whole range must exist. */
    public static LayerSelector indexRange(int from, int toExclusive) {
        if (from < 0 || toExclusive <= from) {
            throw Args.invalid("index range", "[" + from + ", " + toExclusive + ")",
                    "0 <= from < toExclusive");
        }
        return new LayerSelector() {
            @Override
            public boolean matches(NetworkLayer layer) {
                return layer.index() >= from && layer.index() < toExclusive;
            }

            @Override
            public boolean explicit() {
                return true;
            }

            @Override
            public void validate(List<NetworkLayer> layers) {
                if (toExclusive > layers.size()) {
                    throw Args.invalid("index range", "[" + from + ", " + toExclusive + ")",
                            "indices within the network's " + layers.size() + " layers [0, " + layers.size() + ")");
                }
            }

            @Override
            public String toString() {
                return toExclusive == from + 1 ? "index " + from : "index [" + from + ", " + toExclusive + ")";
            }
        };
    }
}
