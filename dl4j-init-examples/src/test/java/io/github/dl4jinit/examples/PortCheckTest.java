package io.github.dl4jinit.examples;

import io.github.dl4jinit.torch.TorchStateDict;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code port-check} on a CNN that PyTorch trained: {@code port-check/cnn.safetensors} was written by
 * {@code python/train_cnn_torch.py --data <the shipped subset> --epochs 2 --threads 1 --save-state-dict
 * FILE} (torch 2.13), which records its own test accuracy in the file's metadata.
 */
class PortCheckTest {
    @TempDir
    Path tmp;

    private static Path cnn() throws URISyntaxException {
        return Paths.get(PortCheckTest.class.getResource("/port-check/cnn.safetensors").toURI());
    }

    @Test
    void aPyTorchTrainedCnnKeepsItsAccuracyInDl4j() throws Exception {
        CliEndToEndTest.Result r = CliEndToEndTest.run("port-check", "--state-dict", cnn().toString(), "--model", "cnn",
                "--shipped-subset", "--threads", "1");
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).contains("Loaded 16 parameters from cnn.safetensors into MultiLayerNetwork (strict)")
                .contains("bn2.running_var").contains("PyTorch recorded in the file: ");
        Matcher m = Pattern.compile("Test accuracy in DL4J: (\\d+\\.\\d+) % of 1000 images").matcher(r.out());
        assertThat(m.find()).as(r.out()).isTrue();
        long dl4jCorrect = Math.round(Double.parseDouble(m.group(1)) * 10);
        long torchCorrect = Long.parseLong(TorchStateDict.read(cnn()).metadata().get("test_correct"));
        // Same weights, same images; float differences in the two libraries' kernels can flip only
        // a near-tie between two classes.
        assertThat(dl4jCorrect).isBetween(torchCorrect - 2, torchCorrect + 2);
    }

    @Test
    void theWrongModelIsRefusedNamingTheKeys() throws Exception {
        CliEndToEndTest.Result r = CliEndToEndTest.run("port-check", "--state-dict", cnn().toString(), "--model", "mlp",
                "--shipped-subset");
        assertThat(r.exitCode()).isNotZero();
        assertThat(r.err()).contains("Missing key(s) in state_dict: \"layer2.weight\"")
                .contains("Unexpected key(s) in state_dict: ").contains("\"conv1.weight\"")
                .contains("size mismatch for fc1.weight: copying a param with shape [50, 320] from checkpoint,"
                        + " the shape in current model is [256, 784]");
    }

    @Test
    void aFileThatIsNotSafetensorsIsADataError() throws IOException {
        Path bad = tmp.resolve("bad.safetensors");
        Files.write(bad, new byte[]{1, 2, 3, 4, 5, 6, 7, 8, 9});
        CliEndToEndTest.Result r = CliEndToEndTest.run("port-check", "--state-dict", bad.toString(), "--shipped-subset");
        assertThat(r.exitCode()).isEqualTo(Main.EXIT_DATA);
        assertThat(r.err()).contains("error: not a valid safetensors file").contains("bad.safetensors");
        CliEndToEndTest.Result missing = CliEndToEndTest.run("port-check", "--state-dict", tmp.resolve("none").toString(),
                "--shipped-subset");
        assertThat(missing.exitCode()).isEqualTo(Main.EXIT_DATA);
        assertThat(missing.err()).contains("no such file");
    }
}
