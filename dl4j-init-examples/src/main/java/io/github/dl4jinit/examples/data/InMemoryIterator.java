package io.github.dl4jinit.examples.data;

import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.DataSetPreProcessor;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.nd4j.linalg.factory.Nd4j;

import java.util.List;
import java.util.NoSuchElementException;
import java.util.Random;
import java.util.stream.IntStream;

/**
 * Mini-batches over an in-memory {@link MnistData}: features {@code [batch, rows*cols]} (flat, for
 * {@code InputType.convolutionalFlat} or dense input), one-hot labels {@code [batch, 10]}. With
 * shuffling, every {@link #reset()} draws a new permutation from a seeded generator, like PyTorch's
 * {@code DataLoader(shuffle=True)}. The last batch may be smaller ({@code drop_last=False}).
 * Supports asynchronous prefetch ({@code AsyncDataSetIterator}): batches are built off the training thread.
 */
public final class InMemoryIterator implements DataSetIterator {
    private static final long serialVersionUID = 1L;

    private final MnistData data;
    private final int batchSize;
    private final boolean shuffle;
    private final Random random;
    private final int[] order;
    private int cursor;
    private transient DataSetPreProcessor preProcessor;

    /** @param seed seeds the shuffling (ignored without it) */
    public InMemoryIterator(MnistData data, int batchSize, boolean shuffle, long seed) {
        if (batchSize <= 0) {
            throw new IllegalArgumentException("batchSize: " + batchSize + ", expected > 0");
        }
        this.data = data;
        this.batchSize = batchSize;
        this.shuffle = shuffle;
        this.random = new Random(seed);
        this.order = IntStream.range(0, data.size()).toArray();
        reset();
    }

    /** Number of batches per pass. */
    public int batchesPerEpoch() {
        return (data.size() + batchSize - 1) / batchSize;
    }

    @Override
    public DataSet next(int num) {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        int n = Math.min(num, data.size() - cursor);
        int f = data.features();
        float[] x = new float[n * f];
        float[] y = new float[n * MnistData.NUM_CLASSES];
        float[] px = data.pixels();
        int[] labels = data.labels();
        for (int i = 0; i < n; i++) {
            int src = order[cursor + i];
            System.arraycopy(px, src * f, x, i * f, f);
            y[i * MnistData.NUM_CLASSES + labels[src]] = 1f;
        }
        cursor += n;
        DataSet ds = new DataSet(Nd4j.create(x, new long[]{n, f}, 'c'),
                Nd4j.create(y, new long[]{n, MnistData.NUM_CLASSES}, 'c'));
        if (preProcessor != null) {
            preProcessor.preProcess(ds);
        }
        return ds;
    }

    @Override
    public DataSet next() {
        return next(batchSize);
    }

    @Override
    public boolean hasNext() {
        return cursor < data.size();
    }

    @Override
    public int inputColumns() {
        return data.features();
    }

    @Override
    public int totalOutcomes() {
        return MnistData.NUM_CLASSES;
    }

    @Override
    public boolean resetSupported() {
        return true;
    }

    @Override
    public boolean asyncSupported() {
        return true;
    }

    @Override
    public void reset() {
        cursor = 0;
        if (shuffle) {
            for (int i = order.length - 1; i > 0; i--) {
                int j = random.nextInt(i + 1);
                int t = order[i];
                order[i] = order[j];
                order[j] = t;
            }
        }
    }

    @Override
    public int batch() {
        return batchSize;
    }

    @Override
    public void setPreProcessor(DataSetPreProcessor preProcessor) {
        this.preProcessor = preProcessor;
    }

    @Override
    public DataSetPreProcessor getPreProcessor() {
        return preProcessor;
    }

    @Override
    public List<String> getLabels() {
        return null;
    }
}
