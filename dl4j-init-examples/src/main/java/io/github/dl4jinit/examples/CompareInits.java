package io.github.dl4jinit.examples;

import io.github.dl4jinit.examples.data.DataSource;
import io.github.dl4jinit.examples.data.MnistData;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;

/**
 * {@code compare-inits}: the same MLP trained once per initialization scheme, or with {@code --seeds N}
 * N times per scheme, reported as distributions beside the PyTorch twin's and the published figures.
 */
@Command(name = "compare-inits", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Trains an MLP 784-256-128-10 (ReLU, dropout 0.2 after each hidden layer, Adam lr 0.001, batch 100)"
                + " once per scheme, with biases 0"
                + " (except torch-default, which keeps PyTorch's biases), on the first 80 %% of the training file, validating"
                        + " on the last 20 %% (48,000 / 12,000 for Fashion-MNIST).",
                "",
                "Writes compare-inits.md (validation accuracy and last training loss per scheme), compare-inits.png"
                        + " (every training-loss curve) and compare-inits.csv to --out.",
                "",
                "With --seeds N: every scheme N times (seeds --seed ... --seed + N - 1; a seed changes initialization,"
                        + " dropout and shuffling, the split stays fixed) and writes compare-inits-runs.csv (every run,"
                        + " one row per epoch, appended as each run finishes), compare-inits-seeds.md (mean and standard"
                        + " deviation of validation accuracy per scheme and epoch, beside the PyTorch twin's runs from"
                        + " --torch-csv and the published figures, with verdicts) and compare-inits-seeds.png."})
public final class CompareInits implements Callable<Integer> {
    /** Images LSUV measures variances on (the paper uses one mini-batch). */
    private static final int LSUV_BATCH = 500;

    @Option(names = "--schemes", split = ",", paramLabel = "NAME",
            description = "Comma-separated schemes (default: all): ${COMPLETION-CANDIDATES}.",
            converter = SchemeConverter.class, completionCandidates = SchemeConverter.Names.class)
    List<Scheme> schemes;

    @Option(names = "--epochs", defaultValue = "2", description = "Epochs per scheme (default: ${DEFAULT-VALUE}).")
    int epochs;

    @Option(names = "--batch-size", defaultValue = "100", description = "Mini-batch size (default: ${DEFAULT-VALUE}).")
    int batchSize;

    @Option(names = "--lr", defaultValue = "0.001", description = "Adam learning rate (default: ${DEFAULT-VALUE}).")
    double lr;

    @Option(names = "--seed", defaultValue = "42", description = "Seed of initialization, dropout and shuffling (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--seeds", paramLabel = "N",
            description = "Train every scheme N times, with seeds --seed, --seed + 1, ..., and report distributions"
                    + " (default: one run per scheme).")
    Integer seeds;

    @Option(names = "--torch-csv", paramLabel = "FILE",
            description = "With --seeds: the PyTorch twin's runs (python/compare_inits_torch.py --seeds N --csv FILE),"
                    + " shown beside DL4J's.")
    Path torchCsv;

    @Option(names = "--max-train", defaultValue = "0", description = "Use only the first N images of the training file before the 80/20 split (0: all).")
    int maxTrain;

    @Option(names = "--max-iterations", defaultValue = "0", description = "Stop each epoch after N iterations (0: full epochs).")
    int maxIterations;

    @Mixin
    CommonOptions common;

    @Override
    public Integer call() throws IOException {
        OptionChecks.positive("--epochs", epochs);
        OptionChecks.positive("--batch-size", batchSize);
        OptionChecks.positive("--lr", lr);
        OptionChecks.nonNegative("--max-train", maxTrain, "all");
        OptionChecks.nonNegative("--max-iterations", maxIterations, "full epochs");
        if (seeds != null) {
            OptionChecks.positive("--seeds", seeds);
        } else if (torchCsv != null) {
            throw new IllegalArgumentException("--torch-csv " + torchCsv + ": only used with --seeds N");
        }
        List<RunsCsv.Row> torchRuns = torchCsv == null ? List.of() : torchRuns(torchCsv);
        PrintStream stdout = System.out;
        List<Scheme> chosen = schemes == null || schemes.isEmpty() ? Arrays.asList(Scheme.values()) : schemes;
        DataSource source = common.prepare();
        Path out = common.out;
        MnistData all = source.train().limit(maxTrain);
        int nTrain = all.size() * 4 / 5;
        MnistData train = all.range(0, nTrain);
        MnistData validation = all.range(nTrain, all.size());
        stdout.println(source.summary());
        stdout.printf(Locale.ROOT, "Split of the training file: %d training, %d validation; %d epoch(s), schemes: %s%n",
                train.size(), validation.size(), epochs, chosen.stream().map(Scheme::cliName).collect(Collectors.joining(", ")));

        if (seeds != null) {
            return seedSweep(chosen, source, train, validation, torchRuns, stdout);
        }
        Map<Scheme, Training.History> runs = new LinkedHashMap<>();
        for (Scheme s : chosen) {
            MultiLayerNetwork net = Models.mlp(s, lr, seed, train.head(LSUV_BATCH));
            runs.put(s, Training.run(net, train, validation,
                    new Training.Options(epochs, batchSize, seed, maxIterations, 0, s.cliName()), stdout));
        }

        String table = table(runs, source, train.size(), validation.size());
        stdout.println();
        stdout.print(table);
        Files.createDirectories(out);
        Path md = out.resolve("compare-inits.md");
        Path png = out.resolve("compare-inits.png");
        Path csv = out.resolve("compare-inits.csv");
        Files.writeString(md, table);
        Map<String, Training.History> byLabel = new LinkedHashMap<>();
        runs.forEach((s, h) -> byLabel.put(s.label(), h));
        Plots.losses(byLabel, "compare-inits: training loss, MLP 784-256-128-10", png);
        try (PrintWriter w = new PrintWriter(Files.newBufferedWriter(csv))) {
            w.println("scheme,iteration,train_loss");
            runs.forEach((s, h) -> {
                for (int i = 0; i < h.losses.size(); i++) {
                    w.printf(Locale.ROOT, "%s,%d,%.6f%n", s.cliName(), h.lossIterations.get(i), h.losses.get(i));
                }
            });
            if (w.checkError()) {
                throw new IOException(csv + ": could not be written");
            }
        }
        stdout.println("Wrote " + md + ", " + png + " and " + csv);
        return 0;
    }

    /** {@code --seeds N}: the sweep, its runs CSV, and the report beside PyTorch's runs. */
    private int seedSweep(List<Scheme> chosen, DataSource source, MnistData train, MnistData validation,
                          List<RunsCsv.Row> torchRuns, PrintStream stdout) throws IOException {
        Path out = common.out;
        Files.createDirectories(out);
        Path csv = out.resolve("compare-inits-runs.csv");
        List<RunsCsv.Row> rows = new ArrayList<>();
        try (RunsCsv.Writer w = new RunsCsv.Writer(csv)) {
            rows.addAll(SeedSweep.run(chosen, seed, seeds, (s, runSeed, task) -> Training.run(
                    Models.mlp(s, lr, runSeed, train.head(LSUV_BATCH)), train, validation,
                    new Training.Options(epochs, batchSize, runSeed, maxIterations, 0, task), stdout), w));
        }
        rows.addAll(torchRuns);
        String data = String.format(Locale.ROOT, "Data: %s; %d training / %d validation images; DL4J runs: %s%s%n%n",
                source.description(), train.size(), validation.size(), csv.getFileName(),
                torchCsv == null ? "" : ", PyTorch runs: " + torchCsv.getFileName());
        return CompareInitsReport.write(SeedReport.of(rows), data, out, stdout, csv);
    }

    /** Reads and checks the PyTorch twin's runs before any training starts. */
    private static List<RunsCsv.Row> torchRuns(Path csv) throws IOException {
        List<RunsCsv.Row> rows = RunsCsv.read(csv);
        for (RunsCsv.Row r : rows) {
            if (!r.framework().equals(RunsCsv.PYTORCH)) {
                throw new IllegalArgumentException("--torch-csv " + csv + ": holds " + r.framework() + " rows, expected only "
                        + RunsCsv.PYTORCH + " rows (the twin script's --csv)");
            }
        }
        return rows;
    }

    static String table(Map<Scheme, Training.History> runs, DataSource source, int nTrain, int nValidation) {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "Data: %s; %d training / %d validation images%n%n",
                source.description(), nTrain, nValidation));
        sb.append("| scheme | validation accuracy | last training loss | seconds per epoch |\n");
        sb.append("|---|---:|---:|---:|\n");
        runs.forEach((s, h) -> sb.append(String.format(Locale.ROOT, "| %s | %.3f %% | %.4f | %.1f |%n",
                s.label(), h.lastAccuracy(), h.lastLoss(), h.meanEpochSeconds())));
        return sb.toString();
    }
}
