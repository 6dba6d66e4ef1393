package io.github.dl4jinit.examples;

import io.github.dl4jinit.examples.cpu.Nd4jThreads;
import io.github.dl4jinit.examples.data.DataSource;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.OutputStream;
import java.io.PrintStream;

import static org.assertj.core.api.Assertions.assertThat;

/** The CNN learns with PyTorch's defaults and does not with all zeros (one epoch of the shipped subset). */
class CnnLearnsTest {
    static DataSource data;

    @BeforeAll
    static void load() {
        Nd4jThreads.set(1);
        data = DataSource.shippedSubset();
    }

    static double oneEpoch(Scheme scheme) {
        MultiLayerNetwork net = Models.cnn(scheme, 0.001, 42, null);
        PrintStream quiet = new PrintStream(OutputStream.nullOutputStream());
        return Training.run(net, data.train(), data.test(),
                new Training.Options(1, 64, 42, 0, 0, scheme.cliName()), quiet).lastAccuracy();
    }

    @Test
    void torchDefaultLearnsZerosDoNot() {
        double torch = oneEpoch(Scheme.TORCH_DEFAULT);
        assertThat(torch).as("test accuracy with PyTorch defaults").isGreaterThan(60);
        double zeros = oneEpoch(Scheme.ZEROS);
        // 10 balanced classes: chance is 10 %; a constant prediction of one class scores about that
        assertThat(zeros).as("test accuracy with all-zero weights").isBetween(5.0, 15.0);
    }
}
