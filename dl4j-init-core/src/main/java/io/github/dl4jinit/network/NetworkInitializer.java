package io.github.dl4jinit.network;

import io.github.dl4jinit.init.TorchWeightInit;
import io.github.dl4jinit.internal.Args;
import io.github.dl4jinit.sampling.FastSampler;
import io.github.dl4jinit.sampling.Sampler;
import io.github.dl4jinit.sampling.TorchGenerator;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.api.Updater;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Re-initializes the parameters of a {@link MultiLayerNetwork} or {@link ComputationGraph} in place,
 * by ordered rules: which layers ({@link LayerSelector}), which parameter roles ({@link ParamRole}),
 * which scheme. Works on a fresh network after {@code init()}, one restored by {@code ModelSerializer}
 * and one built by {@code TransferLearning}.
 *
 * <pre>{@code
 * TorchDefaults.initializer().initialize(net);                    // PyTorch's reset_parameters
 * TorchDefaults.initializer(42).initialize(net);                  // ... with torch.manual_seed(42)'s bits
 * NetworkInitializer.builder()
 *     .rule(LayerSelector.named("head"), TorchInit.xavierUniform(), ParamRole.WEIGHT)
 *     .rule(LayerSelector.named("head"), TorchInit.zeros(), ParamRole.BIAS)
 *     .resetUpdater(true)
 *     .build().initialize(restored);
 * }</pre>
 *
 * <p>A whole PyTorch init program, construction and then the model's own loop, on one generator:
 * <pre>{@code
 * TorchGenerator g = new TorchGenerator(0);                     // torch.manual_seed(0)
 * TorchDefaults.initializer().toBuilder().generator(g)        // model = Model(): reset_parameters()
 *     .build().initialize(net);
 * NetworkInitializer.builder().generator(g)                     // model.apply(init_fn)
 *     .rule(LayerSelector.isInstance(TorchModule.CONV2D), TorchInit.kaimingNormal(0, "fan_out", "relu"),
 *           ParamSelector.weight())
 *     .build().initialize(net);
 * }</pre>
 * Ready-made rules ({@code TorchDefaults}, {@code AutoRules}, {@code TorchInitLoops}) are in
 * {@code io.github.dl4jinit.presets}.
 *
 * <ul>
 *   <li>Later rules override earlier ones; a parameter no rule selects keeps its bits.</li>
 *   <li>Every rule is checked against the network before anything is written: unknown layer names,
 *       indices out of range, parameters a named layer lacks, a module order with unknown or
 *       repeated names, and schemes that cannot fit a shape all throw
 *       {@link IllegalArgumentException} and leave the network and the generator untouched.</li>
 *   <li>Values are drawn layer by layer in walk order and, within a layer, in PyTorch's order (weight
 *       before bias). The walk order is the network's (layer index; a graph's topological order)
 *       unless a PyTorch order is given: {@link Builder#constructionOrder} for the default draws,
 *       {@link Builder#registrationOrder} for an init loop (see {@link ModuleOrder}).</li>
 *   <li>With {@link Builder#torchSeed} every call draws from a new {@link TorchGenerator}; with
 *       {@link Builder#generator} every call continues the one generator given, as PyTorch's global
 *       generator runs on from construction into {@code model.apply(fn)} and beyond.</li>
 *   <li>Frozen layers are skipped unless {@link Builder#includeFrozen(boolean)}; a rule that names a
 *       frozen layer is refused without it.</li>
 * </ul>
 */
public final class NetworkInitializer {
    private final List<Rule> rules;
    private final Long torchSeed;
    private final TorchGenerator generator;
    private final boolean includeFrozen;
    private final boolean resetUpdater;
    private final ModuleOrder order;

    private NetworkInitializer(Builder b) {
        this.rules = Collections.unmodifiableList(new ArrayList<>(b.rules));
        this.torchSeed = b.torchSeed;
        this.generator = b.generator;
        this.includeFrozen = b.includeFrozen;
        this.resetUpdater = b.resetUpdater;
        this.order = b.order;
    }

    /** An empty builder: no rules, fast sampler seeded from ND4J's generator, frozen layers skipped, updater state kept. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * A builder holding this initializer's rules and options, to add rules or change options. A
     * shared {@link TorchGenerator} stays the same object, so both initializers draw from one stream.
     */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.rules.addAll(rules);
        b.torchSeed = torchSeed;
        b.generator = generator;
        b.includeFrozen = includeFrozen;
        b.resetUpdater = resetUpdater;
        b.order = order;
        return b;
    }

    /** The rules, earliest first. */
    public List<Rule> rules() {
        return rules;
    }

    /**
     * Re-initializes a MultiLayerNetwork in place (layer order, unless a PyTorch order is given).
     *
     * @throws IllegalArgumentException if a rule or the order does not fit the network; nothing is
     *                                  written and nothing is drawn then
     */
    public InitializationReport initialize(MultiLayerNetwork net) {
        List<NetworkLayer> layers = inWalkOrder(NetworkWalker.layers(net), false);
        Layer[] ls = net.getLayers();
        Plan plan = plan(layers);
        InitializationReport report = execute(plan);
        if (resetUpdater) {
            Updater u = net.getUpdater(false);
            UpdaterStates.reset(u, plan.keys());
            if (plan.wholeNetwork) {
                net.setIterationCount(0);
                net.setEpochCount(0);
                for (Layer l : ls) {
                    l.setIterationCount(0);
                    l.setEpochCount(0);
                }
            }
        }
        return report;
    }

    /**
     * Re-initializes a ComputationGraph in place (topological order, unless a PyTorch order is given;
     * a layer's index is its position in that walk).
     *
     * @throws IllegalArgumentException if a rule or the order does not fit the network; nothing is
     *                                  written and nothing is drawn then
     */
    public InitializationReport initialize(ComputationGraph graph) {
        List<NetworkLayer> layers = inWalkOrder(NetworkWalker.layers(graph), true);
        Plan plan = plan(layers);
        InitializationReport report = execute(plan);
        if (resetUpdater) {
            UpdaterStates.reset(graph.getUpdater(false), plan.keys());
            if (plan.wholeNetwork) {
                graph.getConfiguration().setIterationCount(0);
                graph.getConfiguration().setEpochCount(0);
            }
        }
        return report;
    }

    /**
     * The layers in walk order: those of the given PyTorch order first, in its order, then the rest
     * in the network's order. A graph's layers are then indexed by their position in this walk.
     */
    private List<NetworkLayer> inWalkOrder(List<NetworkLayer> network, boolean positionIsIndex) {
        if (order == null) {
            return network;
        }
        Map<String, NetworkLayer> byName = new LinkedHashMap<>();
        network.forEach(l -> byName.put(l.name(), l));
        for (String n : order.names()) {
            if (!byName.containsKey(n)) {
                throw Args.invalid(order.argument(), n, "the name of one of the network's layers " + byName.keySet());
            }
        }
        List<NetworkLayer> walk = new ArrayList<>();
        order.names().forEach(n -> walk.add(byName.remove(n)));
        walk.addAll(byName.values());
        if (positionIsIndex) {
            for (int i = 0; i < walk.size(); i++) {
                walk.set(i, walk.get(i).atIndex(i));
            }
        }
        return walk;
    }

    /** One parameter to write. */
    private static final class Step {
        final NetworkLayer layer;
        final LayerParam param;
        final TorchWeightInit scheme;

        Step(NetworkLayer layer, LayerParam param, TorchWeightInit scheme) {
            this.layer = layer;
            this.param = param;
            this.scheme = scheme;
        }
    }

    private static final class Plan {
        final List<Step> steps = new ArrayList<>();
        final List<InitializationReport.Skipped> skipped = new ArrayList<>();
        boolean wholeNetwork;

        Set<String> keys() {
            Set<String> s = new HashSet<>();
            for (Step st : steps) {
                s.add(UpdaterStates.key(st.layer.name(), st.param.key()));
            }
            return s;
        }
    }

    /** Validates every rule and decides every parameter's scheme; writes nothing, draws nothing. */
    private Plan plan(List<NetworkLayer> layers) {
        for (Rule r : rules) {
            validate(r, layers);
        }
        Plan plan = new Plan();
        Map<TorchWeightInit, RuntimeException> dryRuns = new HashMap<>();
        boolean wholeNetwork = true;
        for (NetworkLayer l : layers) {
            List<Step> layerSteps = steps(l, dryRuns);
            wholeNetwork &= layerSteps.size() == l.params().size();
            if (l.frozen() && !includeFrozen) {
                if (!l.params().isEmpty()) {
                    plan.skipped.add(new InitializationReport.Skipped(l, "frozen (use includeFrozen(true))"));
                }
                wholeNetwork &= l.params().isEmpty();
                continue;
            }
            if (layerSteps.isEmpty() && l.noTwinReason() != null) {
                plan.skipped.add(new InitializationReport.Skipped(l, l.noTwinReason()));
            }
            if (!layerSteps.isEmpty() && order != null && !order.names().contains(l.name())) {
                throw Args.invalid(order.argument(), order.names(), "every layer this initializer writes; "
                        + l + " is missing (PyTorch draws it somewhere in that order, and leaving it out would"
                        + " shift every later draw)");
            }
            plan.steps.addAll(layerSteps);
        }
        plan.wholeNetwork = wholeNetwork;
        return plan;
    }

    /** A layer's parameters that a rule selects, each with its scheme, checked against its shape. */
    private List<Step> steps(NetworkLayer l, Map<TorchWeightInit, RuntimeException> dryRuns) {
        List<Step> steps = new ArrayList<>();
        for (LayerParam p : l.params()) {
            TorchWeightInit scheme = schemeFor(l, p);
            if (scheme == null) {
                continue;
            }
            try {
                p.check(scheme, dryRuns);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("Scheme " + scheme + " cannot initialize " + l + " parameter "
                        + p + ": " + e.getMessage(), e);
            }
            steps.add(new Step(l, p, scheme));
        }
        return steps;
    }

    /** The scheme of the latest rule that selects this parameter, or null. */
    private TorchWeightInit schemeFor(NetworkLayer l, LayerParam p) {
        for (int i = rules.size() - 1; i >= 0; i--) {
            Rule r = rules.get(i);
            if (r.params().matches(p) && r.layers().matches(l)) {
                TorchWeightInit scheme = r.scheme().choose(l, p);
                if (scheme != null) {
                    return scheme;
                }
            }
        }
        return null;
    }

    private void validate(Rule r, List<NetworkLayer> layers) {
        r.layers().validate(layers);
        if (!r.strict()) {
            return;
        }
        boolean any = false;
        boolean anyParam = false;
        for (NetworkLayer l : layers) {
            if (!r.layers().matches(l)) {
                continue;
            }
            any = true;
            r.params().checkWhole(l);
            if (r.layers().explicit() && l.frozen() && !includeFrozen) {
                throw Args.invalid("layers", r.layers().toString(), "layers that can be written: " + l
                        + " is frozen; use includeFrozen(true) to re-initialize it (in " + r + ")");
            }
            boolean has = l.params().stream().anyMatch(r.params()::matches);
            if (has) {
                anyParam = true;
            } else if (r.layers().explicit() && !r.params().optional()) {
                throw Args.invalid(r.params().argumentName(), r.params().toString(), "parameters " + l
                        + " has: " + describeParams(l) + " (in " + r + ")");
            }
        }
        if (!any) {
            throw Args.invalid("layers", r.layers().toString(), "a selector matching at least one of the network's layers "
                    + layers.stream().map(NetworkLayer::toString).collect(Collectors.toList()) + " (in " + r + ")");
        }
        if (!anyParam && !r.params().optional()) {
            throw Args.invalid(r.params().argumentName(), r.params().toString(), "parameters that one of the selected layers has (in "
                    + r + "; use ifPresent() for PyTorch's `if m.bias is not None`)");
        }
    }

    /** A layer's parameters as a rule can name them: DL4J roles and PyTorch names. */
    private static String describeParams(NetworkLayer l) {
        Set<String> torchNames = new LinkedHashSet<>();
        l.params().forEach(p -> torchNames.addAll(p.torchAttributes()));
        return "roles " + l.roles() + ", PyTorch names " + torchNames;
    }

    private InitializationReport execute(Plan plan) {
        Sampler sampler = generator != null ? generator : torchSeed != null ? new TorchGenerator(torchSeed) : null;
        if (sampler == null) {
            writeInParallel(plan.steps);
        } else {
            for (Step s : plan.steps) {
                s.param.write(s.scheme, sampler);
            }
        }
        List<InitializationReport.Entry> entries = new ArrayList<>();
        for (Step s : plan.steps) {
            entries.add(new InitializationReport.Entry(s.layer, s.param, s.scheme.toString()));
        }
        String source = generator != null ? "a shared TorchGenerator (seeded " + generator.seed() + ")"
                : torchSeed != null ? "TorchGenerator(seed=" + torchSeed + ")"
                : "FastSampler (seeded from ND4J's generator)";
        return new InitializationReport(entries, plan.skipped, source, resetUpdater);
    }

    /** Fast mode: every parameter from ND4J-seeded samplers, small ones in parallel ({@link FastSampler#drawAll}). */
    private static void writeInParallel(List<Step> steps) {
        List<FastSampler.Draw> draws = new ArrayList<>();
        for (Step s : steps) {
            draws.add(new FastSampler.Draw() {
                @Override
                public long length() {
                    return s.param.length();
                }

                @Override
                public void fill(Sampler sampler) {
                    s.param.write(s.scheme, sampler);
                }
            });
        }
        FastSampler.get().drawAll(draws);
    }

    /** Builds a {@link NetworkInitializer}: rules in order (later ones win) and options. */
    public static final class Builder {
        private final List<Rule> rules = new ArrayList<>();
        private Long torchSeed;
        private TorchGenerator generator;
        private boolean includeFrozen;
        private boolean resetUpdater;
        private ModuleOrder order;

        private Builder() {
        }

        /** Gives the parameters with these roles, in the selected layers, this scheme. */
        public Builder rule(LayerSelector layers, TorchWeightInit scheme, ParamRole... roles) {
            return rule(Rule.of(layers, scheme, roles));
        }

        /** As {@link #rule(LayerSelector, TorchWeightInit, ParamRole...)} with a per-parameter choice. */
        public Builder rule(LayerSelector layers, SchemeChoice scheme, ParamRole... roles) {
            return rule(Rule.of(layers, scheme, roles));
        }

        /**
         * Gives the selected parameters of the selected layers this scheme; the parameters are named
         * as an init loop names them ({@link ParamSelector#weight()}, {@link ParamSelector#bias()}).
         */
        public Builder rule(LayerSelector layers, TorchWeightInit scheme, ParamSelector params) {
            return rule(Rule.of(layers, scheme, params));
        }

        /** As {@link #rule(LayerSelector, TorchWeightInit, ParamSelector)} with a per-parameter choice. */
        public Builder rule(LayerSelector layers, SchemeChoice scheme, ParamSelector params) {
            return rule(Rule.of(layers, scheme, params));
        }

        /** Adds one rule, keeping its strictness. */
        public Builder rule(Rule rule) {
            rules.add(Args.notNull("rule", rule));
            return this;
        }

        /** Adds ready-made rules (for instance those of a preset), keeping their strictness. */
        public Builder rules(List<Rule> more) {
            Args.notNull("rules", more);
            for (Rule r : more) {
                rule(r);
            }
            return this;
        }

        /**
         * Draws from {@code new TorchGenerator(seed)} in PyTorch's order, a new generator on every
         * call of {@code initialize} (as {@code torch.manual_seed(seed)} before it). Replaces
         * {@link #generator} and {@link #nd4jRandom}.
         */
        public Builder torchSeed(long seed) {
            this.torchSeed = seed;
            this.generator = null;
            return this;
        }

        /**
         * Draws from this generator in PyTorch's order, continuing its stream: never re-seeded, never
         * copied, so the next initializer or a direct {@code scheme.apply(tensor, generator)} draws
         * what PyTorch's global generator would draw next. Validation draws nothing, and a refused
         * call leaves the generator's state as it was. Replaces {@link #torchSeed} and
         * {@link #nd4jRandom}. A generator is not thread-safe: one initialization at a time.
         */
        public Builder generator(TorchGenerator generator) {
            this.generator = Args.notNull("generator", generator);
            this.torchSeed = null;
            return this;
        }

        /** Draws from a {@link FastSampler}, seeded from ND4J's generator (the default). */
        public Builder nd4jRandom() {
            this.torchSeed = null;
            this.generator = null;
            return this;
        }

        /** Also re-initializes layers inside FrozenLayer / FrozenLayerWithBackprop. */
        public Builder includeFrozen(boolean include) {
            this.includeFrozen = include;
            return this;
        }

        /**
         * Zeroes the updater state (Adam's moments...) of every re-initialized parameter, and resets the
         * iteration and epoch counts when every parameter of the network is re-initialized.
         */
        public Builder resetUpdater(boolean reset) {
            this.resetUpdater = reset;
            return this;
        }

        /**
         * Visits the layers in PyTorch's construction order: when each module's
         * {@code reset_parameters()} ran while the model was built. This is the order of the default
         * draws ({@code TorchDefaults}). Names are layer names (a graph's vertex names), each once;
         * every layer the initializer writes must be listed. Replaces {@link #registrationOrder}.
         *
         * @throws IllegalArgumentException for a null or repeated name (unknown names are refused by
         *                                  {@code initialize}, before anything is drawn)
         */
        public Builder constructionOrder(String... layerNames) {
            this.order = ModuleOrder.of(ModuleOrder.Kind.CONSTRUCTION, layerNames);
            return this;
        }

        /**
         * Visits the layers in PyTorch's registration order, {@code model.modules()}: the order of a
         * model's own init loop ({@code for m in self.modules()}, {@code model.apply(fn)}). Names as
         * in {@link #constructionOrder}. Replaces it.
         *
         * @throws IllegalArgumentException for a null or repeated name
         */
        public Builder registrationOrder(String... layerNames) {
            this.order = ModuleOrder.of(ModuleOrder.Kind.REGISTRATION, layerNames);
            return this;
        }

        /**
         * A walk order for a ComputationGraph, without saying which of PyTorch's orders it is.
         *
         * @deprecated name the order: {@link #constructionOrder} for the default draws,
         * {@link #registrationOrder} for an init loop. This one behaves as they do.
         */
        @Deprecated
        public Builder moduleOrder(String... layerNames) {
            this.order = ModuleOrder.of(ModuleOrder.Kind.UNSTATED, layerNames);
            return this;
        }

        public NetworkInitializer build() {
            return new NetworkInitializer(this);
        }
    }
}
