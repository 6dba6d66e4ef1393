package io.github.dl4jinit.tests;

import io.github.dl4jinit.torch.TorchStateDict;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.LSTM;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.RnnOutputLayer;
import org.deeplearning4j.nn.conf.layers.recurrent.Bidirectional;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.lossfunctions.LossFunctions;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Round trips: a PyTorch file rewritten by the Java writer is the same file, byte for byte; Java's
 * {@code read(write(of(net)))} gives the network's state_dict bit for bit; and loading it into a
 * fresh twin gives the same parameters (bit for bit, but for DL4J's default log10stdev form).
 */
class StateDictRoundTripTest {
    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"mnist_cnn", "mlp", "embed_lstm", "two_branch", "two_branch_f64", "two_branch_bf16",
            "two_branch_f16"})
    void aPyTorchFileRewrittenIsTheSameFile(String model) throws IOException {
        Path original = StateDictFixtures.file(model);
        Path copy = dir.resolve(model + ".safetensors");
        TorchStateDict.read(original).write(copy);
        assertThat(Files.readAllBytes(copy)).isEqualTo(Files.readAllBytes(original));
    }

    private static void assertSameTensors(TorchStateDict expected, TorchStateDict actual) {
        assertThat(actual.names()).containsExactlyInAnyOrderElementsOf(expected.names());
        for (String k : expected.names()) {
            assertThat(actual.dtype(k)).as(k).isEqualTo(expected.dtype(k));
            assertThat(actual.shape(k)).as(k).isEqualTo(expected.shape(k));
            INDArray e = expected.get(k);
            INDArray a = actual.get(k);
            if (e.dataType().isFPType()) {
                assertThat(ProgramFixtures.sha256(a)).as(k).isEqualTo(ProgramFixtures.sha256(e));
            } else {
                assertThat(a).as(k).isEqualTo(e);
            }
        }
    }

    @Test
    void javaReadOfJavaWriteIsTheNetworksStateDictBitForBit() throws IOException {
        MultiLayerNetwork cnn = Models.mnistCnn();
        TorchStateDict.read(StateDictFixtures.file("mnist_cnn")).loadInto(cnn);
        MultiLayerNetwork lstm = Models.embedLstm();
        TorchStateDict.read(StateDictFixtures.file("embed_lstm")).loadInto(lstm);
        ComputationGraph graph = Models.twoBranch();
        TorchStateDict.read(StateDictFixtures.file("two_branch")).loadInto(graph);
        for (TorchStateDict sd : new TorchStateDict[]{TorchStateDict.of(cnn), TorchStateDict.of(lstm), TorchStateDict.of(graph)}) {
            Path f = dir.resolve("of.safetensors");
            sd.write(f);
            assertSameTensors(sd, TorchStateDict.read(f));
        }
        // the recurrent bias goes out as bias_ih = b, bias_hh = 0
        TorchStateDict sd = TorchStateDict.of(lstm);
        assertThat(sd.get("lstm.bias_hh_l0")).isEqualTo(Nd4j.zeros(DataType.FLOAT, 128));
        assertThat(sd.get("lstm.bias_ih_l0")).isEqualTo(TorchStateDict.read(StateDictFixtures.file("embed_lstm"))
                .get("lstm.bias_ih_l0").add(TorchStateDict.read(StateDictFixtures.file("embed_lstm")).get("lstm.bias_hh_l0")));
        assertThat(sd.get("embed.weight").shape()).containsExactly(100, 16);
        assertThat(TorchStateDict.of(cnn).get("conv2_bn.num_batches_tracked")).isEqualTo(Nd4j.scalar(0L));
        assertThat(TorchStateDict.of(cnn).metadata()).containsEntry("format", "pt");
    }

    /** A network with every kind of layer the state_dicts here map, BatchNorm storing the variance. */
    private static MultiLayerNetwork varianceNet(long seed) {
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().seed(seed)
                .dataType(DataType.FLOAT).list()
                .layer(new LSTM.Builder().nIn(5).nOut(6).name("lstm").build())
                .layer(new Bidirectional(new LSTM.Builder().nIn(6).nOut(4).build()))
                .layer(new RnnOutputLayer.Builder(LossFunctions.LossFunction.MSE).nIn(8).nOut(3).name("head").build())
                .build());
        net.init();
        return net;
    }

    private static MultiLayerNetwork batchNormNet(boolean logStd, long seed) {
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().seed(seed)
                .dataType(DataType.FLOAT).list()
                .layer(new DenseLayer.Builder().nOut(40).name("fc").build())
                .layer(new BatchNormalization.Builder().useLogStd(logStd).name("bn").build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MSE).nOut(3).name("out").build())
                .setInputType(InputType.feedForward(7)).build());
        net.init();
        // running statistics off their defaults: positive variances spread over decades
        INDArray stats = net.getLayer("bn").getParam("mean");
        stats.assign(Nd4j.rand(DataType.FLOAT, stats.shape()).subi(0.5));
        String varKey = logStd ? "log10stdev" : "var";
        INDArray var = net.getLayer("bn").getParam(varKey);
        INDArray v = Nd4j.rand(DataType.FLOAT, var.shape()).muli(6).subi(3);  // log10(var) in [-3, 3]
        var.assign(logStd ? v.div(2) : org.nd4j.linalg.ops.transforms.Transforms.pow(Nd4j.valueArrayOf(v.shape(), 10f), v));
        return net;
    }

    @Test
    void networkToFileToNetworkIsExactWithTheVarianceForm() throws IOException {
        for (MultiLayerNetwork[] pair : new MultiLayerNetwork[][]{{varianceNet(1), varianceNet(2)},
                {batchNormNet(false, 1), batchNormNet(false, 2)}}) {
            Path f = dir.resolve("net.safetensors");
            TorchStateDict.of(pair[0]).write(f);
            assertThat(pair[1].params().data().asFloat()).isNotEqualTo(pair[0].params().data().asFloat());
            TorchStateDict.read(f).loadInto(pair[1]);
            assertThat(pair[1].params().data().asFloat()).isEqualTo(pair[0].params().data().asFloat());
        }
    }

    /**
     * DL4J's default log10stdev: the variance (10^x)² rounded to float (relative error at most 2^-24)
     * moves x = log10(√var) by at most 2^-24 / (2 ln 10) ≈ 1.3e-8, and the result rounds once more:
     * x comes back within that plus one ulp, most values exactly.
     */
    @Test
    void theLog10StdFormComesBackWithinTheVariancesRounding() throws IOException {
        MultiLayerNetwork a = batchNormNet(true, 1);
        MultiLayerNetwork b = batchNormNet(true, 2);
        Path f = dir.resolve("bn.safetensors");
        TorchStateDict.of(a).write(f);
        TorchStateDict.read(f).loadInto(b);
        float[] x = a.getLayer("bn").getParam("log10stdev").data().asFloat();
        float[] y = b.getLayer("bn").getParam("log10stdev").dup().data().asFloat();
        int exact = 0;
        for (int i = 0; i < x.length; i++) {
            double bound = 0x1p-24 / (2 * Math.log(10)) + Math.ulp(x[i]);
            assertThat((double) Math.abs(y[i] - x[i])).as("log10stdev[%d] = %s", i, x[i]).isLessThanOrEqualTo(bound);
            exact += x[i] == y[i] ? 1 : 0;
        }
        assertThat(exact).as("values back exactly").isGreaterThan(x.length / 2);
        for (String k : new String[]{"gamma", "beta", "mean"}) {
            assertThat(b.getLayer("bn").getParam(k)).isEqualTo(a.getLayer("bn").getParam(k));
        }
    }
}
