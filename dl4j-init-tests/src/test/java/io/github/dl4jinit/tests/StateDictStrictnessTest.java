package io.github.dl4jinit.tests;

import io.github.dl4jinit.torch.LoadReport;
import io.github.dl4jinit.torch.TorchStateDict;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.EmbeddingLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.lossfunctions.LossFunctions;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * loadInto is strict as {@code load_state_dict(strict=True)}: every violation is refused with an
 * IllegalArgumentException naming the key, and the network is left bit-identical. The lenient mode
 * loads what fits and reports the rest.
 */
class StateDictStrictnessTest {

    /** The trained CNN's state_dict as a map, edited by {@code edit}. */
    private static TorchStateDict cnnStateDict(Consumer<Map<String, INDArray>> edit) throws IOException {
        TorchStateDict sd = TorchStateDict.read(StateDictFixtures.file("mnist_cnn"));
        Map<String, INDArray> m = new LinkedHashMap<>();
        for (String k : sd.names()) {
            m.put(k, sd.get(k));
        }
        edit.accept(m);
        return TorchStateDict.of(m);
    }

    private static float[] bits(MultiLayerNetwork net) {
        return net.params().dup().data().asFloat();
    }

    private static void refusedUnchanged(TorchStateDict sd, String... words) {
        MultiLayerNetwork net = Models.mnistCnn();
        float[] before = bits(net);
        assertThatThrownBy(() -> sd.loadInto(net)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContainingAll(words).hasMessageContaining("Nothing was written");
        assertThat(bits(net)).as("network unchanged").isEqualTo(before);
    }

    @Test
    void missingKey() throws IOException {
        refusedUnchanged(cnnStateDict(m -> m.remove("fc2.bias")), "Missing key(s) in state_dict: \"fc2.bias\"");
    }

    @Test
    void unexpectedKey() throws IOException {
        refusedUnchanged(cnnStateDict(m -> m.put("fc3.weight", Nd4j.ones(DataType.FLOAT, 2, 2))),
                "Unexpected key(s) in state_dict: \"fc3.weight\"");
    }

    @Test
    void shapeThatDoesNotFit() throws IOException {
        refusedUnchanged(cnnStateDict(m -> m.put("fc2.weight", Nd4j.ones(DataType.FLOAT, 10, 49))),
                "size mismatch for fc2.weight: copying a param with shape [10, 49] from checkpoint,"
                        + " the shape in current model is [10, 50]");
    }

    @Test
    void integerAndBooleanTensorsForFloatParameters() throws IOException {
        refusedUnchanged(cnnStateDict(m -> m.put("fc2.bias", Nd4j.zeros(DataType.LONG, 10))),
                "fc2.bias holds torch.int64 values", "expected a floating type");
        refusedUnchanged(cnnStateDict(m -> m.put("conv1.bias", Nd4j.zeros(DataType.BOOL, 10))),
                "conv1.bias holds torch.bool values");
    }

    @Test
    void everyProblemIsNamedAtOnce() throws IOException {
        refusedUnchanged(cnnStateDict(m -> {
            m.remove("conv1.weight");
            m.put("conv9.bias", Nd4j.ones(DataType.FLOAT, 3));
            m.put("fc1.bias", Nd4j.ones(DataType.FLOAT, 51));
        }), "\"conv1.weight\"", "\"conv9.bias\"", "size mismatch for fc1.bias");
    }

    @Test
    void lenientLoadsWhatFitsAndReportsTheRest() throws IOException {
        MultiLayerNetwork net = Models.mnistCnn();
        INDArray fc2Bias = net.getLayer("fc2").getParam("b").dup();
        LoadReport r = cnnStateDict(m -> {
            m.remove("fc2.bias");
            m.put("fc3.weight", Nd4j.ones(DataType.FLOAT, 2, 2));
        }).loadInto(net, false);
        assertThat(r.strict()).isFalse();
        assertThat(r.missingKeys()).containsExactly("fc2.bias");
        assertThat(r.unexpectedKeys()).containsExactly("fc3.weight");
        assertThat(r.loaded()).isEqualTo(15);
        assertThat(net.getLayer("fc2").getParam("b")).isEqualTo(fc2Bias);
        assertThat(r.toString()).contains("1 missing, 1 unexpected", "fc3.weight", "left as it was");
        assertThat(net.getLayer("conv1").getParam("W")).isEqualTo(loadFully().getLayer("conv1").getParam("W"));
        // A lenient load still refuses a shape that does not fit, as PyTorch's strict=False does.
        assertThatThrownBy(() -> cnnStateDict(m -> m.put("fc2.weight", Nd4j.ones(DataType.FLOAT, 3)))
                .loadInto(Models.mnistCnn(), false)).hasMessageContaining("size mismatch for fc2.weight");
    }

    private static MultiLayerNetwork loadFully() {
        MultiLayerNetwork net = Models.mnistCnn();
        try {
            TorchStateDict.read(StateDictFixtures.file("mnist_cnn")).loadInto(net);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return net;
    }

    @Test
    void parametersWithoutATwinAreRefusedUnlessLenient() {
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().dataType(DataType.FLOAT).list()
                .layer(new EmbeddingLayer.Builder().nIn(10).nOut(4).hasBias(true).name("embed").build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MSE).nIn(4).nOut(2).name("head").build())
                .build());
        net.init();
        Map<String, INDArray> m = new LinkedHashMap<>();
        m.put("embed.weight", Nd4j.rand(DataType.FLOAT, 10, 4));
        m.put("head.weight", Nd4j.rand(DataType.FLOAT, 2, 4));
        m.put("head.bias", Nd4j.rand(DataType.FLOAT, 2));
        TorchStateDict sd = TorchStateDict.of(m);
        float[] before = bits(net);
        assertThatThrownBy(() -> sd.loadInto(net)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("embed/b of EmbeddingLayer cannot be set from a state_dict: no PyTorch twin");
        assertThat(bits(net)).isEqualTo(before);
        LoadReport r = sd.loadInto(net, false);
        assertThat(r.loaded()).isEqualTo(3);
        assertThat(r.rows(LoadReport.Status.NO_TWIN)).extracting(LoadReport.Row::param).containsExactly("b");
        assertThat(net.getLayer("embed").getParam("W")).isEqualTo(m.get("embed.weight"));
    }

    @Test
    void renamedKeysLoad(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws IOException {
        // A checkpoint saved from nn.DataParallel: every key starts with "module.".
        java.nio.file.Path f = dir.resolve("parallel.safetensors");
        TorchStateDict.read(StateDictFixtures.file("mnist_cnn")).renameKeys(k -> "module." + k).write(f);
        TorchStateDict saved = TorchStateDict.read(f);
        MultiLayerNetwork net = Models.mnistCnn();
        assertThatThrownBy(() -> saved.loadInto(net)).hasMessageContaining("\"module.conv1.weight\"");
        LoadReport r = saved.replacePrefix("module.", "").loadInto(net);
        StateDictFixtures.assertForward("mnist_cnn", net.output(StateDictFixtures.npy("mnist_cnn", "input")));
        // the report names the keys as the file does
        assertThat(r.rows().get(0).keys()).containsExactly("module.conv1.weight");
        assertThat(r.rows().get(0).layer()).isEqualTo("conv1");
    }

    @Test
    void layersSharingANameAreRefused() {
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().dataType(DataType.FLOAT).list()
                .layer(new DenseLayer.Builder().nIn(3).nOut(3).name("fc").build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MSE).nIn(3).nOut(3).name("fc").build())
                .build());
        net.init();
        assertThatThrownBy(() -> TorchStateDict.of(net)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("\"fc.weight\"");
        Map<String, INDArray> m = new LinkedHashMap<>();
        m.put("fc.weight", Nd4j.rand(DataType.FLOAT, 3, 3));
        m.put("fc.bias", Nd4j.rand(DataType.FLOAT, 3));
        float[] before = bits(net);
        assertThatThrownBy(() -> TorchStateDict.of(m).loadInto(net)).hasMessageContaining("\"fc.weight\" stands for two parameters");
        assertThat(bits(net)).isEqualTo(before);
    }

    @Test
    void aNetworkBeforeInitIsRefused() {
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().list()
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MSE).nIn(3).nOut(3).build()).build());
        assertThatThrownBy(() -> TorchStateDict.of(net)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("net.init()");
    }
}
