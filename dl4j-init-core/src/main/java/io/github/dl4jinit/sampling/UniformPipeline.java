package io.github.dl4jinit.sampling;

import java.nio.FloatBuffer;
import java.nio.IntBuffer;

/**
 * The float {@code uniform_} of a large dense tensor as a {@link ChunkPipeline}: the calling thread
 * twists the MT19937 state and copies its words, untempered, into the tensor's own memory, a chunk at
 * a time; helper threads turn each drawn chunk into floats in place ({@link Mt19937#uniformValues}).
 * The serial part is the twist alone, a fraction of the cost of the conversion to float.
 */
final class UniformPipeline extends ChunkPipeline {
    /** Below this many values the fill runs serially ({@link Mt19937#uniformFloats}): helpers would cost more than they save. */
    static final int PARALLEL_MIN = 1 << 16;
    /** Values per chunk: 8 Ki, 32 KiB, which stay in a core's L1 cache from the draw to the conversion. */
    private static final int CHUNK = 1 << 13;
    private static final ThreadLocal<int[]> WORDS = ThreadLocal.withInitial(() -> new int[CHUNK]);
    private static final ThreadLocal<float[]> VALUES = ThreadLocal.withInitial(() -> new float[CHUNK]);

    private final Mt19937 mt;
    private final int n;
    private final float from;
    private final float to;
    private final IntBuffer words;
    private final FloatBuffer values;

    private UniformPipeline(Mt19937 mt, int n, float from, float to, IntBuffer words, FloatBuffer values) {
        super((n + CHUNK - 1) / CHUNK);
        this.mt = mt;
        this.n = n;
        this.from = from;
        this.to = to;
        this.words = words;
        this.values = values;
    }

    /**
     * PyTorch's float {@code uniform_(from, to)} of the next {@code n} outputs into {@code values}
     * (absolute indices from 0); {@code words} must view the same memory as ints.
     */
    static void fill(Mt19937 mt, int n, float from, float to, IntBuffer words, FloatBuffer values) {
        if (n < PARALLEL_MIN) {
            mt.uniformFloats(values, n, from, to);
            return;
        }
        new UniformPipeline(mt, n, from, to, words, values).run(true);
    }

    @Override
    void draw(int c) {
        mt.drawWords(words, c * CHUNK, Math.min(n, (c + 1) * CHUNK));
    }

    @Override
    void transform(int c) {
        int start = c * CHUNK;
        int len = Math.min(n, start + CHUNK) - start;
        int[] w = WORDS.get();
        float[] v = VALUES.get();
        ((IntBuffer) words.duplicate().position(start)).get(w, 0, len);
        Mt19937.uniformValues(w, 0, v, len, from, to);
        ((FloatBuffer) values.duplicate().position(start)).put(v, 0, len);
    }
}
