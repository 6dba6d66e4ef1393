package io.github.dl4jinit.examples.cpu;

import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.nativeblas.NativeOpsHolder;

/**
 * Sets how many threads ND4J's native ops and BLAS use on the calling thread. OpenBLAS is built with
 * OpenMP and takes a call's thread count from the calling thread's OpenMP setting, which ND4J's
 * {@code blas().setMaxThreads} leaves alone, so that is set here too.
 */
public final class Nd4jThreads {
    private Nd4jThreads() {
    }

    /**
     * @param n threads, or 0 to keep ND4J's default. OpenMP busy-waits between ops, so on a machine
     *          whose cores are shared with other work, fewer threads than cores is much faster.
     */
    public static void set(int n) {
        if (n < 0) {
            throw new IllegalArgumentException("--nd4j-threads: " + n + ", expected 0 (default) or a positive number");
        }
        if (n > 0) {
            Nd4j.getEnvironment().setMaxMasterThreads(n);
            Nd4j.getEnvironment().setMaxThreads(n);
            Nd4j.factory().blas().setMaxThreads(n);
            NativeOpsHolder.getInstance().getDeviceNativeOps().setOmpNumThreads(n);
        }
    }
}
