package io.github.dl4jinit.examples;

import io.github.dl4jinit.examples.data.IdxFiles;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Runs the command line end to end on the subset shipped in the jar (a few iterations). */
class CliEndToEndTest {
    @TempDir
    Path tmp;

    @BeforeAll
    static void headless() {
        System.setProperty("java.awt.headless", "true");
    }

    record Result(int exitCode, String out, String err) {
    }

    static Result run(String... args) {
        StringWriter err = new StringWriter();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream old = System.out;
        int code;
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            CommandLine cl = Main.commandLine();
            cl.setErr(new PrintWriter(err, true));
            code = cl.execute(args);
        } finally {
            System.setOut(old);
        }
        return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString());
    }

    @Test
    void trainCnnWritesCsvAndPng() throws IOException {
        Path out = tmp.resolve("out");
        Result r = run("train-cnn", "--shipped-subset", "--max-iterations", "4", "--eval-every", "2",
                "--max-test", "200", "--threads", "1", "--out", out.toString());
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).contains("Data: Fashion-MNIST subset shipped in the jar: 4000 training, 1000 test images")
                .contains("Test accuracy");
        List<String> csv = Files.readAllLines(out.resolve("train-cnn-torch-default.csv"));
        assertThat(csv).hasSize(5);
        assertThat(csv.get(0)).isEqualTo("iteration,train_loss,test_accuracy");
        assertThat(csv.get(2)).matches("2,\\d+\\.\\d+,\\d+\\.\\d+");   // evaluated at iteration 2
        assertThat(csv.get(3)).matches("3,\\d+\\.\\d+,");
        assertThat(csv.get(4)).matches("4,\\d+\\.\\d+,\\d+\\.\\d+");   // and at the end of the epoch
        BufferedImage png = ImageIO.read(out.resolve("train-cnn-torch-default.png").toFile());
        assertThat(png.getWidth()).isEqualTo(1000);
        assertThat(png.getHeight()).isEqualTo(600);
    }

    @Test
    void diagnoseFlagsBadSchemesAndPassesKaimingAndLsuv() throws IOException {
        Path out = tmp.resolve("out");
        Result r = run("diagnose", "--shipped-subset", "--schemes", "zeros,kaiming,lsuv", "--depth", "6",
                "--width", "32", "--batch-size", "64", "--threads", "1", "--out", out.toString());
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).containsPattern("relu  all zeros +dead: 6 ReLU layer")
                .containsPattern("relu  Kaiming normal \\(fan_in, relu\\) +healthy")
                .containsPattern("tanh  LSUV \\(orthonormal \\+ unit variance\\) +healthy");
        String md = Files.readString(out.resolve("diagnose.md"));
        assertThat(md).contains("## relu, all zeros").contains("grad norm").contains("layer5");
        for (String png : List.of("diagnose-tanh-std.png", "diagnose-tanh-grad.png", "diagnose-relu-std.png",
                "diagnose-relu-grad.png")) {
            assertThat(ImageIO.read(out.resolve(png).toFile()).getWidth()).as(png).isEqualTo(1100);
        }
    }

    @Test
    void compareInitsWithLsuvTrains() throws IOException {
        Path out = tmp.resolve("out");
        Result r = run("compare-inits", "--shipped-subset", "--schemes", "lsuv", "--epochs", "1",
                "--max-iterations", "3", "--threads", "1", "--out", out.toString());
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(Files.readString(out.resolve("compare-inits.md"))).contains("| LSUV (orthonormal + unit variance) |");
    }

    @Test
    void compareInitsWritesTablePlotAndCsv() throws IOException {
        Path out = tmp.resolve("out");
        Result r = run("compare-inits", "--shipped-subset", "--schemes", "zeros,general-rule,auto", "--epochs", "1",
                "--max-iterations", "3", "--threads", "1", "--out", out.toString());
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).contains("3200 training, 800 validation");
        String md = Files.readString(out.resolve("compare-inits.md"));
        assertThat(md).contains("| scheme | validation accuracy | last training loss | seconds per epoch |")
                .containsPattern("\\| all zeros \\| \\d+\\.\\d{3} % \\| 2\\.3\\d+ \\|")
                .containsPattern("\\| general rule U\\(±1/√n\\) \\| \\d+\\.\\d{3} % \\|")
                .containsPattern("\\| auto \\(per-layer activation\\) \\| \\d+\\.\\d{3} % \\|");
        assertThat(Files.readAllLines(out.resolve("compare-inits.csv"))).hasSize(1 + 3 * 3);
        assertThat(ImageIO.read(out.resolve("compare-inits.png").toFile()).getWidth()).isEqualTo(1100);
    }

    @Test
    void helpForEachSubcommand() {
        for (String cmd : new String[]{"train-cnn", "compare-inits"}) {
            Result r = run(cmd, "--help");
            assertThat(r.exitCode()).isZero();
            assertThat(r.out()).contains("Usage: dl4j-init-examples " + cmd).contains("--data=DIR").contains("--epochs");
        }
        assertThat(run("--help").out()).contains("train-cnn").contains("compare-inits");
    }

    @Test
    void missingDataFolderFailsBeforeWritingAnything() {
        Path out = tmp.resolve("out");
        Path data = tmp.resolve("no-such-folder");
        Result r = run("train-cnn", "--data", data.toString(), "--out", out.toString());
        assertThat(r.exitCode()).isEqualTo(Main.EXIT_DATA);
        assertThat(r.err()).contains("error: " + data + ": data folder does not exist");
        assertThat(out).doesNotExist();
    }

    @Test
    void corruptFileFailsBeforeWritingAnything() throws IOException {
        Path out = tmp.resolve("out");
        Path data = tmp.resolve("data");
        IdxFiles.writeFolder(data, 20, 10, true);
        Files.write(data.resolve("t10k-labels-idx1-ubyte.gz"), new byte[]{0x1f, (byte) 0x8b, 8, 0, 1, 2});
        Result r = run("compare-inits", "--data", data.toString(), "--out", out.toString());
        assertThat(r.exitCode()).isEqualTo(Main.EXIT_DATA);
        assertThat(r.err()).contains(data.resolve("t10k-labels-idx1-ubyte.gz").toString()).contains("gzip");
        assertThat(out).doesNotExist();
    }

    @Test
    void unknownSchemeIsAUsageError() {
        Result r = run("train-cnn", "--scheme", "glorot-ish");
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("'glorot-ish' is not one of zeros, ones");
    }

    @Test
    void negativeThreadCountsAreUsageErrorsNamingTheOption() {
        Path out = tmp.resolve("threads-out");
        Result r = run("train-cnn", "--shipped-subset", "--threads", "-2", "--out", out.toString());
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("--threads: -2").contains("expected 0 (all cores) or a positive number");
        Result n = run("train-cnn", "--shipped-subset", "--nd4j-threads", "-1", "--out", out.toString());
        assertThat(n.exitCode()).isEqualTo(2);
        assertThat(n.err()).contains("--nd4j-threads: -1");
        assertThat(out).doesNotExist();
    }
}
