package io.github.dl4jinit.network;

import io.github.dl4jinit.init.TorchWeightInit;
import io.github.dl4jinit.internal.Args;
import io.github.dl4jinit.sampling.Nd4jSampler;
import io.github.dl4jinit.sampling.Sampler;
import io.github.dl4jinit.sampling.SeededSampler;
import io.github.dl4jinit.sampling.TorchGenerator;
import io.github.dl4jinit.torch.TorchDefaults;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.api.Updater;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.graph.vertex.GraphVertex;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.factory.Nd4j;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Re-initializes the parameters of a {@link MultiLayerNetwork} or {@link ComputationGraph} in place,
 * by ordered rules: which layers ({@link LayerSelector}), which parameter roles ({@link ParamRole}),
 * which scheme. Works on a fresh network after {@code init()}, one restored by {@code ModelSerializer}
 * and one built by {@code TransferLearning}.
 *
 * <pre>{@code
 * NetworkInitializer.torchDefaults().initialize(net);              // PyTorch's reset_parameters
 * NetworkInitializer.torchDefaults(42).initialize(net);            // ... with torch.manual_seed(42)'s bits
 * NetworkInitializer.builder()
 *     .rule(LayerSelector.named("head"), TorchInit.xavierUniform(), ParamRole.WEIGHT)
 *     .rule(LayerSelector.named("head"), TorchInit.zeros(), ParamRole.BIAS)
 *     .resetUpdater(true)
 *     .build().initialize(restored);
 * }</pre>
 *
 * <ul>
 *   <li>Later rules override earlier ones; a parameter no rule selects keeps its bits.</li>
 *   <li>Every rule is checked against the network before anything is written: unknown layer names,
 *       indices out of range, roles a named layer lacks and schemes that cannot fit a shape all
 *       throw {@link IllegalArgumentException} and leave the network untouched.</li>
 *   <li>Values are drawn layer by layer in walk order (layer index; for a graph the module order,
 *       topological unless given) and, within a layer, in PyTorch's order (weight before bias). With
 *       a torch seed they come from one {@link TorchGenerator}, so a network equivalent to a PyTorch
 *       module gets exactly the weights of {@code torch.manual_seed(seed); Model()}.</li>
 *   <li>Frozen layers are skipped unless {@link Builder#includeFrozen(boolean)}.</li>
 * </ul>
 */
public final class NetworkInitializer {
    private final List<Rule> rules;
    private final Long torchSeed;
    private final boolean includeFrozen;
    private final boolean resetUpdater;
    private final List<String> moduleOrder;

    private NetworkInitializer(Builder b) {
        this.rules = Collections.unmodifiableList(new ArrayList<>(b.rules));
        this.torchSeed = b.torchSeed;
        this.includeFrozen = b.includeFrozen;
        this.resetUpdater = b.resetUpdater;
        this.moduleOrder = b.moduleOrder;
    }

    /** An empty builder: no rules, fast sampler seeded from ND4J's generator, frozen layers skipped, updater state kept. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding this initializer's rules and options, to add rules or change options. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.rules.addAll(rules);
        b.torchSeed = torchSeed;
        b.includeFrozen = includeFrozen;
        b.resetUpdater = resetUpdater;
        b.moduleOrder = moduleOrder;
        return b;
    }

    /**
     * PyTorch's {@code reset_parameters()} for every layer with a PyTorch twin, drawing from a
     * {@link Nd4jSampler}, seeded from ND4J's generator (fast; follows DL4J's seed; PyTorch's
     * distributions, not its bits). See {@link TorchDefaults} for the table of rules.
     */
    public static NetworkInitializer torchDefaults() {
        return builder().rules(TorchDefaults.rules()).build();
    }

    /**
     * PyTorch's {@code reset_parameters()} drawn from {@code new TorchGenerator(torchSeed)} in
     * PyTorch's order: the same bits as {@code torch.manual_seed(torchSeed); Model()}.
     */
    public static NetworkInitializer torchDefaults(long torchSeed) {
        return builder().rules(TorchDefaults.rules()).torchSeed(torchSeed).build();
    }

    /** Each layer's scheme and gain from its own activation function: see {@link AutoRules}. */
    public static NetworkInitializer auto() {
        return builder().rules(AutoRules.rules()).build();
    }

    /** The rules, earliest first. */
    public List<Rule> rules() {
        return rules;
    }

    /**
     * Re-initializes a MultiLayerNetwork in place (layer order).
     *
     * @throws IllegalArgumentException if a rule does not fit the network; nothing is written then
     */
    public InitializationReport initialize(MultiLayerNetwork net) {
        Args.notNull("net", net);
        if (net.getLayers() == null) {
            throw Args.invalid("net", "a network before init()", "an initialized network (call net.init() first)");
        }
        if (!moduleOrder.isEmpty()) {
            throw Args.invalid("moduleOrder", moduleOrder, "no module order for a MultiLayerNetwork (layer order is used)");
        }
        List<LayerParams> layers = new ArrayList<>();
        Layer[] ls = net.getLayers();
        for (int i = 0; i < ls.length; i++) {
            String name = ls[i].conf().getLayer().getLayerName();
            layers.add(LayerTable.describe(name == null ? String.valueOf(i) : name, i, ls[i]));
        }
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
     * Re-initializes a ComputationGraph in place (module order: {@link Builder#moduleOrder}, else
     * topological).
     *
     * @throws IllegalArgumentException if a rule does not fit the network; nothing is written then
     */
    public InitializationReport initialize(ComputationGraph graph) {
        Args.notNull("graph", graph);
        if (graph.getVertices() == null) {
            throw Args.invalid("graph", "a graph before init()", "an initialized graph (call graph.init() first)");
        }
        Map<String, Layer> byName = new LinkedHashMap<>();
        for (int idx : graph.topologicalSortOrder()) {
            GraphVertex v = graph.getVertices()[idx];
            if (v.hasLayer()) {
                byName.put(v.getVertexName(), v.getLayer());
            }
        }
        List<String> order = new ArrayList<>();
        for (String n : moduleOrder) {
            if (!byName.containsKey(n)) {
                throw Args.invalid("moduleOrder", n, "the name of a layer vertex of the graph " + byName.keySet());
            }
            order.add(n);
        }
        for (String n : byName.keySet()) {
            if (!order.contains(n)) {
                order.add(n);
            }
        }
        List<LayerParams> layers = new ArrayList<>();
        for (int i = 0; i < order.size(); i++) {
            layers.add(LayerTable.describe(order.get(i), i, byName.get(order.get(i))));
        }
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

    /** One parameter to write. */
    private static final class Step {
        final LayerParams layer;
        final ParamSpec param;
        final TorchWeightInit scheme;

        Step(LayerParams layer, ParamSpec param, TorchWeightInit scheme) {
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

    /** Validates every rule and decides every parameter's scheme; writes nothing. */
    private Plan plan(List<LayerParams> layers) {
        for (Rule r : rules) {
            validate(r, layers);
        }
        Plan plan = new Plan();
        Map<TorchWeightInit, RuntimeException> dryRuns = new java.util.HashMap<>();
        boolean all = true;
        for (LayerParams l : layers) {
            boolean selected = false;
            List<Step> layerSteps = new ArrayList<>();
            for (ParamSpec p : l.params()) {
                TorchWeightInit scheme = null;
                for (int i = rules.size() - 1; i >= 0 && scheme == null; i--) {
                    Rule r = rules.get(i);
                    if (r.roles().contains(p.role()) && r.layers().matches(l)) {
                        scheme = r.scheme().choose(l, p);
                    }
                }
                if (scheme == null) {
                    all = false;
                    continue;
                }
                selected = true;
                try {
                    p.check(scheme, dryRuns);
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("Scheme " + scheme + " cannot initialize " + l + " parameter "
                            + p + ": " + e.getMessage(), e);
                }
                layerSteps.add(new Step(l, p, scheme));
            }
            if (l.frozen() && !includeFrozen) {
                if (selected || !l.params().isEmpty()) {
                    plan.skipped.add(new InitializationReport.Skipped(l, "frozen (use includeFrozen(true))"));
                }
                all &= l.params().isEmpty();
                continue;
            }
            if (!selected && l.noTwinReason() != null) {
                plan.skipped.add(new InitializationReport.Skipped(l, l.noTwinReason()));
            }
            plan.steps.addAll(layerSteps);
        }
        plan.wholeNetwork = all;
        return plan;
    }

    private static void validate(Rule r, List<LayerParams> layers) {
        r.layers().validate(layers);
        if (!r.strict()) {
            return;
        }
        boolean any = false;
        boolean anyRole = false;
        for (LayerParams l : layers) {
            if (!r.layers().matches(l)) {
                continue;
            }
            any = true;
            Set<ParamRole> has = l.roles();
            has.retainAll(r.roles());
            if (!has.isEmpty()) {
                anyRole = true;
            } else if (r.layers().explicit()) {
                throw Args.invalid("roles", r.roles(), "roles " + l + " has: " + l.roles() + " (in " + r + ")");
            }
        }
        if (!any) {
            throw Args.invalid("layers", r.layers().toString(), "a selector matching at least one of the network's layers "
                    + layers.stream().map(LayerParams::toString).collect(java.util.stream.Collectors.toList())
                    + " (in " + r + ")");
        }
        if (!anyRole) {
            throw Args.invalid("roles", r.roles(), "a role that one of the selected layers has (in " + r + ")");
        }
    }

    private InitializationReport execute(Plan plan) {
        if (torchSeed == null) {
            writeInParallel(plan.steps);
        } else {
            Sampler sampler = new TorchGenerator(torchSeed);
            for (Step s : plan.steps) {
                s.param.write(s.scheme, sampler);
            }
        }
        List<InitializationReport.Entry> entries = new ArrayList<>();
        for (Step s : plan.steps) {
            entries.add(new InitializationReport.Entry(s.layer, s.param, s.scheme.toString()));
        }
        String source = torchSeed == null ? "Nd4jSampler (seeded from ND4J's generator)" : "TorchGenerator(seed=" + torchSeed + ")";
        return new InitializationReport(entries, plan.skipped, source, resetUpdater);
    }

    /**
     * Fast mode. Parameters of a million values or more are drawn one after the other by ND4J's native
     * op (itself multi-threaded); smaller ones get a {@link SeededSampler} each, seeded in plan order from
     * ND4J's generator, and are drawn at once on all cores. A ResNet has dozens of small tensors, each
     * too small for its own fill to be worth splitting across threads. The values depend on ND4J's
     * seed alone, never on the number of cores or on which thread drew them.
     */
    private static void writeInParallel(List<Step> steps) {
        List<Runnable> small = new ArrayList<>();
        for (Step s : steps) {
            if (Nd4jSampler.fillsInParallel(s.param.length())) {
                SeededSampler sampler = SeededSampler.onCallingThread(Nd4j.getRandom().nextLong());
                small.add(() -> s.param.write(s.scheme, sampler));
            } else {
                s.param.write(s.scheme, Nd4jSampler.get());
            }
        }
        small.parallelStream().forEach(Runnable::run);
    }

    /** Builds a {@link NetworkInitializer}: rules in order (later ones win) and options. */
    public static final class Builder {
        private final List<Rule> rules = new ArrayList<>();
        private Long torchSeed;
        private boolean includeFrozen;
        private boolean resetUpdater;
        private List<String> moduleOrder = Collections.emptyList();

        private Builder() {
        }

        /** Gives the parameters with these roles, in the selected layers, this scheme. */
        public Builder rule(LayerSelector layers, TorchWeightInit scheme, ParamRole... roles) {
            return rule(layers, SchemeChoice.of(Args.notNull("scheme", scheme)), roles);
        }

        /** As {@link #rule(LayerSelector, TorchWeightInit, ParamRole...)} with a per-parameter choice. */
        public Builder rule(LayerSelector layers, SchemeChoice scheme, ParamRole... roles) {
            Args.notNull("roles", roles);
            rules.add(new Rule(layers, roles.length == 0 ? EnumSet.noneOf(ParamRole.class)
                    : EnumSet.copyOf(Arrays.asList(roles)), scheme, true));
            return this;
        }

        /** Adds ready-made rules (for instance those of a preset), keeping their strictness. */
        public Builder rules(List<Rule> more) {
            rules.addAll(Args.notNull("rules", more));
            return this;
        }

        /** Draws from {@code new TorchGenerator(seed)} in PyTorch's order instead of ND4J's generator. */
        public Builder torchSeed(long seed) {
            this.torchSeed = seed;
            return this;
        }

        /** Draws from a {@link Nd4jSampler}, seeded from ND4J's generator (the default). */
        public Builder nd4jRandom() {
            this.torchSeed = null;
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
         * PyTorch's module registration order for a ComputationGraph (layer vertex names); layers not
         * listed follow in topological order.
         */
        public Builder moduleOrder(String... layerNames) {
            Args.notNull("layerNames", layerNames);
            this.moduleOrder = Collections.unmodifiableList(new ArrayList<>(Arrays.asList(layerNames)));
            return this;
        }

        public NetworkInitializer build() {
            return new NetworkInitializer(this);
        }
    }
}
