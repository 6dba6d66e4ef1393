package io.github.dl4jinit.tests;

import io.github.dl4jinit.network.InitializationReport;
import io.github.dl4jinit.network.NetworkInitializer;
import io.github.dl4jinit.presets.TorchDefaults;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.ops.transforms.Transforms;

import static io.github.dl4jinit.tests.Fixtures.assertBitEqual;
import static io.github.dl4jinit.tests.Fixtures.load;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code TorchDefaults.initializer(seed)} gives DL4J twins of PyTorch models exactly the
 * state_dict of {@code torch.manual_seed(seed); Model()} (fixtures from real PyTorch), and the same
 * input then gives PyTorch's output (eval mode) within 1e-5.
 */
class NetworkInitializerParityTest {
    private static final double FORWARD_TOLERANCE = 1e-5;

    /** DL4J keeps a Linear weight (out, in) as W [in, out] in f order: the transpose. */
    private static void assertLinear(String model, long seed, INDArray w, INDArray b, String torchName) {
        assertBitEqual(load(model, seed, torchName + ".weight"), w.transpose(), model + " " + torchName + ".weight");
        assertBitEqual(load(model, seed, torchName + ".bias"), b, model + " " + torchName + ".bias");
    }

    private static void assertLinear(String model, long seed, MultiLayerNetwork net, String name) {
        assertLinear(model, seed, net.getLayer(name).getParam("W"), net.getLayer(name).getParam("b"), name);
    }

    private static void assertConv(String model, long seed, MultiLayerNetwork net, String name) {
        assertBitEqual(load(model, seed, name + ".weight"), net.getLayer(name).getParam("W"), model + " " + name + ".weight");
        assertBitEqual(load(model, seed, name + ".bias"), net.getLayer(name).getParam("b"), model + " " + name + ".bias");
    }

    /** BatchNorm: gamma, beta, running mean, and running var stored by DL4J as log10(√var). */
    private static void assertBatchNorm(String model, long seed, MultiLayerNetwork net, String name) {
        org.deeplearning4j.nn.api.Layer l = net.getLayer(name);
        assertBitEqual(load(model, seed, name + ".weight"), l.getParam("gamma"), name + ".weight");
        assertBitEqual(load(model, seed, name + ".bias"), l.getParam("beta"), name + ".bias");
        assertBitEqual(load(model, seed, name + ".running_mean"), l.getParam("mean"), name + ".running_mean");
        INDArray var = load(model, seed, name + ".running_var");
        assertBitEqual(Transforms.log(Transforms.sqrt(var), 10), l.getParam("log10stdev"), name + ".running_var");
    }

    private static void assertForward(String model, long seed, INDArray actual) {
        INDArray expected = load(model, seed, "output");
        assertThat(actual.shape()).isEqualTo(expected.shape());
        double maxDiff = Transforms.abs(actual.sub(expected)).maxNumber().doubleValue();
        assertThat(maxDiff).as(model + " forward vs PyTorch").isLessThanOrEqualTo(FORWARD_TOLERANCE);
    }

    @ParameterizedTest
    @ValueSource(longs = {0, 42})
    void mnistCnnMatchesPyTorch(long seed) {
        MultiLayerNetwork net = Models.mnistCnn();
        // A network that was trained or initialized otherwise: every parameter must be overwritten.
        net.params().assign(0.5);
        InitializationReport report = TorchDefaults.initializer(seed).initialize(net);
        assertConv("mnist_cnn", seed, net, "conv1");
        assertConv("mnist_cnn", seed, net, "conv2");
        assertBatchNorm("mnist_cnn", seed, net, "conv2_bn");
        assertLinear("mnist_cnn", seed, net, "fc1");
        assertBatchNorm("mnist_cnn", seed, net, "fc1_bn");
        assertLinear("mnist_cnn", seed, net, "fc2");
        assertForward("mnist_cnn", seed, net.output(load("mnist_cnn", seed, "input")));
        assertThat(report.parametersWritten()).isEqualTo(net.numParams());
    }

    @ParameterizedTest
    @ValueSource(longs = {0, 42})
    void lenetMatchesPyTorch(long seed) {
        MultiLayerNetwork net = Models.lenet();
        TorchDefaults.initializer(seed).initialize(net);
        assertConv("lenet", seed, net, "conv1");
        assertConv("lenet", seed, net, "conv2");
        assertLinear("lenet", seed, net, "fc1");
        assertLinear("lenet", seed, net, "fc2");
        assertLinear("lenet", seed, net, "fc3");
        assertForward("lenet", seed, net.output(load("lenet", seed, "input")));
    }

    @ParameterizedTest
    @ValueSource(longs = {0, 42})
    void mlpMatchesPyTorch(long seed) {
        MultiLayerNetwork net = Models.mlp();
        TorchDefaults.initializer(seed).initialize(net);
        assertLinear("mlp", seed, net, "fc1");
        assertLinear("mlp", seed, net, "fc2");
        assertLinear("mlp", seed, net, "fc3");
        assertForward("mlp", seed, net.output(load("mlp", seed, "input")));
    }

    /** PyTorch's gates (i, f, g, o) along dim 0 rearranged into DL4J's blocks (g, f, o, i). */
    private static INDArray toDl4jGates(INDArray torch) {
        INDArray t = torch.rank() == 1 ? torch.reshape(torch.length(), 1) : torch;
        long h = t.size(0) / 4;
        int[] torchGateOfDl4jBlock = {2, 1, 3, 0};
        INDArray out = Nd4j.create(t.dataType(), t.shape(), 'c');
        for (int k = 0; k < 4; k++) {
            int g = torchGateOfDl4jBlock[k];
            out.get(NDArrayIndex.interval(k * h, (k + 1) * h), NDArrayIndex.all())
                    .assign(t.get(NDArrayIndex.interval(g * h, (g + 1) * h), NDArrayIndex.all()));
        }
        return out;
    }

    @ParameterizedTest
    @ValueSource(longs = {0, 42})
    void embeddingLstmMatchesPyTorch(long seed) {
        String m = "embed_lstm";
        MultiLayerNetwork net = Models.embedLstm();
        TorchDefaults.initializer(seed).initialize(net);
        assertBitEqual(load(m, seed, "embed.weight"), net.getLayer("embed").getParam("W"), "embed.weight");
        org.deeplearning4j.nn.api.Layer lstm = net.getLayer("lstm");
        assertBitEqual(toDl4jGates(load(m, seed, "lstm.weight_ih_l0")), lstm.getParam("W").transpose(), "weight_ih");
        assertBitEqual(toDl4jGates(load(m, seed, "lstm.weight_hh_l0")), lstm.getParam("RW").transpose(), "weight_hh");
        INDArray biasSum = load(m, seed, "lstm.bias_ih_l0").add(load(m, seed, "lstm.bias_hh_l0"));
        assertBitEqual(toDl4jGates(biasSum), lstm.getParam("b"), "bias_ih + bias_hh");
        assertLinear(m, seed, net, "head");
        // PyTorch: (batch, time, 5); DL4J's RnnOutputLayer: (batch, 5, time).
        INDArray out = net.output(load(m, seed, "input")).permute(0, 2, 1);
        assertForward(m, seed, out);
    }

    @ParameterizedTest
    @ValueSource(longs = {0, 42})
    void twoBranchGraphMatchesPyTorch(long seed) {
        String m = "two_branch";
        ComputationGraph g = Models.twoBranch();
        TorchDefaults.initializer(seed).toBuilder().constructionOrder("left", "right", "head").build().initialize(g);
        for (String name : new String[]{"left", "right", "head"}) {
            assertLinear(m, seed, g.getLayer(name).getParam("W"), g.getLayer(name).getParam("b"), name);
        }
        assertForward(m, seed, g.outputSingle(load(m, seed, "input")));
    }
}
