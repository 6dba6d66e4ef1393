package io.github.dl4jinit.tests;

import io.github.dl4jinit.diagnostics.InitDiagnostics;
import io.github.dl4jinit.diagnostics.Lsuv;
import io.github.dl4jinit.diagnostics.LsuvResult;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.io.IOException;

import static org.assertj.core.api.Assertions.assertThat;

/** The Java examples of docs/diagnostics.md, compiled and run (see {@link DocSnippets}). */
class DiagnosticsDocExamplesTest {

    @Test
    void diagnostics() {
        MultiLayerNetwork net = Models.mlp();
        Nd4j.getRandom().setSeed(3);
        INDArray features = Nd4j.rand(DataType.FLOAT, 128, 784);
        INDArray labels = Nd4j.zeros(DataType.FLOAT, 128, 10);
        for (int i = 0; i < 128; i++) {
            labels.putScalar(i, i % 10, 1.0);
        }
        // doc:begin
        InitDiagnostics report = InitDiagnostics.of(net, features, labels);
        System.out.println(report);                   // per-layer table, then the flags
        LsuvResult lsuv = Lsuv.builder().tolerance(0.1).maxIterations(10).build().initialize(net, features);
        System.out.println(lsuv);                     // iterations and final variance per layer
        // doc:end
        assertThat(report.layers()).hasSize(3);
        assertThat(lsuv.allConverged()).isTrue();
    }

    @Test
    void documentShowsExactlyTheseExamples() throws IOException {
        DocSnippets.assertDocumentShowsExactly("docs/diagnostics.md", DiagnosticsDocExamplesTest.class, 1);
    }
}
