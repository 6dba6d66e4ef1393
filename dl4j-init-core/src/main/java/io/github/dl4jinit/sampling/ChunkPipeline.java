package io.github.dl4jinit.sampling;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinTask;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A large exact fill as a pipeline: the calling thread draws the chunks from the generator's stream
 * in order ({@link #draw}), which only it may do, while helper threads transform the chunks already
 * drawn ({@link #transform}); the caller joins the transforms once it has drawn the last chunk. Each
 * chunk's values are fixed by the stream alone, so the result does not depend on the number of
 * threads or on their timing. Helpers come from the caller's fork-join pool if it runs in one, else
 * from the common pool.
 */
abstract class ChunkPipeline {
    private final int chunks;
    private final AtomicInteger claimed = new AtomicInteger();
    private final CountDownLatch transformed;
    private volatile Throwable failure;
    private volatile int drawn;

    ChunkPipeline(int chunks) {
        this.chunks = chunks;
        this.transformed = new CountDownLatch(chunks);
    }

    /** Draws chunk {@code c} from the stream; called on the calling thread, for c = 0, 1, ... in order. */
    abstract void draw(int c);

    /** Transforms chunk {@code c}, once drawn; called once per chunk, on any thread. */
    abstract void transform(int c);

    /**
     * Draws every chunk and returns when all are transformed. With {@code helped} false, or without a
     * second core or a pool thread to spare, the caller transforms them itself.
     */
    final void run(boolean helped) {
        boolean inPool = ForkJoinTask.inForkJoinPool();
        ForkJoinPool pool = inPool ? ForkJoinTask.getPool() : ForkJoinPool.commonPool();
        boolean helpers = helped && chunks > 1 && pool.getParallelism() - (inPool ? 1 : 0) > 0
                && Runtime.getRuntime().availableProcessors() > 1;
        for (int c = 0; c < chunks; c++) {
            draw(c);
            drawn = c + 1; // volatile write: publishes the chunk to the helpers
            if (helpers) {
                // a task per drawn chunk: a helper takes what is drawn and returns, so none waits spinning
                pool.execute(this::transformDrawn);
            }
        }
        transformDrawn();
        awaitTransformed();
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
            throw new IllegalStateException("transform of a drawn chunk failed", failure);
        }
    }
}
