package io.github.dl4jinit.sampling;

import java.nio.FloatBuffer;

/**
 * The float {@code normal_} of 16 or more elements as a {@link ChunkPipeline}: the calling thread
 * draws the uniforms serially, a chunk at a time, while helper threads transform the chunks already
 * drawn with {@link BoxMullerAvx2#fillBlocks}.
 */
final class NormalPipeline extends ChunkPipeline {
    /** Below this many blocks of 16 the fill runs on the calling thread alone: helpers would cost more than they save. */
    private static final int PARALLEL_MIN_BLOCKS = 512;
    /**
     * Blocks of 16 per chunk: 8 Ki values, 32 KiB, which stay in a core's L1 cache from the draw to the
     * transform; smaller chunks let a helper start sooner and leave less for the caller at the end.
     */
    private static final int CHUNK_BLOCKS = 512;
    private static final ThreadLocal<float[]> CHUNK_SCRATCH = ThreadLocal.withInitial(() -> new float[CHUNK_BLOCKS * 16]);

    private final Mt19937 mt;
    private final int blocks;
    private final float mean;
    private final float std;
    private final float[] out;
    private final FloatBuffer buf;
    /** Without an array, each chunk is drawn into this scratch and copied into the buffer. */
    private final float[] drawScratch;

    private NormalPipeline(Mt19937 mt, int blocks, float mean, float std, float[] out, FloatBuffer buf) {
        super((blocks + CHUNK_BLOCKS - 1) / CHUNK_BLOCKS);
        this.mt = mt;
        this.blocks = blocks;
        this.mean = mean;
        this.std = std;
        this.out = out;
        this.buf = buf;
        this.drawScratch = out == null ? new float[Math.min(blocks, CHUNK_BLOCKS) * 16] : null;
    }

    /**
     * PyTorch's float {@code normal_} of {@code n >= 16} elements, in place into {@code out} when it
     * is given, else into {@code buf} (absolute indices from 0): {@code n} uniforms in order, each
     * complete block of 16 transformed, then, if {@code n % 16 != 0}, 16 more uniforms transformed into
     * the last 16 elements (overwriting the end of the last block).
     */
    static void fill(Mt19937 mt, int n, float mean, float std, float[] out, FloatBuffer buf) {
        int blocks = n / 16;
        new NormalPipeline(mt, blocks, mean, std, out, buf).run(blocks >= PARALLEL_MIN_BLOCKS);
        if (n % 16 != 0) {
            float[] tail = new float[16];
            // the uniforms of elements [16·blocks, n) are drawn and then overwritten, as in PyTorch
            mt.drawFloat24(tail, 0, n % 16);
            mt.drawFloat24(tail, 0, 16);
            BoxMullerAvx2.fill16(tail, 0, mean, std);
            if (out != null) {
                System.arraycopy(tail, 0, out, n - 16, 16);
            } else {
                ((FloatBuffer) buf.duplicate().position(n - 16)).put(tail);
            }
        }
    }

    @Override
    void draw(int c) {
        int from = c * CHUNK_BLOCKS * 16;
        int to = Math.min(blocks, (c + 1) * CHUNK_BLOCKS) * 16;
        if (out != null) {
            mt.drawFloat24(out, from, to);
        } else {
            mt.drawFloat24(drawScratch, 0, to - from);
            ((FloatBuffer) buf.duplicate().position(from)).put(drawScratch, 0, to - from);
        }
    }

    @Override
    void transform(int c) {
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
