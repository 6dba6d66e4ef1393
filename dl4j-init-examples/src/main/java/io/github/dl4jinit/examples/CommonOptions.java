package io.github.dl4jinit.examples;

import io.github.dl4jinit.examples.cpu.Nd4jThreads;
import io.github.dl4jinit.examples.cpu.Parallel;
import io.github.dl4jinit.examples.data.DataSource;
import picocli.CommandLine.Option;

import java.nio.file.Path;

/**
 * The options every subcommand shares (a picocli mixin): where the data comes from, how many threads
 * ND4J uses, and where output goes.
 */
final class CommonOptions {

    @Option(names = "--data", paramLabel = "DIR",
            description = "Folder with {train,t10k}-{images-idx3,labels-idx1}-ubyte[.gz]; only read, never changed.")
    Path data;

    @Option(names = "--shipped-subset",
            description = "Use the Fashion-MNIST subset inside the jar even when Debian's data is installed.")
    boolean shippedSubset;

    @Option(names = "--threads", defaultValue = "0",
            description = "Threads of the Java layer code that train-cnn puts in place of DL4J's (convolution, BatchNorm,"
                    + " max pooling, ReLU), which splits each batch between them (default: ${DEFAULT-VALUE}, all cores).")
    int threads;

    @Option(names = "--nd4j-threads", defaultValue = "1",
            description = "ND4J/BLAS threads for everything else (default: ${DEFAULT-VALUE}; 0: ND4J's default, all"
                    + " cores). The examples' networks are small: OpenMP's busy waiting between their many short ops"
                    + " costs more than more threads gain.")
    int nd4jThreads;

    @Option(names = "--out", defaultValue = "dl4j-init-output", paramLabel = "DIR",
            description = "Output folder, created if needed (default: ${DEFAULT-VALUE}).")
    Path out;

    /**
     * Checks --out (before any work, so that an unusable folder is not found after training), applies
     * --threads and --nd4j-threads and loads the data that --data / --shipped-subset choose.
     */
    DataSource prepare() {
        OptionChecks.outputFolder("--out", out);
        if (threads < 0) {
            throw new IllegalArgumentException("--threads: " + threads + ", expected 0 (all cores) or a positive number");
        }
        Nd4jThreads.set(nd4jThreads);
        Parallel.setThreads(threads == 0 ? Runtime.getRuntime().availableProcessors() : threads);
        if (shippedSubset && data != null) {
            throw new IllegalArgumentException("--shipped-subset and --data " + data + " exclude each other");
        }
        return shippedSubset ? DataSource.shippedSubset() : DataSource.resolve(data);
    }
}
