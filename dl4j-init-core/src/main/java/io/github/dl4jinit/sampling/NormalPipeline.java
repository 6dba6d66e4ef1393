package io.github.dl4jinit.sampling;

import java.nio.FloatBuffer;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinTask;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The float {@code normal_} of 16 or more elements as a pipeline: the calling thread draws the
 * uniforms serially, a chunk at a time, while helper threads transform the chunks already drawn with
 * {@link BoxMullerAvx2#fillBlocks}. Every chunk's values are fixed by the stream alone, so the result
 * does not depend on the number of threads or on their timing.
 */
final class NormalPipeline {
    /** Below this many blocks of 16 the fill runs on the calling thread alone: helpers would cost more than they save. */
    private static final int PARALLEL_MIN_BLOCKS = 4096;
    /** Blocks of 16 per chunk: 64 Ki values, 256 KiB, small enough to stay in a core's cache. */
    private static final int CHUNK_BLOCKS = 4096;
    private static final ThreadLocal<float[]> CHUNK_SCRATCH = ThreadLocal.withInitial(() -> new float[CHUNK_BLOCKS * 16]);

    private final int blocks;
    private final float mean;
    private final float std;
    private final float[] out;
    private final FloatBuffer buf;
    private final AtomicInteger claimed = new AtomicInteger();
    private final CountDownLatch transformed;
    private volatile Throwable failure;
    private volatile int drawn;

    private NormalPipeline(int chunks, int blocks, float mean, float std, float[] out, FloatBuffer buf) {
        this.blocks = blocks;
        this.mean = mean;
        this.std = std;
        this.out = out;
        this.buf = buf;
        this.transformed = new CountDownLatch(chunks);
    }

    /**
     * PyTorch's float {@code normal_} of {@code n >= 16} elements, in place into {@code out} when it
     * is given, else into {@code buf} (absolute indices from 0): {@code n} uniforms in order, each
     * complete block of 16 transformed, then, if {@code n % 16 != 0}, 16 more uniforms transformed into
     * the last 16 elements (overwriting the end of the last block). Helpers come from the caller's
     * fork-join pool if it runs in one, else from the common pool.
     */
    static void fill(Mt19937 mt, int n, float mean, float std, float[] out, FloatBuffer buf) {
        int blocks = n / 16;
        int chunks = (blocks + CHUNK_BLOCKS - 1) / CHUNK_BLOCKS;
        // without an array, each chunk is drawn into this scratch and copied into the buffer
        float[] scratch = out == null ? new float[Math.min(blocks, CHUNK_BLOCKS) * 16] : null;
        boolean inPool = ForkJoinTask.inForkJoinPool();
        ForkJoinPool pool = inPool ? ForkJoinTask.getPool() : ForkJoinPool.commonPool();
        boolean helped = blocks >= PARALLEL_MIN_BLOCKS && chunks > 1
                && pool.getParallelism() - (inPool ? 1 : 0) > 0 && Runtime.getRuntime().availableProcessors() > 1;
        NormalPipeline pipe = new NormalPipeline(chunks, blocks, mean, std, out, buf);
        for (int c = 0; c < chunks; c++) {
            int from = c * CHUNK_BLOCKS * 16;
            int to = Math.min(blocks, (c + 1) * CHUNK_BLOCKS) * 16;
            if (out != null) {
                mt.drawFloat24(out, from, to);
            } else {
                mt.drawFloat24(scratch, 0, to - from);
                ((FloatBuffer) buf.duplicate().position(from)).put(scratch, 0, to - from);
            }
            pipe.drawn = c + 1; // volatile write: publishes the chunk to the helpers
            if (helped) {
                // a task per drawn chunk: a helper takes what is drawn and returns, so none waits spinning
                pool.execute(pipe::transformDrawn);
            }
        }
        float[] tail = null;
        if (n % 16 != 0) {
            tail = new float[16];
            // the uniforms of elements [16·blocks, n) are drawn and then overwritten, as in PyTorch
            mt.drawFloat24(tail, 0, n % 16);
            mt.drawFloat24(tail, 0, 16);
            BoxMullerAvx2.fill16(tail, 0, mean, std);
        }
        pipe.transformDrawn();
        pipe.awaitTransformed();
        if (tail != null) {
            if (out != null) {
                System.arraycopy(tail, 0, out, n - 16, 16);
            } else {
                ((FloatBuffer) buf.duplicate().position(n - 16)).put(tail);
            }
        }
    }

    /** Transforms the drawn chunks that nobody has claimed yet; returns when none is left. */
    private void transformDrawn() {
        for (int c = claimed.get(); c < drawn; c = claimed.get()) {
            if (!claimed.compareAndSet(c, c + 1)) {
                continue;
            }
            try {
                transform(c);
            } catch (Throwable t) {
                failure = t;
            } finally {
                transformed.countDown();
            }
        }
    }

    /** Waits until every chunk is transformed (the caller has claimed all unclaimed ones first). */
    private void awaitTransformed() {
        boolean interrupted = false;
        while (true) {
            try {
                transformed.await();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        if (failure != null) {
            throw new IllegalStateException("normal_ block transform failed", failure);
        }
    }

    private void transform(int c) {
        int fromBlock = c * CHUNK_BLOCKS;
        int toBlock = Math.min(blocks, fromBlock + CHUNK_BLOCKS);
        if (out != null) {
            BoxMullerAvx2.fillBlocks(out, fromBlock, toBlock, mean, std);
        } else {
            // through a scratch array per thread, reused: no garbage per chunk
            float[] t = CHUNK_SCRATCH.get();
            int len = (toBlock - fromBlock) * 16;
            ((FloatBuffer) buf.duplicate().position(fromBlock * 16)).get(t, 0, len);
            BoxMullerAvx2.fillBlocks(t, 0, toBlock - fromBlock, mean, std);
            ((FloatBuffer) buf.duplicate().position(fromBlock * 16)).put(t, 0, len);
        }
    }
}
