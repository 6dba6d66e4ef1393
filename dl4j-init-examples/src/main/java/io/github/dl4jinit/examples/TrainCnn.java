package io.github.dl4jinit.examples;

import io.github.dl4jinit.examples.cpu.JavaLayers.NetworkInputGradient;
import io.github.dl4jinit.examples.cpu.JavaLayers;
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
import java.util.Locale;
import java.util.concurrent.Callable;

/** {@code train-cnn}: trains the documented MNIST CNN with one initialization scheme. */
@Command(name = "train-cnn", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Trains the documented MNIST CNN (Conv 1->10 k5, pool, ReLU; Conv 10->20 k5, BatchNorm, pool, ReLU;"
                + " Dense 50, BatchNorm, ReLU; Dense 10, log-softmax + NLL) with Adam,"
                + " prints training loss and test accuracy per epoch, and writes train-cnn-<scheme>.png and .csv"
                        + " (loss and accuracy over iterations) to --out.",
                "",
                "Data: --data DIR, else Fashion-MNIST from " + "/usr/share/datasets/fashion-mnist"
                        + " when installed, else the Fashion-MNIST subset in the jar."})
public final class TrainCnn implements Callable<Integer> {
    /** Images LSUV measures variances on (the paper uses one mini-batch). */
    private static final int LSUV_BATCH = 500;

    @Option(names = "--scheme", defaultValue = "torch-default", paramLabel = "NAME",
            description = "Initialization scheme: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).",
            converter = SchemeConverter.class, completionCandidates = SchemeConverter.Names.class)
    Scheme scheme;

    @Option(names = "--epochs", defaultValue = "1", description = "Epochs (default: ${DEFAULT-VALUE}).")
    int epochs;

    @Option(names = "--batch-size", defaultValue = "64", description = "Mini-batch size (default: ${DEFAULT-VALUE}).")
    int batchSize;

    @Option(names = "--lr", defaultValue = "0.001", description = "Adam learning rate (default: ${DEFAULT-VALUE}).")
    double lr;

    @Option(names = "--seed", defaultValue = "42", description = "Seed of initialization and shuffling (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--max-train", defaultValue = "0", description = "Use only the first N training images (0: all).")
    int maxTrain;

    @Option(names = "--max-test", defaultValue = "0", description = "Use only the first N test images (0: all).")
    int maxTest;

    @Option(names = "--max-iterations", defaultValue = "0", description = "Stop each epoch after N iterations (0: full epochs).")
    int maxIterations;

    @Option(names = "--eval-every", defaultValue = "-1",
            description = "Evaluate test accuracy every N iterations as well as after each epoch (-1: 5 times per epoch, 0: epoch ends only).")
    int evalEvery;

    @Option(names = "--no-java-layers",
            description = "Train on DL4J's own convolution, max-pooling, BatchNorm and ReLU code instead of the examples'"
                    + " Java layer code, which is faster on the CPU and computes the same up to the order of float sums.")
    boolean noJavaLayers;

    @Mixin
    CommonOptions common;

    @Override
    public Integer call() throws IOException {
        OptionChecks.positive("--epochs", epochs);
        OptionChecks.positive("--batch-size", batchSize);
        OptionChecks.positive("--lr", lr);
        OptionChecks.nonNegative("--max-train", maxTrain, "all");
        OptionChecks.nonNegative("--max-test", maxTest, "all");
        OptionChecks.nonNegative("--max-iterations", maxIterations, "full epochs");
        if (evalEvery < -1) {
            throw new IllegalArgumentException("--eval-every: " + evalEvery
                    + ", expected -1 (5 times per epoch), 0 (epoch ends only) or a positive number");
        }
        PrintStream stdout = System.out;
        DataSource source = common.prepare();
        Path out = common.out;
        MnistData train = source.train().limit(maxTrain);
        MnistData test = source.test().limit(maxTest);
        stdout.println(source.summary() + (maxTrain > 0 || maxTest > 0
                ? String.format(Locale.ROOT, " (using %d training, %d test)", train.size(), test.size()) : ""));
        stdout.println("Scheme: " + scheme.label() + " (" + scheme.cliName() + "), Adam lr " + lr + ", batch " + batchSize
                + ", " + epochs + " epoch(s)");

        MultiLayerNetwork net = network(train, stdout);
        int batches = (train.size() + batchSize - 1) / batchSize;
        int perEpoch = maxIterations > 0 ? Math.min(maxIterations, batches) : batches;
        int every = evalEvery >= 0 ? evalEvery : Math.max(1, perEpoch / 5);
        Training.History h = Training.run(net, train, test,
                new Training.Options(epochs, batchSize, seed, maxIterations, every, "train-cnn"), stdout);

        Files.createDirectories(out);
        Path csv = out.resolve("train-cnn-" + scheme.cliName() + ".csv");
        Path png = out.resolve("train-cnn-" + scheme.cliName() + ".png");
        writeCsv(h, csv);
        Plots.lossAndAccuracy(h, "train-cnn: " + scheme.label() + ", " + source.name(), png);
        stdout.printf(Locale.ROOT, "Test accuracy %.2f %%, %.1f s per epoch (training only)%n", h.lastAccuracy(), h.meanEpochSeconds());
        stdout.println("Wrote " + csv + " and " + png);
        return 0;
    }

    /**
     * The CNN initialized with --scheme, with the Java layer code in place of DL4J's unless
     * --no-java-layers; one line on {@code out} says which layers run which code.
     */
    MultiLayerNetwork network(MnistData train, PrintStream out) {
        MultiLayerNetwork net = Models.cnn(scheme, lr, seed, train.head(LSUV_BATCH));
        if (noJavaLayers) {
            out.println("Layers: DL4J's own (--no-java-layers)");
            return net;
        }
        // Training only calls fit(), which discards the gradient at the network's input.
        JavaLayers.Installed installed = JavaLayers.install(net, NetworkInputGradient.SKIPPED);
        out.println("Java layers in place of DL4J's (--no-java-layers keeps DL4J's): " + installed);
        return net;
    }

    static void writeCsv(Training.History h, Path csv) throws IOException {
        try (PrintWriter w = new PrintWriter(Files.newBufferedWriter(csv))) {
            w.println("iteration,train_loss,test_accuracy");
            int a = 0;
            for (int i = 0; i < h.losses.size(); i++) {
                int it = h.lossIterations.get(i);
                String acc = "";
                if (a < h.accuracyIterations.size() && h.accuracyIterations.get(a) == it) {
                    acc = String.format(Locale.ROOT, "%.4f", h.accuracies.get(a++));
                }
                w.printf(Locale.ROOT, "%d,%.6f,%s%n", it, h.losses.get(i), acc);
            }
            // PrintWriter keeps write errors to itself.
            if (w.checkError()) {
                throw new IOException(csv + ": could not be written");
            }
        }
    }
}
