package io.github.dl4jinit.examples;

import io.github.dl4jinit.examples.data.DataSource;
import io.github.dl4jinit.examples.data.MnistData;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/** train-cnn's network: the Java layers in place, unless --no-java-layers. */
class TrainCnnTest {
    static MnistData train;

    @BeforeAll
    static void load() {
        train = DataSource.shippedSubset().train();
    }

    private static TrainCnn parsed(String... args) {
        TrainCnn command = new TrainCnn();
        new CommandLine(command).parseArgs(args);
        return command;
    }

    private static String packageOf(Object o) {
        return o == null ? "none" : o.getClass().getPackageName();
    }

    @Test
    void javaLayersByDefault() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        MultiLayerNetwork net = parsed().network(train, new PrintStream(out, true, StandardCharsets.UTF_8));
        assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo(
                "Java layers in place of DL4J's (--no-java-layers keeps DL4J's): convolution layer0, layer3;"
                        + " max pooling layer1, layer5; BatchNorm layer4, layer8; ReLU layer2, layer6, layer9"
                        + " (layer0 skips the gradient at the network's input)" + System.lineSeparator());
        assertThat(packageOf(net.getLayer(0).getHelper())).isEqualTo("io.github.dl4jinit.examples.cpu");
        assertThat(packageOf(net.getLayer(2))).isEqualTo("io.github.dl4jinit.examples.cpu");
    }

    @Test
    void noJavaLayersKeepsDl4jsOwn() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        MultiLayerNetwork net = parsed("--no-java-layers").network(train, new PrintStream(out, true, StandardCharsets.UTF_8));
        assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo("Layers: DL4J's own (--no-java-layers)" + System.lineSeparator());
        for (Layer l : net.getLayers()) {
            assertThat(packageOf(l)).startsWith("org.deeplearning4j.nn.layers");
            assertThat(l.getHelper()).isNull();
        }
    }
}
