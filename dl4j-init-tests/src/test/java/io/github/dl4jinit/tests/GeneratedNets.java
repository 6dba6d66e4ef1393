package io.github.dl4jinit.tests;

import io.github.dl4jinit.init.Constant;
import io.github.dl4jinit.init.Dirac;
import io.github.dl4jinit.init.Distribution;
import io.github.dl4jinit.init.Eye;
import io.github.dl4jinit.init.FanMode;
import io.github.dl4jinit.init.KaimingNormal;
import io.github.dl4jinit.init.KaimingUniform;
import io.github.dl4jinit.init.LeCunNormal;
import io.github.dl4jinit.init.LeCunUniform;
import io.github.dl4jinit.init.Nonlinearity;
import io.github.dl4jinit.init.Normal;
import io.github.dl4jinit.init.Orthogonal;
import io.github.dl4jinit.init.Sparse;
import io.github.dl4jinit.init.TorchDefaultBias;
import io.github.dl4jinit.init.TorchDefaultInit;
import io.github.dl4jinit.init.TorchWeightInit;
import io.github.dl4jinit.init.TruncatedNormal;
import io.github.dl4jinit.init.Uniform;
import io.github.dl4jinit.init.VarianceScaling;
import io.github.dl4jinit.init.XavierNormal;
import io.github.dl4jinit.init.XavierUniform;
import io.github.dl4jinit.network.ParamRole;
import io.github.dl4jinit.network.TorchModule;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Tuple;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.EmbeddingLayer;
import org.deeplearning4j.nn.conf.layers.LSTM;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.misc.FrozenLayer;
import org.deeplearning4j.nn.conf.layers.misc.FrozenLayerWithBackprop;
import org.deeplearning4j.nn.conf.preprocessor.ComposableInputPreProcessor;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.graph.vertex.GraphVertex;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.IWeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

/**
 * Generated networks for the property tests: random stacks of Dense, Convolution, BatchNormalization,
 * LSTM, Embedding and Output layers, some inside FrozenLayer or FrozenLayerWithBackprop, as a
 * MultiLayerNetwork or as a ComputationGraph whose layers take a random earlier vertex as input.
 * Layer sizes are independent of each other: the properties only read and write parameters, they
 * never run a forward pass.
 *
 * <p>The test keeps its own table of what each layer's parameters are (DL4J key, role, PyTorch name,
 * PyTorch shape, whether PyTorch can compute fans for it), in PyTorch's draw order, written from
 * DL4J's and PyTorch's documentation rather than read from the library under test.
 */
final class GeneratedNets {
    private GeneratedNets() {
    }

    enum Kind {
        DENSE(DenseLayer.class, TorchModule.LINEAR),
        CONV(ConvolutionLayer.class, TorchModule.CONV2D),
        BATCH_NORM(BatchNormalization.class, TorchModule.BATCH_NORM),
        LSTM(org.deeplearning4j.nn.conf.layers.LSTM.class, TorchModule.LSTM),
        EMBEDDING(EmbeddingLayer.class, TorchModule.EMBEDDING),
        OUTPUT(OutputLayer.class, TorchModule.LINEAR);

        final Class<? extends Layer> confClass;
        final TorchModule module;

        Kind(Class<? extends Layer> confClass, TorchModule module) {
            this.confClass = confClass;
            this.module = module;
        }
    }

    enum Wrapper {
        NONE, FROZEN, FROZEN_WITH_BACKPROP
    }

    /** One parameter: DL4J key, role, PyTorch names on its module, PyTorch shape, whether it has fans. */
    record Param(String key, ParamRole role, List<String> torchNames, long[] torchShape, boolean fans) {
        int rank() {
            return torchShape.length;
        }
    }

    /** One generated layer. {@code bias} only matters for an Embedding (DL4J's hasBias). */
    record LayerSpec(String name, Kind kind, Wrapper wrapper, int nIn, int nOut, int kernel, boolean bias) {

        boolean frozen() {
            return wrapper != Wrapper.NONE;
        }

        LayerSpec named(String n) {
            return new LayerSpec(n, kind, wrapper, nIn, nOut, kernel, bias);
        }

        /** The parameters in PyTorch's draw order (weight before bias; LSTM: ih, hh, biases). */
        List<Param> params() {
            List<String> weight = List.of("weight");
            List<String> biasName = List.of("bias");
            switch (kind) {
                case DENSE:
                case OUTPUT:
                    return List.of(new Param("W", ParamRole.WEIGHT, weight, new long[]{nOut, nIn}, true),
                            new Param("b", ParamRole.BIAS, biasName, new long[]{nOut}, true));
                case CONV:
                    return List.of(new Param("W", ParamRole.WEIGHT, weight, new long[]{nOut, nIn, kernel, kernel}, true),
                            new Param("b", ParamRole.BIAS, biasName, new long[]{nOut}, true));
                case BATCH_NORM:
                    return List.of(new Param("gamma", ParamRole.GAMMA, weight, new long[]{nOut}, false),
                            new Param("beta", ParamRole.BETA, biasName, new long[]{nOut}, false),
                            new Param("mean", ParamRole.RUNNING_MEAN, List.of("running_mean"), new long[]{nOut}, false),
                            new Param("log10stdev", ParamRole.RUNNING_VAR, List.of("running_var"), new long[]{nOut}, false));
                case LSTM:
                    return List.of(
                            new Param("W", ParamRole.WEIGHT, List.of("weight_ih_l0"), new long[]{4L * nOut, nIn}, true),
                            new Param("RW", ParamRole.RECURRENT_WEIGHT, List.of("weight_hh_l0"), new long[]{4L * nOut, nOut}, true),
                            new Param("b", ParamRole.BIAS, List.of("bias_ih_l0", "bias_hh_l0"), new long[]{4L * nOut}, true));
                default: {
                    // nn.Embedding has no bias: DL4J's optional one has no PyTorch name.
                    Param w = new Param("W", ParamRole.WEIGHT, weight, new long[]{nIn, nOut}, true);
                    return bias ? List.of(w, new Param("b", ParamRole.BIAS, List.of(), new long[]{nOut}, true)) : List.of(w);
                }
            }
        }

        /** The layer's configuration, {@code init} as its weightInit (null: the network's), wrapped if frozen. */
        Layer conf(IWeightInit init) {
            Layer inner;
            switch (kind) {
                case DENSE:
                    inner = withInit(new DenseLayer.Builder(), init).nIn(nIn).nOut(nOut).activation(Activation.TANH)
                            .name(name).build();
                    break;
                case CONV:
                    inner = withInit(new ConvolutionLayer.Builder(kernel, kernel), init).nIn(nIn).nOut(nOut)
                            .activation(Activation.RELU).name(name).build();
                    break;
                case BATCH_NORM:
                    inner = new BatchNormalization.Builder().nOut(nOut).name(name).build();
                    break;
                case LSTM:
                    inner = withInit(new LSTM.Builder(), init).nIn(nIn).nOut(nOut).activation(Activation.TANH)
                            .name(name).build();
                    break;
                case EMBEDDING:
                    inner = withInit(new EmbeddingLayer.Builder(), init).nIn(nIn).nOut(nOut).hasBias(bias)
                            .name(name).build();
                    break;
                default:
                    inner = withInit(new OutputLayer.Builder(LossFunctions.LossFunction.MSE), init).nIn(nIn).nOut(nOut)
                            .activation(Activation.IDENTITY).name(name).build();
            }
            Layer wrapped;
            switch (wrapper) {
                case FROZEN:
                    wrapped = new FrozenLayer(inner);
                    break;
                case FROZEN_WITH_BACKPROP:
                    wrapped = new FrozenLayerWithBackprop(inner);
                    break;
                default:
                    return inner;
            }
            // A wrapper has a name of its own, which DL4J reports for the layer (not the inner one's).
            wrapped.setLayerName(name);
            return wrapped;
        }

        private static <B extends org.deeplearning4j.nn.conf.layers.BaseLayer.Builder<B>> B withInit(B b, IWeightInit init) {
            return init == null ? b : b.weightInit(init);
        }
    }

    /**
     * A generated network: its layers in the order they were added and, for a graph, the input of
     * each layer (-1: the graph's input, otherwise an earlier layer).
     */
    record NetSpec(boolean graph, DataType dataType, long seed, List<LayerSpec> layers, List<Integer> inputs) {

        MultiLayerConfiguration mlnConf(Function<LayerSpec, IWeightInit> inits) {
            NeuralNetConfiguration.ListBuilder b = base().list();
            for (LayerSpec l : layers) {
                b.layer(l.conf(inits.apply(l)));
            }
            // With no preprocessor before the first layer DL4J infers an input type from it and then
            // fits every later layer to it; an empty one keeps the generated sizes as they are.
            b.inputPreProcessor(0, new ComposableInputPreProcessor());
            return b.build();
        }

        ComputationGraphConfiguration graphConf(Function<LayerSpec, IWeightInit> inits) {
            ComputationGraphConfiguration.GraphBuilder b = base().graphBuilder().addInputs("in");
            Set<String> consumed = new HashSet<>();
            for (int i = 0; i < layers.size(); i++) {
                String input = inputs.get(i) < 0 ? "in" : layers.get(inputs.get(i)).name();
                consumed.add(input);
                b.addLayer(layers.get(i).name(), layers.get(i).conf(inits.apply(layers.get(i))), input);
            }
            List<String> outputs = new ArrayList<>();
            for (LayerSpec l : layers) {
                if (!consumed.contains(l.name())) {
                    outputs.add(l.name());
                }
            }
            return b.setOutputs(outputs.toArray(new String[0])).build();
        }

        private NeuralNetConfiguration.Builder base() {
            return new NeuralNetConfiguration.Builder().seed(seed).dataType(dataType).updater(new Adam(1e-3));
        }

        /** The initialized network, with the network's default weight init. */
        Built build() {
            return build(l -> null);
        }

        Built build(Function<LayerSpec, IWeightInit> inits) {
            if (graph) {
                ComputationGraph g = new ComputationGraph(graphConf(inits));
                g.init();
                return new Built(this, null, g);
            }
            MultiLayerNetwork net = new MultiLayerNetwork(mlnConf(inits));
            net.init();
            return new Built(this, net, null);
        }

        LayerSpec layer(String name) {
            return layers.stream().filter(l -> l.name().equals(name)).findFirst().orElseThrow();
        }

        @Override
        public String toString() {
            StringBuilder sb = new StringBuilder(graph ? "graph" : "mln").append(' ').append(dataType).append(" [");
            for (int i = 0; i < layers.size(); i++) {
                LayerSpec l = layers.get(i);
                sb.append(i == 0 ? "" : ", ").append(l.name()).append('=').append(l.wrapper() == Wrapper.NONE ? "" : l.wrapper() + " ")
                        .append(l.kind()).append('(').append(l.nIn()).append("->").append(l.nOut())
                        .append(l.kind() == Kind.CONV ? " k" + l.kernel() : "")
                        .append(l.kind() == Kind.EMBEDDING && l.bias() ? " +b" : "").append(')')
                        .append(graph ? " <- " + (inputs.get(i) < 0 ? "in" : layers.get(inputs.get(i)).name()) : "");
            }
            return sb.append(']').toString();
        }
    }

    /** A built network, either kind, with the walk order of its layers. */
    record Built(NetSpec spec, MultiLayerNetwork mln, ComputationGraph graph) {

        /** The layers in the network's own order: layer index, or a graph's topological order. */
        List<LayerSpec> networkOrder() {
            if (mln != null) {
                return spec.layers();
            }
            List<LayerSpec> out = new ArrayList<>();
            GraphVertex[] vertices = graph.getVertices();
            for (int idx : graph.topologicalSortOrder()) {
                if (vertices[idx].hasLayer()) {
                    out.add(spec.layer(vertices[idx].getVertexName()));
                }
            }
            return out;
        }

        INDArray param(String layer, String key) {
            return mln != null ? mln.getLayer(layer).getParam(key) : graph.getLayer(layer).getParam(key);
        }

        INDArray params() {
            return mln != null ? mln.params() : graph.params();
        }

        /** The updater's state, created (all zeros) if the network has not been fitted yet. */
        INDArray updaterState() {
            return updater().getStateViewArray();
        }

        /** The updater, created if the network has not been fitted yet. */
        org.deeplearning4j.nn.updater.BaseMultiLayerUpdater<?> updater() {
            return mln != null ? (org.deeplearning4j.nn.updater.BaseMultiLayerUpdater<?>) mln.getUpdater() : graph.getUpdater();
        }
    }

    private static Arbitrary<LayerSpec> layers() {
        Arbitrary<Kind> kind = Arbitraries.frequency(
                Tuple.of(3, Kind.DENSE), Tuple.of(2, Kind.CONV),
                Tuple.of(2, Kind.BATCH_NORM), Tuple.of(2, Kind.LSTM),
                Tuple.of(2, Kind.EMBEDDING), Tuple.of(2, Kind.OUTPUT));
        Arbitrary<Wrapper> wrapper = Arbitraries.frequency(Tuple.of(6, Wrapper.NONE),
                Tuple.of(1, Wrapper.FROZEN), Tuple.of(1, Wrapper.FROZEN_WITH_BACKPROP));
        Arbitrary<Integer> size = Arbitraries.integers().between(1, 5);
        return Combinators.combine(kind, wrapper, size, size, Arbitraries.integers().between(1, 3), Arbitraries.of(false, true))
                // DL4J refuses to freeze an output layer.
                .as((k, w, nIn, nOut, kernel, bias) -> new LayerSpec("?", k, k == Kind.OUTPUT ? Wrapper.NONE : w, nIn, nOut,
                        kernel, bias));
    }

    /** Networks of 1 to {@code maxLayers} layers named l0, l1, ... */
    static Arbitrary<NetSpec> nets(int maxLayers) {
        Arbitrary<List<LayerSpec>> stacks = layers().list().ofMinSize(1).ofMaxSize(maxLayers).map(ls -> {
            List<LayerSpec> named = new ArrayList<>();
            for (int i = 0; i < ls.size(); i++) {
                named.add(ls.get(i).named("l" + i));
            }
            return Collections.unmodifiableList(named);
        });
        Arbitrary<List<Integer>> choices = Arbitraries.integers().between(0, 1 << 20).list().ofSize(maxLayers);
        return Combinators.combine(Arbitraries.of(true, false), Arbitraries.of(DataType.FLOAT, DataType.FLOAT, DataType.DOUBLE),
                        // Not 0: ND4J's setSeed(0) does not reset its generator, so a DL4J seed of 0
                        // gives different parameters on every init().
                        Arbitraries.longs().between(1, 1000), stacks, choices)
                .as((graph, type, seed, ls, c) -> {
                    List<Integer> inputs = new ArrayList<>();
                    for (int i = 0; i < ls.size(); i++) {
                        // -1 is the graph's input; i - 1 the layer just before (a chain) is the most likely
                        inputs.add(c.get(i) % 3 == 0 ? i - 1 : c.get(i) % (i + 1) - 1);
                    }
                    return new NetSpec(graph, type, seed, ls, Collections.unmodifiableList(inputs));
                });
    }

    /** Every scheme of the library, with arguments in the ranges a user would give. */
    static Arbitrary<TorchWeightInit> schemes() {
        Arbitrary<Double> gain = Arbitraries.doubles().between(0.25, 3).ofScale(3);
        Arbitrary<FanMode> mode = Arbitraries.of(FanMode.FAN_IN, FanMode.FAN_OUT);
        Arbitrary<Nonlinearity> nonlinearity = Arbitraries.of(Nonlinearity.class);
        Arbitrary<Double> slope = Arbitraries.doubles().between(0, 1).ofScale(3);
        Arbitrary<TorchWeightInit> distributions = Arbitraries.oneOf(
                Arbitraries.of(0.0, 1.0, -0.5, 0.3, 2.0).map(Constant::new),
                Combinators.combine(Arbitraries.doubles().between(-3, 1).ofScale(3), Arbitraries.doubles().between(0.01, 3).ofScale(3))
                        .as((a, w) -> new Uniform(a, a + w)),
                Combinators.combine(Arbitraries.doubles().between(-1, 1).ofScale(3), Arbitraries.doubles().between(0, 2).ofScale(3))
                        .as(Normal::new),
                Combinators.combine(Arbitraries.doubles().between(-1, 1).ofScale(3), Arbitraries.doubles().between(0.05, 2).ofScale(3),
                                Arbitraries.doubles().between(0.5, 3).ofScale(2), Arbitraries.doubles().between(0.5, 3).ofScale(2))
                        .as((m, s, lo, hi) -> new TruncatedNormal(m, s, m - lo * s, m + hi * s)));
        Arbitrary<TorchWeightInit> shaped = Arbitraries.oneOf(
                Arbitraries.just(new Eye()), Arbitraries.integers().between(1, 3).map(Dirac::new), gain.map(Orthogonal::new),
                Combinators.combine(Arbitraries.doubles().between(0, 1).ofScale(2), Arbitraries.doubles().between(0, 0.1).ofScale(3))
                        .as(Sparse::new));
        Arbitrary<TorchWeightInit> fanBased = Arbitraries.oneOf(
                gain.map(XavierUniform::new), gain.map(XavierNormal::new),
                Combinators.combine(slope, mode, nonlinearity).as(KaimingUniform::new),
                Combinators.combine(slope, mode, nonlinearity).as(KaimingNormal::new),
                Arbitraries.of(new LeCunUniform(), new LeCunNormal(), new TorchDefaultInit(), new TorchDefaultBias()),
                Combinators.combine(gain, Arbitraries.of(FanMode.class), Arbitraries.of(Distribution.class)).as(VarianceScaling::new));
        return Arbitraries.frequencyOf(Tuple.of(3, distributions), Tuple.of(2, shaped),
                Tuple.of(3, fanBased));
    }

    /** True if {@code scheme} can fill this parameter, by torch.nn.init's rules on its PyTorch shape. */
    static boolean fits(TorchWeightInit scheme, Param p) {
        if (scheme instanceof Eye || scheme instanceof Sparse) {
            return p.rank() == 2;
        }
        if (scheme instanceof Dirac) {
            return p.rank() >= 3 && p.rank() <= 5 && p.torchShape()[0] % ((Dirac) scheme).groups() == 0;
        }
        if (scheme instanceof Orthogonal) {
            return p.rank() >= 2;
        }
        if (scheme instanceof Constant || scheme instanceof Uniform || scheme instanceof Normal
                || scheme instanceof TruncatedNormal) {
            return true;
        }
        // every other scheme computes fans: a 1-D tensor has none unless they come from its weight
        return p.fans();
    }

    /** True if the scheme draws random numbers (a constant, eye or dirac draws none). */
    static boolean draws(TorchWeightInit scheme) {
        return !(scheme instanceof Constant || scheme instanceof Eye || scheme instanceof Dirac);
    }

    static String describe(List<?> items) {
        return Arrays.toString(items.toArray());
    }
}
