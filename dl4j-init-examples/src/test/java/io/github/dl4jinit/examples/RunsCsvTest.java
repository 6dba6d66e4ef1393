package io.github.dl4jinit.examples;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The runs CSV of compare-inits --seeds and the seed sweep that writes it. */
class RunsCsvTest {
    @TempDir
    Path tmp;

    /** A finished run whose epoch e (from 1) has accuracy base + e, loss 1/e and e seconds. */
    static Training.History history(double base, int epochs) {
        Training.History h = new Training.History();
        for (int e = 1; e <= epochs; e++) {
            h.accuracies.add(base + e);
            h.epochLosses.add(1.0 / e);
            h.epochSeconds.add((double) e);
        }
        return h;
    }

    @Test
    void sweepRunsSeedMajorAndWritesOneRowPerEpoch() throws IOException {
        Path csv = tmp.resolve("runs.csv");
        List<String> tasks = new ArrayList<>();
        try (RunsCsv.Writer w = new RunsCsv.Writer(csv)) {
            SeedSweep.run(List.of(Scheme.ZEROS, Scheme.KAIMING), 7, 2, (s, seed, task) -> {
                tasks.add(task);
                return history(s == Scheme.ZEROS ? 10 : 80 + seed, 2);
            }, w);
        }
        assertThat(tasks).containsExactly("zeros seed 7 (1/2)", "kaiming seed 7 (1/2)", "zeros seed 8 (2/2)",
                "kaiming seed 8 (2/2)");
        assertThat(Files.readAllLines(csv)).containsExactly(RunsCsv.HEADER,
                "dl4j,zeros,7,1,11.0000,1.000000,1.000",
                "dl4j,zeros,7,2,12.0000,0.500000,2.000",
                "dl4j,kaiming,7,1,88.0000,1.000000,1.000",
                "dl4j,kaiming,7,2,89.0000,0.500000,2.000",
                "dl4j,zeros,8,1,11.0000,1.000000,1.000",
                "dl4j,zeros,8,2,12.0000,0.500000,2.000",
                "dl4j,kaiming,8,1,89.0000,1.000000,1.000",
                "dl4j,kaiming,8,2,90.0000,0.500000,2.000");
        List<RunsCsv.Row> back = RunsCsv.read(csv);
        assertThat(back).hasSize(8);
        assertThat(back.get(3)).isEqualTo(new RunsCsv.Row("dl4j", Scheme.KAIMING, 7, 2, 89.0, 0.5, 2.0));
    }

    @Test
    void anInterruptedSweepKeepsTheRunsItFinished() throws IOException {
        Path csv = tmp.resolve("runs.csv");
        List<List<String>> seenByRun = new ArrayList<>();
        try (RunsCsv.Writer w = new RunsCsv.Writer(csv)) {
            assertThatThrownBy(() -> SeedSweep.run(List.of(Scheme.ZEROS, Scheme.ONES), 1, 3, (s, seed, task) -> {
                try {
                    // what another process (or the user after a crash) would find in the file right now
                    seenByRun.add(Files.readAllLines(csv));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
                if (seenByRun.size() == 3) {
                    throw new IllegalStateException("out of memory, say");
                }
                return history(10, 2);
            }, w)).isInstanceOf(IllegalStateException.class);
        }
        // before the third run started, the two finished runs were already on disk, the writer still open
        assertThat(seenByRun.get(0)).containsExactly(RunsCsv.HEADER);
        assertThat(seenByRun.get(2)).hasSize(1 + 2 * 2);
        assertThat(seenByRun.get(2).get(1)).startsWith("dl4j,zeros,1,1,");
        assertThat(seenByRun.get(2).get(3)).startsWith("dl4j,ones,1,1,");
        assertThat(RunsCsv.read(csv)).hasSize(4);
    }

    @Test
    void readsThePythonTwinsNumbers() throws IOException {
        Path csv = tmp.resolve("torch.csv");
        Files.write(csv, List.of(RunsCsv.HEADER, "pytorch,uniform,42,1,41.0250,nan,2.1", "pytorch,uniform,42,2,45.5,inf,2.0",
                ""));
        List<RunsCsv.Row> rows = RunsCsv.read(csv);
        assertThat(rows).hasSize(2);
        assertThat(rows.get(0).meanTrainLoss()).isNaN();
        assertThat(rows.get(1).meanTrainLoss()).isInfinite();
        assertThat(rows.get(1).validationAccuracy()).isEqualTo(45.5);
        assertThat(rows.get(1).scheme()).isEqualTo(Scheme.UNIFORM);
    }

    @Test
    void badFilesNameTheFileLineAndWhatWasExpected() throws IOException {
        assertThat(error("scheme,seed,epoch,validation_accuracy")).contains("line 1").contains("expected the header");
        assertThat(error(RunsCsv.HEADER + "\ntensorflow,zeros,1,1,10,2.3,1")).contains("line 2")
                .contains("framework 'tensorflow', expected dl4j or pytorch");
        assertThat(error(RunsCsv.HEADER + "\ndl4j,glorot-ish,1,1,10,2.3,1")).contains("line 2").contains("'glorot-ish' is not one of");
        assertThat(error(RunsCsv.HEADER + "\ndl4j,zeros,1,1,10,2.3")).contains("6 fields, expected 7");
        assertThat(error(RunsCsv.HEADER + "\ndl4j,zeros,1,0,10,2.3,1")).contains("epoch 0, expected a positive number");
        assertThat(error(RunsCsv.HEADER + "\ndl4j,zeros,x,1,10,2.3,1")).contains("seed 'x', expected a whole number");
        assertThat(error(RunsCsv.HEADER + "\ndl4j,zeros,1,1,0.1x,2.3,1")).contains("validation_accuracy '0.1x', expected a number");
        assertThat(error(RunsCsv.HEADER + "\ndl4j,zeros,1,1,101,2.3,1")).contains("expected a percentage in [0, 100]");
        assertThat(error(RunsCsv.HEADER + "\ndl4j,zeros,1,1,10,2.3,1\ndl4j,zeros,1,1,11,2.3,1")).contains("line 3")
                .contains("dl4j zeros seed 1 epoch 1 appears twice");
        assertThatThrownBy(() -> RunsCsv.read(tmp.resolve("missing.csv"))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("missing.csv: runs CSV not found");
    }

    private String error(String content) throws IOException {
        Path csv = tmp.resolve("bad.csv");
        Files.writeString(csv, content);
        try {
            RunsCsv.read(csv);
        } catch (IllegalArgumentException e) {
            assertThat(e.getMessage()).startsWith(csv.toString());
            return e.getMessage();
        }
        throw new AssertionError("no error for " + content);
    }
}
