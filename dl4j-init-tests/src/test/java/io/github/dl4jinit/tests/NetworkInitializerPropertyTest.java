package io.github.dl4jinit.tests;

import io.github.dl4jinit.init.TorchWeightInit;
import io.github.dl4jinit.network.InitializationReport;
import io.github.dl4jinit.network.LayerSelector;
import io.github.dl4jinit.network.NetworkInitializer;
import io.github.dl4jinit.network.ParamRole;
import io.github.dl4jinit.network.ParamSelector;
import io.github.dl4jinit.network.Rule;
import io.github.dl4jinit.network.TorchModule;
import io.github.dl4jinit.sampling.TorchGenerator;
import io.github.dl4jinit.tests.GeneratedNets.Built;
import io.github.dl4jinit.tests.GeneratedNets.LayerSpec;
import io.github.dl4jinit.tests.GeneratedNets.NetSpec;
import io.github.dl4jinit.tests.GeneratedNets.Param;
import io.github.dl4jinit.tests.GeneratedNets.Wrapper;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.statistics.Statistics;
import org.deeplearning4j.nn.conf.layers.BaseOutputLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.EmbeddingLayer;
import org.deeplearning4j.nn.conf.layers.FeedForwardLayer;
import org.deeplearning4j.nn.conf.layers.LSTM;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.misc.FrozenLayer;
import org.deeplearning4j.nn.conf.layers.misc.FrozenLayerWithBackprop;
import org.deeplearning4j.nn.updater.UpdaterBlock;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * NetworkInitializer's central promise, on generated networks and generated rule sets: a call is
 * either refused with an IllegalArgumentException and every parameter, every updater state value and
 * the generators are as they were, or every parameter the rules select is written, every other one
 * keeps its bits, and the report lists exactly what was written, in PyTorch's draw order.
 *
 * <p>What the rules select, and when a call must be refused, is worked out here from the rules'
 * documented meaning and the test's own table of each layer's parameters ({@link GeneratedNets}):
 * selectors, later rules overriding earlier ones, frozen layers skipped unless included (a rule naming
 * one refused), strict rules refused when they select nothing, and schemes that cannot fit a shape.
 * Before the call every parameter holds a sentinel no scheme can produce, so a parameter that was
 * written is one without a sentinel left in it.
 *
 * <p>The seed is fixed so that every run checks the same cases (1,000, about half of them refused);
 * drop it, or raise the tries, to explore.
 */
class NetworkInitializerPropertyTest {

    // ---- the test's model of rules ------------------------------------------------------------------

    /** A layer selector as generated, with the meaning the documentation gives it. */
    interface Sel {
        boolean matches(LayerSpec l, int index);

        default boolean explicit() {
            return false;
        }

        /** Why the selector is refused on this network, or null. */
        default String invalid(List<LayerSpec> walk) {
            return null;
        }

        LayerSelector build();
    }

    record All() implements Sel {
        public boolean matches(LayerSpec l, int index) {
            return true;
        }

        public LayerSelector build() {
            return LayerSelector.all();
        }
    }

    record Named(List<String> names) implements Sel {
        public boolean matches(LayerSpec l, int index) {
            return names.contains(l.name());
        }

        public boolean explicit() {
            return true;
        }

        public String invalid(List<LayerSpec> walk) {
            for (String n : names) {
                if (walk.stream().noneMatch(l -> l.name().equals(n))) {
                    return "unknown layer name";
                }
            }
            return null;
        }

        public LayerSelector build() {
            return LayerSelector.named(names.toArray(new String[0]));
        }
    }

    record Range(int from, int to) implements Sel {
        public boolean matches(LayerSpec l, int index) {
            return index >= from && index < to;
        }

        public boolean explicit() {
            return true;
        }

        public String invalid(List<LayerSpec> walk) {
            return to > walk.size() ? "index range beyond the network" : null;
        }

        public LayerSelector build() {
            return LayerSelector.indexRange(from, to);
        }
    }

    /** DL4J's class hierarchy: the inner configuration, or a frozen wrapper's configuration class. */
    record OfType(Class<? extends Layer> type) implements Sel {
        public boolean matches(LayerSpec l, int index) {
            return type.isAssignableFrom(l.kind().confClass)
                    || l.wrapper() == Wrapper.FROZEN && type.isAssignableFrom(FrozenLayer.class)
                    || l.wrapper() == Wrapper.FROZEN_WITH_BACKPROP && type.isAssignableFrom(FrozenLayerWithBackprop.class);
        }

        public LayerSelector build() {
            return LayerSelector.ofType(type);
        }
    }

    record IsInstance(TorchModule module) implements Sel {
        public boolean matches(LayerSpec l, int index) {
            return l.kind().module == module;
        }

        public LayerSelector build() {
            return LayerSelector.isInstance(module);
        }
    }

    /** A parameter selector: by DL4J roles, or by the names PyTorch gives the module's tensors. */
    record PSel(Set<ParamRole> roles, List<String> torchNames, boolean ifPresent) {
        boolean matches(Param p) {
            return roles != null ? roles.contains(p.role())
                    : !p.torchNames().isEmpty() && torchNames.containsAll(p.torchNames());
        }

        /** A selection that names part of one DL4J parameter (one of an LSTM's two biases). */
        boolean partOf(Param p) {
            return roles == null && p.torchNames().stream().anyMatch(torchNames::contains)
                    && !torchNames.containsAll(p.torchNames());
        }

        ParamSelector build() {
            ParamSelector s = roles != null ? ParamSelector.roles(roles.toArray(new ParamRole[0]))
                    : ParamSelector.torch(torchNames.toArray(new String[0]));
            return ifPresent ? s.ifPresent() : s;
        }

        @Override
        public String toString() {
            return (roles != null ? roles.toString() : "torch " + torchNames) + (ifPresent ? " if present" : "");
        }
    }

    record RuleSpec(Sel sel, PSel params, TorchWeightInit scheme) {
        Rule build() {
            return Rule.of(sel.build(), scheme, params.build());
        }

        @Override
        public String toString() {
            return "rule(" + sel + ", " + params + " -> " + scheme + ")";
        }
    }

    enum Source {TORCH_SEED, SHARED_GENERATOR, ND4J}

    record Options(boolean includeFrozen, boolean resetUpdater, Source source, List<String> order, boolean registration) {
    }

    record Case(NetSpec net, List<RuleSpec> rules, Options options) {
        @Override
        public String toString() {
            return net + "\n  rules " + rules + "\n  " + options;
        }
    }

    /** One parameter the call must write, with the scheme that must write it. */
    record Write(String layer, String key, TorchWeightInit scheme) {
    }

    /**
     * The outcome the documentation promises: a refusal (its kind, and the details) or the writes in
     * draw order.
     */
    record Expected(String refusal, String details, List<Write> writes, boolean wholeNetwork) {
        static Expected refused(String kind, String details) {
            return new Expected(kind, details, List.of(), false);
        }
    }

    static Expected expected(Built built, List<RuleSpec> rules, Options o) {
        List<LayerSpec> network = built.networkOrder();
        List<LayerSpec> walk = network;
        if (o.order() != null) {
            if (new HashSet<>(o.order()).size() < o.order().size()) {
                return Expected.refused("repeated name in the order", o.order().toString());
            }
            walk = new ArrayList<>();
            for (String n : o.order()) {
                if (network.stream().noneMatch(l -> l.name().equals(n))) {
                    return Expected.refused("unknown name in the order", n);
                }
                walk.add(built.spec().layer(n));
            }
            for (LayerSpec l : network) {
                if (!o.order().contains(l.name())) {
                    walk.add(l);
                }
            }
        }
        // A MultiLayerNetwork's layer index is its index in the network; a graph's, its position in the walk.
        List<LayerSpec> indexOrder = built.mln() != null ? built.spec().layers() : walk;
        for (RuleSpec r : rules) {
            String why = r.sel().invalid(walk);
            if (why != null) {
                return Expected.refused(why, r.toString());
            }
            boolean any = false;
            boolean anyParam = false;
            for (LayerSpec l : walk) {
                if (!r.sel().matches(l, indexOrder.indexOf(l))) {
                    continue;
                }
                any = true;
                if (l.params().stream().anyMatch(r.params()::partOf)) {
                    return Expected.refused("part of one parameter", l.name() + " in " + r);
                }
                if (r.sel().explicit() && l.frozen() && !o.includeFrozen()) {
                    return Expected.refused("a rule names a frozen layer", l.name() + " in " + r);
                }
                if (l.params().stream().anyMatch(r.params()::matches)) {
                    anyParam = true;
                } else if (r.sel().explicit() && !r.params().ifPresent()) {
                    return Expected.refused("a named layer lacks the parameter", l.name() + " in " + r);
                }
            }
            if (!any) {
                return Expected.refused("no layer selected", r.toString());
            }
            if (!anyParam && !r.params().ifPresent()) {
                return Expected.refused("no selected layer has the parameter", r.toString());
            }
        }
        List<Write> writes = new ArrayList<>();
        boolean whole = true;
        for (LayerSpec l : walk) {
            List<Write> steps = new ArrayList<>();
            for (Param p : l.params()) {
                TorchWeightInit scheme = null;
                for (RuleSpec r : rules) {
                    if (r.sel().matches(l, indexOrder.indexOf(l)) && r.params().matches(p)) {
                        scheme = r.scheme();   // later rules win
                    }
                }
                if (scheme == null) {
                    whole = false;
                    continue;
                }
                if (!GeneratedNets.fits(scheme, p)) {
                    return Expected.refused("a scheme cannot fit a shape", scheme + " on " + l.name() + "." + p.key() + " " + java.util.Arrays.toString(p.torchShape()));
                }
                steps.add(new Write(l.name(), p.key(), scheme));
            }
            if (l.frozen() && !o.includeFrozen()) {
                whole = false;
                continue;
            }
            if (!steps.isEmpty() && o.order() != null && !o.order().contains(l.name())) {
                return Expected.refused("the order leaves out a written layer", l.name());
            }
            writes.addAll(steps);
        }
        return new Expected(null, null, writes, whole);
    }

    // ---- generators ---------------------------------------------------------------------------------

    private static final List<Class<? extends Layer>> TYPES = List.of(DenseLayer.class, ConvolutionLayer.class,
            BatchNormalization.class, LSTM.class, EmbeddingLayer.class, OutputLayer.class, BaseOutputLayer.class,
            FeedForwardLayer.class, FrozenLayer.class, FrozenLayerWithBackprop.class);

    private static Arbitrary<Sel> selectors(NetSpec net) {
        List<String> names = net.layers().stream().map(LayerSpec::name).toList();
        int n = names.size();
        Arbitrary<Sel> named = Arbitraries.of(names).set().ofMinSize(1).ofMaxSize(2).map(s -> new Named(List.copyOf(s)));
        Arbitrary<Sel> ghost = Arbitraries.of(names).map(existing -> new Named(List.of(existing, "ghost")));
        // Beyond the network only when the last layer and one more are asked for.
        Arbitrary<Sel> range = Combinators.combine(Arbitraries.integers().between(0, n - 1), Arbitraries.integers().between(1, 2))
                .as((from, len) -> new Range(from, from + len));
        // Types and modules of the network's own layers mostly; sometimes ones it may not have.
        Arbitrary<Sel> presentType = Arbitraries.of(net.layers()).map(l -> new OfType(l.kind().confClass));
        Arbitrary<Sel> presentModule = Arbitraries.of(net.layers()).map(l -> new IsInstance(l.kind().module));
        return Arbitraries.frequencyOf(
                Tuple.of(3, Arbitraries.just(new All())),
                Tuple.of(4, named),
                Tuple.of(1, ghost),
                Tuple.of(2, range),
                Tuple.of(2, presentType),
                Tuple.of(1, Arbitraries.of(TYPES).map(OfType::new)),
                Tuple.of(2, presentModule),
                Tuple.of(1, Arbitraries.of(TorchModule.LINEAR, TorchModule.CONV2D, TorchModule.BATCH_NORM, TorchModule.LSTM,
                        TorchModule.EMBEDDING, TorchModule.CONV1D).map(IsInstance::new)));
    }

    private static Arbitrary<PSel> paramSelectors(NetSpec net) {
        Arbitrary<PSel> roles = Arbitraries.of(ParamRole.WEIGHT, ParamRole.BIAS, ParamRole.RECURRENT_WEIGHT, ParamRole.GAMMA,
                        ParamRole.BETA, ParamRole.RUNNING_MEAN, ParamRole.RUNNING_VAR).set().ofMinSize(1).ofMaxSize(3)
                .map(s -> new PSel(Set.copyOf(s), null, false));
        Arbitrary<PSel> names = Arbitraries.of(List.of("weight"), List.of("bias"), List.of("weight", "bias"),
                List.of("running_var"), List.of("weight_ih_l0"), List.of("bias_ih_l0"), List.of("bias_ih_l0", "bias_hh_l0"),
                List.of("weight_ih_l0", "weight_hh_l0")).map(l -> new PSel(null, l, false));
        // One parameter that one of the network's layers has, by role or by its PyTorch names.
        Arbitrary<PSel> present = Arbitraries.of(net.layers()).flatMap(l -> Arbitraries.of(l.params()))
                .flatMap(p -> Arbitraries.of(false, true).map(byName -> byName && !p.torchNames().isEmpty()
                        ? new PSel(null, p.torchNames(), false) : new PSel(Set.of(p.role()), null, false)));
        Arbitrary<PSel> either = Arbitraries.frequencyOf(Tuple.of(3, roles), Tuple.of(2, names), Tuple.of(4, present));
        return Combinators.combine(either, Arbitraries.frequency(Tuple.of(3, false), Tuple.of(1, true)))
                .as((p, optional) -> new PSel(p.roles(), p.torchNames(), optional));
    }

    private static Arbitrary<Options> options(NetSpec net) {
        List<String> names = net.layers().stream().map(LayerSpec::name).toList();
        Arbitrary<List<String>> permutation = Arbitraries.shuffle(names);
        Arbitrary<List<String>> order = Arbitraries.frequencyOf(
                Tuple.of(14, Arbitraries.just(null)),
                Tuple.of(3, permutation),
                Tuple.of(1, permutation.map(p -> p.subList(1, p.size()))),
                Tuple.of(1, permutation.map(p -> {
                    List<String> l = new ArrayList<>(p);
                    l.add(1 % (l.size() + 1), "ghost");
                    return l;
                })),
                Tuple.of(1, permutation.map(p -> {
                    List<String> l = new ArrayList<>(p);
                    l.add(p.get(0));
                    return l;
                })));
        return Combinators.combine(Arbitraries.of(false, true), Arbitraries.of(false, true), Arbitraries.of(Source.class),
                order, Arbitraries.of(false, true)).as(Options::new);
    }

    @Provide
    Arbitrary<Case> cases() {
        return GeneratedNets.nets(5).flatMap(net -> Combinators.combine(
                Combinators.combine(selectors(net), paramSelectors(net), GeneratedNets.schemes()).as(RuleSpec::new)
                        .list().ofMinSize(1).ofMaxSize(3),
                options(net)).as((rules, o) -> new Case(net, rules, o)));
    }

    // ---- the property -------------------------------------------------------------------------------

    private static double sentinel(DataType type) {
        return type == DataType.DOUBLE ? Double.MAX_VALUE : Float.MAX_VALUE;
    }

    /** Raw bits of every element, in C order (a copy); none for no array. */
    static long[] bits(INDArray a) {
        if (a == null) {
            return new long[0];
        }
        INDArray c = a.dup('c');
        if (c.dataType() == DataType.DOUBLE) {
            double[] d = c.data().asDouble();
            long[] out = new long[d.length];
            for (int i = 0; i < d.length; i++) {
                out[i] = Double.doubleToRawLongBits(d[i]);
            }
            return out;
        }
        float[] f = c.data().asFloat();
        long[] out = new long[f.length];
        for (int i = 0; i < f.length; i++) {
            out[i] = Float.floatToRawIntBits(f[i]);
        }
        return out;
    }

    private static int iterations(Built b) {
        return b.mln() != null ? b.mln().getIterationCount() : b.graph().getConfiguration().getIterationCount();
    }

    private static int epochs(Built b) {
        return b.mln() != null ? b.mln().getEpochCount() : b.graph().getConfiguration().getEpochCount();
    }

    private static NetworkInitializer initializer(Case c, TorchGenerator shared) {
        NetworkInitializer.Builder b = NetworkInitializer.builder();
        for (RuleSpec r : c.rules()) {
            b.rule(r.build());
        }
        Options o = c.options();
        b.includeFrozen(o.includeFrozen()).resetUpdater(o.resetUpdater());
        switch (o.source()) {
            case TORCH_SEED:
                b.torchSeed(c.net().seed());
                break;
            case SHARED_GENERATOR:
                b.generator(shared);
                break;
            default:
                b.nd4jRandom();
        }
        if (o.order() != null) {
            String[] names = o.order().toArray(new String[0]);
            if (o.registration()) {
                b.registrationOrder(names);
            } else {
                b.constructionOrder(names);
            }
        }
        return b.build();
    }

    @Property(tries = 1000, seed = "20240615")
    void aCallIsRefusedWithNothingChangedOrWritesExactlyWhatItsRulesSelect(@ForAll("cases") Case c) {
        Built built = c.net().build();
        DataType type = c.net().dataType();
        double sentinel = sentinel(type);
        built.params().assign(sentinel);
        // Updater state (Adam's moments) that a pass must keep, or zero only where it re-initializes.
        INDArray state = built.updaterState();
        if (state != null) {
            Nd4j.getRandom().setSeed(c.net().seed());
            state.assign(Nd4j.rand(state.dataType(), state.shape()).addi(0.5));
        }
        List<UpdaterBlock> blocks = built.updater().getUpdaterBlocks();
        List<long[]> blockStates = new ArrayList<>();
        for (UpdaterBlock block : blocks) {
            blockStates.add(block.getUpdaterView() == null ? new long[0] : bits(block.getUpdaterView()));
        }
        if (built.mln() != null) {
            built.mln().setIterationCount(5);
            built.mln().setEpochCount(2);
        } else {
            built.graph().getConfiguration().setIterationCount(5);
            built.graph().getConfiguration().setEpochCount(2);
        }
        long[] paramsBefore = bits(built.params());
        long[] stateBefore = bits(state);
        TorchGenerator shared = new TorchGenerator(c.net().seed());
        TorchGenerator.State sharedBefore = shared.getState();
        Expected expected = expected(built, c.rules(), c.options());

        Nd4j.getRandom().setSeed(c.net().seed() + 1);
        InitializationReport report = null;
        IllegalArgumentException refusal = null;
        try {
            NetworkInitializer init = initializer(c, shared);
            report = built.mln() != null ? init.initialize(built.mln()) : init.initialize(built.graph());
        } catch (IllegalArgumentException e) {
            refusal = e;
        }
        long nd4jNext = Nd4j.getRandom().nextLong();

        Statistics.label("outcome").collect(expected.refusal() == null ? "written" : "refused");
        Statistics.label("network").collect(c.net().graph() ? "graph" : "multi-layer");
        Statistics.label("refused because").collect(expected.refusal() == null ? "(written)" : expected.refusal());
        Statistics.label("outcome").coverage(k -> {
            k.check("written").percentage(p -> p >= 25);
            k.check("refused").percentage(p -> p >= 25);
        });

        if (expected.refusal() != null) {
            assertThat(refusal).as("expected a refusal (%s: %s) for %s", expected.refusal(), expected.details(), c).isNotNull();
            assertThat(refusal.getMessage()).isNotBlank();
            assertThat(bits(built.params())).as("parameters after a refused call").isEqualTo(paramsBefore);
            assertThat(bits(state)).as("updater state after a refused call").isEqualTo(stateBefore);
            assertThat(shared.getState()).as("the shared generator after a refused call").isEqualTo(sharedBefore);
            Nd4j.getRandom().setSeed(c.net().seed() + 1);
            assertThat(nd4jNext).as("ND4J's generator after a refused call").isEqualTo(Nd4j.getRandom().nextLong());
            assertThat(iterations(built)).isEqualTo(5);
            assertThat(epochs(built)).isEqualTo(2);
            return;
        }
        assertThat(refusal).as("refused (%s) although the rules fit: %s", refusal == null ? "" : refusal.getMessage(), c)
                .isNull();

        // The report: exactly the parameters written, in draw order, each with its scheme.
        List<String> reported = new ArrayList<>();
        for (InitializationReport.Entry e : report.entries()) {
            reported.add(e.layer() + "." + e.key() + " <- " + e.scheme());
        }
        List<String> promised = new ArrayList<>();
        Set<String> written = new LinkedHashSet<>();
        for (Write w : expected.writes()) {
            promised.add(w.layer() + "." + w.key() + " <- " + w.scheme());
            written.add(w.layer() + "/" + w.key());
        }
        assertThat(reported).as("report of %s", c).containsExactlyElementsOf(promised);

        // The parameters: every written one fully, every other one bit-identical.
        for (LayerSpec l : c.net().layers()) {
            for (Param p : l.params()) {
                INDArray v = built.param(l.name(), p.key());
                long sentinelBits = type == DataType.DOUBLE ? Double.doubleToRawLongBits(sentinel)
                        : Float.floatToRawIntBits((float) sentinel);
                long[] now = bits(v);
                if (written.contains(l.name() + "/" + p.key())) {
                    assertThat(now).as("%s.%s was written in full: %s", l.name(), p.key(), c).doesNotContain(sentinelBits);
                } else {
                    assertThat(now).as("%s.%s was not to be written: %s", l.name(), p.key(), c).containsOnly(sentinelBits);
                }
            }
        }

        // The updater state: kept, or zero for exactly the written parameters when asked to reset.
        for (int k = 0; k < blocks.size(); k++) {
            UpdaterBlock block = blocks.get(k);
            INDArray view = block.getUpdaterView();
            if (view == null || view.length() == 0) {
                continue;
            }
            long[] before = blockStates.get(k);
            long[] now = bits(view);
            long span = block.getParamOffsetEnd() - block.getParamOffsetStart();
            long segments = view.length() / span;
            boolean[] zeroed = new boolean[now.length];
            for (UpdaterBlock.ParamState ps : block.getLayersAndVariablesInBlock()) {
                String key = ps.getLayer().getConfig().getLayerName() + "/" + ps.getParamName();
                if (!c.options().resetUpdater() || !written.contains(key)) {
                    continue;
                }
                long s = ps.getParamOffsetStart() - block.getParamOffsetStart();
                long e = ps.getParamOffsetEnd() - block.getParamOffsetStart();
                for (long j = 0; j < segments; j++) {
                    for (long i = j * span + s; i < j * span + e; i++) {
                        zeroed[(int) i] = true;
                    }
                }
            }
            for (int i = 0; i < now.length; i++) {
                if (zeroed[i]) {
                    double value = view.dataType() == DataType.DOUBLE ? Double.longBitsToDouble(now[i])
                            : Float.intBitsToFloat((int) now[i]);
                    assertThat(value).as("state %d of block %d is reset: %s", i, k, c).isZero();
                } else {
                    assertThat(now[i]).as("state %d of block %d is kept: %s", i, k, c).isEqualTo(before[i]);
                }
            }
        }
        boolean countsReset = c.options().resetUpdater() && expected.wholeNetwork();
        assertThat(iterations(built)).isEqualTo(countsReset ? 0 : 5);
        assertThat(epochs(built)).isEqualTo(countsReset ? 0 : 2);

        // The shared generator moved on exactly when something was drawn from it.
        if (c.options().source() == Source.SHARED_GENERATOR) {
            boolean drew = expected.writes().stream().anyMatch(w -> GeneratedNets.draws(w.scheme()));
            assertThat(shared.getState().equals(sharedBefore)).as("generator untouched: %s", c).isEqualTo(!drew);
        }
    }
}
