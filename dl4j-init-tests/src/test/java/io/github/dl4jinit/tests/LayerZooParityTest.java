package io.github.dl4jinit.tests;

import io.github.dl4jinit.network.InitializationReport;
import io.github.dl4jinit.network.NetworkInitializer;
import io.github.dl4jinit.presets.TorchDefaults;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.Convolution1DLayer;
import org.deeplearning4j.nn.conf.layers.Convolution3D;
import org.deeplearning4j.nn.conf.layers.Deconvolution2D;
import org.deeplearning4j.nn.conf.layers.Deconvolution3D;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.DepthwiseConvolution2D;
import org.deeplearning4j.nn.conf.layers.EmbeddingLayer;
import org.deeplearning4j.nn.conf.layers.GravesLSTM;
import org.deeplearning4j.nn.conf.layers.LSTM;
import org.deeplearning4j.nn.conf.layers.PReLULayer;
import org.deeplearning4j.nn.conf.layers.SelfAttentionLayer;
import org.deeplearning4j.nn.conf.layers.SeparableConvolution2D;
import org.deeplearning4j.nn.conf.layers.misc.FrozenLayerWithBackprop;
import org.deeplearning4j.nn.conf.layers.recurrent.Bidirectional;
import org.deeplearning4j.nn.conf.layers.recurrent.LastTimeStep;
import org.deeplearning4j.nn.conf.layers.recurrent.SimpleRnn;
import org.deeplearning4j.nn.conf.layers.recurrent.TimeDistributed;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

import static io.github.dl4jinit.tests.Fixtures.assertBitEqual;
import static io.github.dl4jinit.tests.Fixtures.loadModule;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * torchDefaults(seed) on one DL4J layer of each kind against the single PyTorch module it stands for
 * (fixtures from real PyTorch): bits, draw order, layouts, gate order, wrappers.
 */
class LayerZooParityTest {

    private static MultiLayerNetwork net(org.deeplearning4j.nn.conf.layers.Layer layer, InputType in) {
        MultiLayerNetwork n = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().dataType(DataType.FLOAT)
                .list().layer(layer).setInputType(in).build());
        n.init();
        n.params().assign(0.5);
        return n;
    }

    private static Layer init(MultiLayerNetwork n, long seed) {
        TorchDefaults.initializer(seed).initialize(n);
        return n.getLayer(0);
    }

    private static void conv(String module, long seed, Layer l, INDArray dl4jWeightInTorchShape) {
        assertBitEqual(loadModule(module, seed, "weight"), dl4jWeightInTorchShape, module + " weight");
        assertBitEqual(loadModule(module, seed, "bias"), l.getParam("b"), module + " bias");
    }

    @ParameterizedTest
    @ValueSource(longs = {0, 42})
    void convolution1d(long seed) {
        Layer l = init(net(new Convolution1DLayer.Builder(3).nIn(4).nOut(6).build(), InputType.recurrent(4, 10)), seed);
        INDArray w = l.getParam("W");
        conv("conv1d", seed, l, w.reshape('c', 6, 4, 3));
    }

    @ParameterizedTest
    @ValueSource(longs = {0, 42})
    void convolution3d(long seed) {
        Layer l = init(net(new Convolution3D.Builder(2, 3, 3).nIn(2).nOut(4).build(),
                InputType.convolutional3D(6, 6, 6, 2)), seed);
        conv("conv3d", seed, l, l.getParam("W"));
    }

    @ParameterizedTest
    @ValueSource(longs = {0, 42})
    void deconvolution2dKeepsPyTorchsFanQuirk(long seed) {
        Layer l = init(net(new Deconvolution2D.Builder(3, 3).nIn(4).nOut(6).build(), InputType.convolutional(8, 8, 4)), seed);
        conv("deconv2d", seed, l, l.getParam("W"));
    }

    @ParameterizedTest
    @ValueSource(longs = {0, 42})
    void deconvolution3d(long seed) {
        Layer l = init(net(new Deconvolution3D.Builder().kernelSize(3, 3, 3).nIn(2).nOut(4).build(),
                InputType.convolutional3D(6, 6, 6, 2)), seed);
        // DL4J [kD, kH, kW, nOut, nIn] → PyTorch (in, out, kD, kH, kW)
        conv("deconv3d", seed, l, l.getParam("W").permute(4, 3, 0, 1, 2));
    }

    @ParameterizedTest
    @ValueSource(longs = {0, 42})
    void depthwiseAsGroupedConvolution(long seed) {
        Layer l = init(net(new DepthwiseConvolution2D.Builder(3, 3).nIn(4).depthMultiplier(2).nOut(8).build(),
                InputType.convolutional(8, 8, 4)), seed);
        // DL4J [kH, kW, nIn, m] → PyTorch (nIn·m, 1, kH, kW)
        conv("depthwise", seed, l, l.getParam("W").permute(2, 3, 0, 1).dup('c').reshape('c', 8, 1, 3, 3));
    }

    @ParameterizedTest
    @ValueSource(longs = {0, 42})
    void separableAsDepthwiseThenPointwise(long seed) {
        Layer l = init(net(new SeparableConvolution2D.Builder(3, 3).nIn(4).depthMultiplier(2).nOut(6).build(),
                InputType.convolutional(8, 8, 4)), seed);
        assertBitEqual(loadModule("separable", seed, "depthwise.weight"),
                l.getParam("W").permute(1, 0, 2, 3).dup('c').reshape('c', 8, 1, 3, 3), "depthwise");
        assertBitEqual(loadModule("separable", seed, "pointwise.weight"), l.getParam("pW"), "pointwise");
        assertBitEqual(loadModule("separable", seed, "pointwise.bias"), l.getParam("b"), "bias");
    }

    /** PyTorch's gates (i, f, g, o) along dim 0 rearranged into DL4J's blocks (g, f, o, i). */
    static INDArray gates(INDArray t) {
        INDArray m = t.rank() == 1 ? t.reshape(t.length(), 1) : t;
        long h = m.size(0) / 4;
        int[] torchGate = {2, 1, 3, 0};
        INDArray out = Nd4j.create(m.dataType(), m.shape(), 'c');
        for (int k = 0; k < 4; k++) {
            out.get(NDArrayIndex.interval(k * h, (k + 1) * h), NDArrayIndex.all())
                    .assign(m.get(NDArrayIndex.interval(torchGate[k] * h, (torchGate[k] + 1) * h), NDArrayIndex.all()));
        }
        return out;
    }

    private static void lstm(String module, long seed, INDArray w, INDArray rw, INDArray b, String suffix) {
        assertBitEqual(gates(loadModule(module, seed, "weight_ih_l0" + suffix)), w.transpose(), "weight_ih" + suffix);
        assertBitEqual(gates(loadModule(module, seed, "weight_hh_l0" + suffix)), rw.transpose(), "weight_hh" + suffix);
        INDArray sum = loadModule(module, seed, "bias_ih_l0" + suffix).add(loadModule(module, seed, "bias_hh_l0" + suffix));
        assertBitEqual(gates(sum), b, "bias" + suffix);
    }

    @ParameterizedTest
    @ValueSource(longs = {0, 42})
    void gravesLstmWithPeepholesDrawnLast(long seed) {
        Layer l = init(net(new GravesLSTM.Builder().nIn(5).nOut(6).build(), InputType.recurrent(5)), seed);
        INDArray rw = l.getParam("RW");
        lstm("lstm", seed, l.getParam("W"), rw.get(NDArrayIndex.all(), NDArrayIndex.interval(0, 24)), l.getParam("b"), "");
        INDArray peep = rw.get(NDArrayIndex.all(), NDArrayIndex.interval(24, 27));
        double bound = 1 / Math.sqrt(6);
        assertThat(peep.amaxNumber().doubleValue()).isLessThanOrEqualTo(bound).isNotEqualTo(0.5);
    }

    @ParameterizedTest
    @ValueSource(longs = {0, 42})
    void bidirectionalLstmDrawsForwardThenReverse(long seed) {
        Layer l = init(net(new Bidirectional(new LSTM.Builder().nIn(5).nOut(6).build()), InputType.recurrent(5)), seed);
        lstm("bilstm", seed, l.getParam("fW"), l.getParam("fRW"), l.getParam("fb"), "");
        lstm("bilstm", seed, l.getParam("bW"), l.getParam("bRW"), l.getParam("bb"), "_reverse");
    }

    @ParameterizedTest
    @ValueSource(longs = {0, 42})
    void lastTimeStepWrapperIsLookedThrough(long seed) {
        Layer l = init(net(new LastTimeStep(new LSTM.Builder().nIn(5).nOut(6).build()), InputType.recurrent(5)), seed);
        lstm("lstm", seed, l.getParam("W"), l.getParam("RW"), l.getParam("b"), "");
    }

    @ParameterizedTest
    @ValueSource(longs = {0, 42})
    void timeDistributedAndFrozenWithBackpropWrappersAreLookedThrough(long seed) {
        Layer td = init(net(new TimeDistributed(new DenseLayer.Builder().nIn(5).nOut(7).build()),
                InputType.recurrent(5)), seed);
        assertBitEqual(loadModule("linear", seed, "weight"), td.getParam("W").transpose(), "TimeDistributed weight");
        assertBitEqual(loadModule("linear", seed, "bias"), td.getParam("b"), "TimeDistributed bias");
        MultiLayerNetwork fn = net(new FrozenLayerWithBackprop(new DenseLayer.Builder().nIn(5).nOut(7).build()),
                InputType.feedForward(5));
        TorchDefaults.initializer(seed).toBuilder().includeFrozen(true).build().initialize(fn);
        assertBitEqual(loadModule("linear", seed, "weight"), fn.getLayer(0).getParam("W").transpose(), "frozen weight");
    }

    @ParameterizedTest
    @ValueSource(longs = {0, 42})
    void simpleRnnBiasIsTheSumOfPyTorchsTwo(long seed) {
        Layer l = init(net(new SimpleRnn.Builder().nIn(5).nOut(7).build(), InputType.recurrent(5)), seed);
        assertBitEqual(loadModule("rnn", seed, "weight_ih_l0"), l.getParam("W").transpose(), "weight_ih");
        assertBitEqual(loadModule("rnn", seed, "weight_hh_l0"), l.getParam("RW").transpose(), "weight_hh");
        assertBitEqual(loadModule("rnn", seed, "bias_ih_l0").add(loadModule("rnn", seed, "bias_hh_l0")),
                l.getParam("b"), "bias");
    }

    @ParameterizedTest
    @ValueSource(longs = {0, 42})
    void embeddingIsStandardNormalBothSamplerPaths(long seed) {
        Layer big = init(net(new EmbeddingLayer.Builder().nIn(10).nOut(4).build(), InputType.feedForward(10)), seed);
        assertBitEqual(loadModule("embedding", seed, "weight"), big.getParam("W"), "Embedding(10, 4)");
        // 12 values: PyTorch's scalar Box–Muller path.
        Layer small = init(net(new EmbeddingLayer.Builder().nIn(3).nOut(4).build(), InputType.feedForward(3)), seed);
        assertBitEqual(loadModule("embedding_small", seed, "weight"), small.getParam("W"), "Embedding(3, 4)");
    }

    @ParameterizedTest
    @ValueSource(longs = {0, 42})
    void preluAndBatchNormWithVariance(long seed) {
        Layer p = init(net(new PReLULayer.Builder().inputShape(4).build(), InputType.feedForward(4)), seed);
        assertBitEqual(loadModule("prelu", seed, "weight"), p.getParam("W"), "PReLU weight");
        Layer bn = init(net(new BatchNormalization.Builder().useLogStd(false).build(), InputType.feedForward(5)), seed);
        assertBitEqual(loadModule("batchnorm", seed, "weight"), bn.getParam("gamma"), "gamma");
        assertBitEqual(loadModule("batchnorm", seed, "bias"), bn.getParam("beta"), "beta");
        assertBitEqual(loadModule("batchnorm", seed, "running_mean"), bn.getParam("mean"), "mean");
        assertBitEqual(loadModule("batchnorm", seed, "running_var"), bn.getParam("var"), "var");
    }

    @ParameterizedTest
    @ValueSource(longs = {0, 42})
    void selfAttentionAsMultiheadAttention(long seed) {
        Layer l = init(net(new SelfAttentionLayer.Builder().nIn(8).nOut(8).nHeads(2).projectInput(true).build(),
                InputType.recurrent(8)), seed);
        // DL4J: out = concat(heads) · Wo with Wo [E, nOut]: PyTorch's out_proj.weight is its transpose.
        assertBitEqual(loadModule("attention", seed, "out_proj.weight"), l.getParam("Wo").transpose(), "out_proj.weight");
        INDArray inProj = loadModule("attention", seed, "in_proj_weight");
        String[] keys = {"Wq", "Wk", "Wv"};
        for (int i = 0; i < 3; i++) {
            assertBitEqual(inProj.get(NDArrayIndex.interval(8 * i, 8 * (i + 1)), NDArrayIndex.all()),
                    l.getParam(keys[i]).reshape('c', 8, 8), "in_proj_weight " + keys[i]);
        }
    }

    @ParameterizedTest
    @ValueSource(longs = {0})
    void layersWithoutTwinAreNamedInTheReport(long seed) {
        // MultiheadAttention needs nOut = nIn: this one has no PyTorch twin.
        MultiLayerNetwork n = net(new SelfAttentionLayer.Builder().nIn(8).nOut(6).nHeads(2).projectInput(true).build(),
                InputType.recurrent(8));
        int[] before = Fixtures.bits(Fixtures.values(n.params()));
        InitializationReport r = TorchDefaults.initializer(seed).initialize(n);
        assertThat(r.skipped()).extracting(InitializationReport.Skipped::reason)
                .containsExactly("no PyTorch twin for SelfAttentionLayer");
        assertThat(Fixtures.bits(Fixtures.values(n.params()))).isEqualTo(before);
    }
}
