package io.github.dl4jinit.tests;

import io.github.dl4jinit.torch.LoadReport;
import io.github.dl4jinit.torch.TorchStateDict;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.lossfunctions.LossFunctions;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** The Java examples of docs/state-dicts.md, compiled and run (see {@link DocSnippets}). */
class StateDictDocExamplesTest {
    @TempDir
    Path dir;

    @Test
    void readLoadAndWriteBack() throws IOException {
        java.nio.file.Path file = StateDictFixtures.file("mnist_cnn");
        java.nio.file.Path out = dir.resolve("from-dl4j.safetensors");
        MultiLayerNetwork net = Models.mnistCnn();
        TorchStateDict sd = TorchStateDict.read(file);    // file from safetensors.torch.save_file(model.state_dict(), ...)
        LoadReport report = sd.loadInto(net);             // refused, network untouched, if any key or shape does not fit
        System.out.println(report);                       // which tensor went into which parameter
        TorchStateDict.of(net).write(out);                // for model.load_state_dict(safetensors.torch.load_file(out))
        assertThat(report.loaded()).isEqualTo(16);
        assertThat(TorchStateDict.read(out).names()).contains("fc1_bn.running_var");
    }

    @Test
    void loadATrainedCnn() throws IOException {
        Path checkpoint = StateDictFixtures.file("mnist_cnn");
        // doc:begin
        // class Net(nn.Module): conv1, conv2, conv2_bn, fc1, fc1_bn, fc2 (see the page's Python)
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().dataType(DataType.FLOAT).list()
                .layer(new ConvolutionLayer.Builder(5, 5).nIn(1).nOut(10).activation(Activation.RELU).name("conv1").build())
                .layer(new SubsamplingLayer.Builder(SubsamplingLayer.PoolingType.MAX).kernelSize(2, 2).stride(2, 2).build())
                .layer(new ConvolutionLayer.Builder(5, 5).nOut(20).activation(Activation.IDENTITY).name("conv2").build())
                .layer(new BatchNormalization.Builder().name("conv2_bn").build())
                .layer(new ActivationLayer(Activation.RELU))
                .layer(new SubsamplingLayer.Builder(SubsamplingLayer.PoolingType.MAX).kernelSize(2, 2).stride(2, 2).build())
                .layer(new DenseLayer.Builder().nOut(50).activation(Activation.IDENTITY).name("fc1").build())
                .layer(new BatchNormalization.Builder().name("fc1_bn").build())
                .layer(new ActivationLayer(Activation.RELU))
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(10)
                        .activation(Activation.SOFTMAX).name("fc2").build())
                .setInputType(InputType.convolutional(28, 28, 1))
                .build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();

        // model.load_state_dict(safetensors.torch.load_file("mnist_cnn.safetensors"), strict=True)
        TorchStateDict sd = TorchStateDict.read(checkpoint);
        LoadReport report = sd.loadInto(net);
        System.out.println(report);
        // doc:end
        StateDictFixtures.assertForward("mnist_cnn", net.output(StateDictFixtures.npy("mnist_cnn", "input")));
        assertThat(report.loaded()).isEqualTo(16);
    }

    @Test
    void lookAtTensors() throws IOException {
        Path checkpoint = StateDictFixtures.file("mnist_cnn");
        // doc:begin
        TorchStateDict sd = TorchStateDict.read(checkpoint);
        for (String name : sd.names()) {
            System.out.println(name + " " + sd.dtype(name) + " " + java.util.Arrays.toString(sd.shape(name)));
        }
        INDArray w = sd.get("fc1.weight");   // PyTorch's shape (50, 320), C order
        // doc:end
        assertThat(w.shape()).containsExactly(50, 320);
    }

    @Test
    void handWeightsBack() throws IOException {
        MultiLayerNetwork net = Models.mnistCnn();
        Path out = dir.resolve("from-dl4j.safetensors");
        // doc:begin
        // net trained in DL4J: back to PyTorch as model.load_state_dict(load_file("from-dl4j.safetensors"))
        TorchStateDict.of(net).write(out);
        // doc:end
        assertThat(TorchStateDict.read(out).names()).contains("conv1.weight", "fc1_bn.running_var");
    }

    @Test
    void renameKeys() throws IOException {
        Path f = dir.resolve("parallel.safetensors");
        TorchStateDict.read(StateDictFixtures.file("mnist_cnn")).renameKeys(k -> "module." + k).write(f);
        MultiLayerNetwork net = Models.mnistCnn();
        // doc:begin
        // saved from nn.DataParallel: keys are "module.conv1.weight", ...
        TorchStateDict.read(f).replacePrefix("module.", "").loadInto(net);
        // doc:end
        StateDictFixtures.assertForward("mnist_cnn", net.output(StateDictFixtures.npy("mnist_cnn", "input")));
    }

    @Test
    void lenient() throws IOException {
        MultiLayerNetwork net = Models.mnistCnn();
        Path f = StateDictFixtures.file("mnist_cnn");
        // doc:begin
        // model.load_state_dict(sd, strict=False): a new head stays as initialized
        LoadReport report = TorchStateDict.read(f).loadInto(net, false);
        System.out.println(report.missingKeys() + " " + report.unexpectedKeys());
        // doc:end
        assertThat(report.missingKeys()).isEmpty();
        assertThat(Files.exists(f)).isTrue();
    }

    @Test
    void documentShowsExactlyTheseExamples() throws IOException {
        DocSnippets.assertDocumentShowsExactly("docs/state-dicts.md", StateDictDocExamplesTest.class, 5);
    }
}
