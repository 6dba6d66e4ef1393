package io.github.dl4jinit.sampling;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.nio.FloatBuffer;

/**
 * {@link TorchGenerator}'s stream, written into large dense float arrays in chunks: the same bits
 * as {@link TorchGenerator#uniform} (its {@code fillUniform} continues the stream across calls), without
 * a temporary array as large as the target. Everything else is delegated to the generator.
 */
public final class StreamingTorchSampler implements Sampler {
    private static final int CHUNK = 1 << 16;
    private static final boolean CPU_BACKEND =
            Nd4j.getBackend().getClass().getName().toLowerCase().contains("cpu");

    private final TorchGenerator generator;
    private final float[] chunk = new float[CHUNK];

    /** Streams from {@code generator}, which it advances. */
    public StreamingTorchSampler(TorchGenerator generator) {
        this.generator = generator;
    }

    @Override
    public void uniform(INDArray target, double from, double to) {
        long n = target.length();
        INDArray ordered = n > CHUNK ? DenseViews.memoryOrdered(target) : null;
        if (ordered == null || !CPU_BACKEND || target.dataType() != DataType.FLOAT
                || !DenseViews.isCContiguous(ordered) || n > Integer.MAX_VALUE) {
            generator.uniform(target, from, to);
            return;
        }
        // Bound checks and errors exactly as the generator's own path: run it on an empty array.
        generator.uniform(Nd4j.create(DataType.FLOAT, 0), from, to);
        FloatBuffer buffer = ordered.data().asNioFloat();
        for (long done = 0; done < n; done += CHUNK) {
            int len = (int) Math.min(CHUNK, n - done);
            float[] out = len == CHUNK ? chunk : new float[len];
            generator.fillUniform(out, from, to);
            buffer.put(out, 0, len);
        }
    }

    @Override
    public void normal(INDArray target, double mean, double std) {
        generator.normal(target, mean, std);
    }

    @Override
    public int[] permutation(int n) {
        return generator.permutation(n);
    }
}
