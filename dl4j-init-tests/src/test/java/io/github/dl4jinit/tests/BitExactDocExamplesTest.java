package io.github.dl4jinit.tests;

import io.github.dl4jinit.TorchInit;
import io.github.dl4jinit.network.NetworkInitializer;
import io.github.dl4jinit.presets.TorchDefaults;
import io.github.dl4jinit.presets.TorchInitLoops;
import io.github.dl4jinit.sampling.TorchGenerator;
import io.github.dl4jinit.twins.TorchvisionTwins;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The Java examples of docs/bit-exact.md, compiled and run (see {@link DocSnippets}). */
class BitExactDocExamplesTest {

    @Test
    void oneTensor() {
        long s = 42;
        // doc:begin
        // torch.manual_seed(s); nn.init.kaiming_normal_(t, mode="fan_out", nonlinearity="relu")
        INDArray t = Nd4j.create(DataType.FLOAT, 64, 128);           // PyTorch shape (out, in), C order
        TorchInit.kaimingNormal(0, "fan_out", "relu").apply(t, new TorchGenerator(s));
        // doc:end
        assertThat(t.stdNumber().doubleValue()).isBetween(0.9 * Math.sqrt(2.0 / 64), 1.1 * Math.sqrt(2.0 / 64));
    }

    @Test
    void resnet18WholeProgram() {
        long seed = 42;
        ComputationGraph resnet = TorchvisionTwins.resnet18(10, 64).net();
        // doc:begin
        // _make_layer builds a stage's downsample before its first block; model.modules() lists it after.
        List<String> construction = new ArrayList<>(List.of("conv1", "bn1"));
        List<String> registration = new ArrayList<>(List.of("conv1", "bn1"));
        for (int stage = 1; stage <= 4; stage++) {
            for (int block = 0; block < 2; block++) {
                String b = "layer" + stage + "." + block;
                List<String> own = List.of(b + ".conv1", b + ".bn1", b + ".conv2", b + ".bn2");
                List<String> downsample = stage > 1 && block == 0
                        ? List.of(b + ".downsample.0", b + ".downsample.1") : List.of();
                construction.addAll(downsample);
                construction.addAll(own);
                registration.addAll(own);
                registration.addAll(downsample);
            }
        }
        construction.add("fc");
        registration.add("fc");

        // torch.manual_seed(seed); model = torchvision.models.resnet18(num_classes=10)
        TorchGenerator g = new TorchGenerator(seed);
        TorchDefaults.initializer().toBuilder().generator(g)       // every module's reset_parameters()
                .constructionOrder(construction.toArray(new String[0]))
                .build().initialize(resnet);
        NetworkInitializer.builder().generator(g)                           // ResNet.__init__'s own loop
                .rules(TorchInitLoops.torchvisionResNet())
                .registrationOrder(registration.toArray(new String[0]))
                .build().initialize(resnet);
        // doc:end
        ProgramFixtures f = ProgramFixtures.of("resnet18_10", seed);
        assertThat(construction).isEqualTo(f.constructionOrder());
        assertThat(registration).isEqualTo(f.registrationOrder());
        f.assertStateDictMatches(ProgramFixtures.layers(resnet));
    }

    @Test
    void documentShowsExactlyTheseExamples() throws IOException {
        DocSnippets.assertDocumentShowsExactly("docs/bit-exact.md", BitExactDocExamplesTest.class, 2);
    }
}
