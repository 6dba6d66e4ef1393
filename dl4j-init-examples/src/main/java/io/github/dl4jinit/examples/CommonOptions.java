package io.github.dl4jinit.examples;

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

    @Option(names = "--threads", defaultValue = "1",
            description = "ND4J/BLAS threads (default: ${DEFAULT-VALUE}; 0: ND4J's default, all cores). The examples'"
                    + " networks are small: OpenMP's busy waiting between their many short ops costs more than"
                    + " the threads gain (train-cnn: 24 s per epoch on 1 thread, 53 s on 2 cores).")
    int threads;

    @Option(names = "--out", defaultValue = "dl4j-init-output", paramLabel = "DIR",
            description = "Output folder, created if needed (default: ${DEFAULT-VALUE}).")
    Path out;

    /** Applies --threads and loads the data that --data / --shipped-subset choose. */
    DataSource prepare() {
        Threads.set(threads);
        if (shippedSubset && data != null) {
            throw new IllegalArgumentException("--shipped-subset and --data " + data + " exclude each other");
        }
        return shippedSubset ? DataSource.shippedSubset() : DataSource.resolve(data);
    }
}
