package io.github.dl4jinit.examples.cpu;

import org.nd4j.nativeblas.NativeOpsHolder;

import java.util.concurrent.ForkJoinWorkerThread;
import java.util.stream.IntStream;

/**
 * Splits the examples' layer helpers' loops over the samples of a batch into contiguous chunks that
 * run at once, on the calling thread and the common fork-join pool's workers. ND4J's own ops run on
 * their own (OpenMP) threads, set apart by {@link Nd4jThreads}.
 */
public final class Parallel {
    /** The fewest array elements {@link #forItems} gives a chunk (a few microseconds of work). */
    static final int MIN_ELEMENTS_PER_CHUNK = 8192;
    private static volatile int threads = 1;
    /**
     * OpenBLAS takes its thread count for a call from OpenMP's setting, which each thread keeps for
     * itself: a pool worker's sgemm would start a team of OpenMP threads of its own, which then
     * busy-wait on the cores the chunks need. Each pool worker that runs a chunk is set to one OpenMP
     * thread, once; the calling thread keeps what {@link Nd4jThreads} gave it ({@code --nd4j-threads},
     * default 1).
     */
    private static final ThreadLocal<Boolean> ONE_OPENMP_THREAD = ThreadLocal.withInitial(() -> {
        NativeOpsHolder.getInstance().getDeviceNativeOps().setOmpNumThreads(1);
        return Boolean.TRUE;
    });

    private Parallel() {
    }

    /** The body of one chunk: items {@code [from, to)}, chunk number {@code chunk} (from 0, one less than the number of chunks at most). */
    interface Chunk {
        void run(int chunk, int from, int to);
    }

    /** Sets how many threads a loop is split between (see {@link #chunks}). */
    public static void setThreads(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("threads: " + n + ", expected a positive number");
        }
        threads = n;
    }

    static int threads() {
        return threads;
    }

    /**
     * How many chunks a loop over {@code n} items is cut into: two per thread when there are several,
     * so that a thread that starts late (a pool worker waking up) takes fewer of them instead of
     * holding the others up at the join.
     */
    static int chunks(int n) {
        return Math.max(1, Math.min(threads == 1 ? 1 : 2 * threads, n));
    }

    /** Runs {@code body} on {@link #chunks(int)} contiguous, nearly equal chunks of {@code [0, n)}, at once. */
    static void forChunks(int n, Chunk body) {
        forChunks(n, chunks(n), body);
    }

    /**
     * Like {@link #forChunks(int, Chunk)} for a loop over {@code n} items of {@code elementsPerItem}
     * array elements each, with cheap work per element: chunks of at least
     * {@link #MIN_ELEMENTS_PER_CHUNK} elements, so that a small array is not handed to a pool worker
     * for less work than waking it up costs.
     */
    static void forItems(int n, int elementsPerItem, Chunk body) {
        long elements = (long) n * elementsPerItem;
        forChunks(n, (int) Math.max(1, Math.min(chunks(n), elements / MIN_ELEMENTS_PER_CHUNK)), body);
    }

    /** {@link #forItems} over the {@code n} elements of an array. */
    static void forElements(int n, Chunk body) {
        forItems(n, 1, body);
    }

    private static void forChunks(int n, int c, Chunk body) {
        if (c == 1) {
            body.run(0, 0, n);
            return;
        }
        IntStream.range(0, c).parallel().forEach(i -> {
            if (Thread.currentThread() instanceof ForkJoinWorkerThread) {
                ONE_OPENMP_THREAD.get();
            }
            body.run(i, (int) ((long) n * i / c), (int) ((long) n * (i + 1) / c));
        });
    }
}
