package io.github.dl4jinit.examples;

import io.github.dl4jinit.examples.data.IdxFiles;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

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
import java.util.Locale;
import javax.imageio.ImageIO;

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
                .contains("Java layers in place of DL4J's (--no-java-layers keeps DL4J's): convolution layer0, layer3;")
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
    void compareInitsOverSeedsWritesEveryRunTheTableWithVerdictsAndThePlot() throws IOException {
        Path out = tmp.resolve("out");
        Path torch = tmp.resolve("torch-runs.csv");
        Files.write(torch, List.of(RunsCsv.HEADER,
                "pytorch,zeros,42,1,10.0000,2.302600,0.100", "pytorch,zeros,42,2,10.0000,2.302500,0.100",
                "pytorch,general-rule,42,1,60.0000,1.500000,0.100", "pytorch,general-rule,42,2,70.0000,1.000000,0.100",
                "pytorch,zeros,43,1,10.2500,2.302600,0.100", "pytorch,zeros,43,2,10.2500,2.302500,0.100",
                "pytorch,general-rule,43,1,62.0000,1.400000,0.100", "pytorch,general-rule,43,2,72.0000,0.900000,0.100"));
        Result r = run("compare-inits", "--shipped-subset", "--seeds", "2", "--schemes", "zeros,general-rule", "--epochs", "2",
                "--max-iterations", "2", "--threads", "1", "--torch-csv", torch.toString(), "--out", out.toString());
        assertThat(r.exitCode()).as(r.err()).isZero();
        // the task names the progress bar shows: scheme, seed (i of n), epoch
        assertThat(r.out()).contains("zeros seed 42 (1/2) epoch 1/2:").contains("general-rule seed 43 (2/2) epoch 2/2:");

        List<String> csv = Files.readAllLines(out.resolve("compare-inits-runs.csv"));
        assertThat(csv.get(0)).isEqualTo(RunsCsv.HEADER);
        String number = "\\d+\\.\\d{4},\\d+\\.\\d{6},\\d+\\.\\d{3}";
        List<String> expected = List.of("zeros,42,1", "zeros,42,2", "general-rule,42,1", "general-rule,42,2",
                "zeros,43,1", "zeros,43,2", "general-rule,43,1", "general-rule,43,2");
        assertThat(csv).hasSize(1 + expected.size());
        for (int i = 0; i < expected.size(); i++) {
            assertThat(csv.get(1 + i)).matches("dl4j," + expected.get(i) + "," + number);
        }

        // DL4J's general-rule cell, recomputed here from the two epoch-2 rows
        double a = Double.parseDouble(csv.get(4).split(",")[4]);
        double b = Double.parseDouble(csv.get(8).split(",")[4]);
        String dl4jCell = String.format(Locale.ROOT, "%.3f ± %.3f", (a + b) / 2, Math.abs(a - b) / Math.sqrt(2));
        String md = Files.readString(out.resolve("compare-inits-seeds.md"));
        assertThat(md).contains("Data: Fashion-MNIST subset shipped in the jar; 3200 training / 800 validation images")
                .contains("after epoch 2, mean ± standard deviation over 2 seeds")
                .contains("| general rule U(±1/√n) | " + dl4jCell + " | 71.000 ± 1.414 | 85.208 |")
                .containsPattern("\\| all zeros \\| \\d+\\.\\d{3} ± \\d+\\.\\d{3} \\| 10\\.125 ± 0\\.177 \\| 9\\.625 \\|"
                        + " \\d+\\.\\d{3} \\| \\d+\\.\\d{3} \\| (yes|\\*\\*no\\*\\*) \\|")
                .contains("| general rule U(±1/√n) | 1 | ");
        assertThat(r.out()).contains(md.substring(md.indexOf("Validation accuracy"))).contains("DL4J and PyTorch: the means");
        assertThat(ImageIO.read(out.resolve("compare-inits-seeds.png").toFile()).getWidth()).isEqualTo(1100);

        // the same table from the two finished CSVs, without training
        Path again = tmp.resolve("again");
        Result report = run("compare-inits-report", out.resolve("compare-inits-runs.csv").toString(), torch.toString(),
                "--out", again.toString());
        assertThat(report.exitCode()).as(report.err()).isZero();
        String md2 = Files.readString(again.resolve("compare-inits-seeds.md"));
        assertThat(md2).startsWith("Runs: compare-inits-runs.csv, torch-runs.csv")
                .endsWith(md.substring(md.indexOf("Validation accuracy")));
        assertThat(again.resolve("compare-inits-seeds.png")).isRegularFile();
    }

    @Test
    void badSeedOptionsAreUsageErrorsBeforeAnythingIsTrainedOrWritten() throws IOException {
        Path out = tmp.resolve("out");
        Path dl4jRows = tmp.resolve("dl4j.csv");
        Files.write(dl4jRows, List.of(RunsCsv.HEADER, "dl4j,zeros,42,1,10.0000,2.302600,0.100"));
        Result zero = run("compare-inits", "--shipped-subset", "--seeds", "0", "--out", out.toString());
        assertThat(zero.exitCode()).isEqualTo(2);
        assertThat(zero.err()).contains("--seeds: 0, expected a positive number");
        Result noSeeds = run("compare-inits", "--shipped-subset", "--torch-csv", dl4jRows.toString(), "--out", out.toString());
        assertThat(noSeeds.exitCode()).isEqualTo(2);
        assertThat(noSeeds.err()).contains("--torch-csv " + dl4jRows + ": only used with --seeds N");
        Result wrongRows = run("compare-inits", "--shipped-subset", "--seeds", "2", "--torch-csv", dl4jRows.toString(),
                "--out", out.toString());
        assertThat(wrongRows.exitCode()).isEqualTo(2);
        assertThat(wrongRows.err()).contains("holds dl4j rows, expected only pytorch rows");
        Result missing = run("compare-inits-report", tmp.resolve("nothing.csv").toString(), "--out", out.toString());
        assertThat(missing.exitCode()).isEqualTo(2);
        assertThat(missing.err()).contains("nothing.csv: runs CSV not found");
        Result twice = run("compare-inits-report", dl4jRows.toString(), dl4jRows.toString(), "--out", out.toString());
        assertThat(twice.exitCode()).isEqualTo(2);
        assertThat(twice.err()).contains("dl4j zeros seed 42 epoch 1 appears in more than one of");
        assertThat(out).doesNotExist();
    }

    @Test
    void helpForEachSubcommand() {
        for (String cmd : new String[]{"train-cnn", "compare-inits"}) {
            Result r = run(cmd, "--help");
            assertThat(r.exitCode()).isZero();
            assertThat(r.out()).contains("Usage: dl4j-init-examples " + cmd).contains("--data=DIR").contains("--epochs");
        }
        assertThat(run("--help").out()).contains("train-cnn").contains("compare-inits").contains("compare-inits-report");
        assertThat(run("compare-inits", "--help").out()).contains("--seeds=N").contains("--torch-csv=FILE");
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
    void trainCnnTrainsOnDl4jsOwnLayersWithNoJavaLayers() {
        Result help = run("train-cnn", "--help");
        assertThat(help.exitCode()).isZero();
        assertThat(help.out()).contains("--no-java-layers");
        Path out = tmp.resolve("out");
        Result r = run("train-cnn", "--shipped-subset", "--no-java-layers", "--max-iterations", "2", "--eval-every", "0",
                "--max-test", "100", "--threads", "1", "--out", out.toString());
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).contains("Layers: DL4J's own (--no-java-layers)").doesNotContain("Java layers in place")
                .contains("Test accuracy");
        assertThat(out.resolve("train-cnn-torch-default.csv")).exists();
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
