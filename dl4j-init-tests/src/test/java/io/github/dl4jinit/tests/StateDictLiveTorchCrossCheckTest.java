package io.github.dl4jinit.tests;

import io.github.dl4jinit.network.NetworkWalker;
import io.github.dl4jinit.torch.TorchStateDict;
import io.github.dl4jinit.twins.TorchvisionTwins;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.shade.jackson.databind.JsonNode;
import org.nd4j.shade.jackson.databind.ObjectMapper;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Optional live cross-check with an installed PyTorch (enabled as {@link RngLiveTorchCrossCheckTest}
 * is, by {@code -Ddl4jinit.torch.python=...} or {@code DL4JINIT_TORCH_PYTHON}; skipped otherwise):
 * <ul>
 *   <li>the state_dicts Java writes load into the PyTorch models with {@code load_state_dict(strict=True)}
 *       and give PyTorch the original tensors ({@code python/check_state_dict.py});</li>
 *   <li>torchvision resnet18, trained for three steps and rebuilt bit for bit by
 *       {@code python/make_state_dict_fixtures.py --resnet18-file} (44.7 MB, not committed), loads into
 *       its DL4J twin: every parameter matches the committed digests, the forward pass PyTorch's.</li>
 * </ul>
 */
class StateDictLiveTorchCrossCheckTest {
    @TempDir
    Path dir;

    private static String python() {
        String p = System.getProperty("dl4jinit.torch.python");
        return p != null && !p.isEmpty() ? p : System.getenv("DL4JINIT_TORCH_PYTHON");
    }

    private static String run(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        byte[] out = p.getInputStream().readAllBytes();
        assertThat(p.waitFor(10, TimeUnit.MINUTES)).isTrue();
        String text = new String(out, StandardCharsets.UTF_8);
        assertThat(p.exitValue()).as(text).isZero();
        return text;
    }

    @Test
    void pytorchLoadsWhatJavaWritesAndResnet18LoadsIntoItsTwin() throws Exception {
        String python = python();
        assumeTrue(python != null && !python.isEmpty(),
                "set -Ddl4jinit.torch.python or DL4JINIT_TORCH_PYTHON to a Python with torch to run this");
        assertThat(new File("python/check_state_dict.py")).exists();

        Path resnetFile = dir.resolve("resnet18.original.safetensors");
        run(python, "python/make_state_dict_fixtures.py", "--resnet18-file", resnetFile.toString());
        ComputationGraph resnet = TorchvisionTwins.resnet18(1000, 64).net();
        TorchStateDict.read(resnetFile).loadInto(resnet);
        StateDictFixtures.assertParametersMatch("resnet18", NetworkWalker.layers(resnet));
        StateDictFixtures.assertForward("resnet18", resnet.outputSingle(StateDictFixtures.npy("resnet18", "input")));
        TorchStateDict.of(resnet).write(dir.resolve("resnet18.safetensors"));

        MultiLayerNetwork[] nets = {Models.mnistCnn(), Models.mlp(), Models.embedLstm()};
        String[] names = {"mnist_cnn", "mlp", "embed_lstm"};
        for (int i = 0; i < nets.length; i++) {
            TorchStateDict.read(StateDictFixtures.file(names[i])).loadInto(nets[i]);
            TorchStateDict.of(nets[i]).write(dir.resolve(names[i] + ".safetensors"));
        }
        ComputationGraph twoBranch = Models.twoBranch();
        TorchStateDict.read(StateDictFixtures.file("two_branch")).loadInto(twoBranch);
        TorchStateDict.of(twoBranch).write(dir.resolve("two_branch.safetensors"));

        List<String> command = new ArrayList<>(List.of(python, "python/check_state_dict.py", dir.toString()));
        command.addAll(List.of("mnist_cnn", "mlp", "embed_lstm", "two_branch", "resnet18"));
        String out = run(command.toArray(new String[0]));
        JsonNode answer = new ObjectMapper().readTree(out.substring(out.lastIndexOf("{\"torch_version\"")));
        System.out.println("live state_dict cross-check against torch " + answer.get("torch_version").asText());
        assertThat(answer.get("results")).hasSize(5);
        for (JsonNode r : answer.get("results")) {
            assertThat(r.get("problems")).as(r.get("model").asText()).isEmpty();
        }
        assertThat(Files.size(resnetFile)).isGreaterThan(44_000_000L);
    }
}
