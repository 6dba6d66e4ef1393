package io.github.dl4jinit.examples;

import org.nd4j.linalg.factory.Nd4j;

/** Sets how many threads ND4J's native ops and BLAS use. */
final class Threads {
    private Threads() {
    }

    /**
     * @param n threads, or 0 to keep ND4J's default. OpenMP busy-waits between ops, so on a machine
     *          whose cores are shared with other work, fewer threads than cores is much faster.
     */
    static void set(int n) {
        if (n < 0) {
            throw new IllegalArgumentException("--nd4j-threads: " + n + ", expected 0 (default) or a positive number");
        }
        if (n > 0) {
            Nd4j.getEnvironment().setMaxMasterThreads(n);
            Nd4j.getEnvironment().setMaxThreads(n);
            Nd4j.factory().blas().setMaxThreads(n);
        }
    }
}
