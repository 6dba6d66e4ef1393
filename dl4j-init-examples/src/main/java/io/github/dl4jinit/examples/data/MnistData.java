package io.github.dl4jinit.examples.data;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.Arrays;

/**
 * One split of an MNIST-format data set in memory: pixels scaled to [0, 1] (as torchvision's
 * {@code ToTensor}), row-major 28x28 per image, and class labels.
 */
public final class MnistData {
    /** Number of classes of MNIST and Fashion-MNIST. */
    public static final int NUM_CLASSES = 10;

    private final float[] pixels;
    private final int[] labels;
    private final int rows;
    private final int cols;

    /** @param pixels {@code labels.length * rows * cols} values in [0, 1] */
    public MnistData(float[] pixels, int[] labels, int rows, int cols) {
        if (pixels.length != (long) labels.length * rows * cols) {
            throw new IllegalArgumentException("pixels: " + pixels.length + " values, expected "
                    + labels.length + " x " + rows + " x " + cols);
        }
        this.pixels = pixels;
        this.labels = labels;
        this.rows = rows;
        this.cols = cols;
    }

    /** Builds a split from raw IDX content, checking that images and labels agree. */
    static MnistData of(IdxReader.Images images, int[] labels, String imagesName, String labelsName) {
        if (images.count() != labels.length) {
            throw new IdxFormatException(imagesName, images.count() + " images but " + labelsName
                    + " holds " + labels.length + " labels");
        }
        byte[] raw = images.pixels();
        float[] px = new float[raw.length];
        for (int i = 0; i < raw.length; i++) {
            px[i] = (raw[i] & 0xFF) / 255f;
        }
        return new MnistData(px, labels, images.rows(), images.cols());
    }

    /**
     * The first {@code n} images (fewer if the split is smaller) as a [n, rows·cols] float array: a
     * sample batch for data-dependent initialization.
     */
    public INDArray head(int n) {
        int m = Math.min(n, size());
        int f = features();
        return Nd4j.create(Arrays.copyOf(pixels, m * f), new long[]{m, f}, 'c');
    }

    /** One-hot labels of the first {@code n} examples, matching {@link #head(int)}. */
    public INDArray headLabels(int n) {
        int m = Math.min(n, size());
        float[] y = new float[m * NUM_CLASSES];
        for (int i = 0; i < m; i++) {
            y[i * NUM_CLASSES + labels[i]] = 1f;
        }
        return Nd4j.create(y, new long[]{m, NUM_CLASSES}, 'c');
    }

    /** Number of examples. */
    public int size() {
        return labels.length;
    }

    /** Pixels per image. */
    public int features() {
        return rows * cols;
    }

    /** Image height. */
    public int rows() {
        return rows;
    }

    /** Image width. */
    public int cols() {
        return cols;
    }

    /** The backing pixel array (not copied). */
    public float[] pixels() {
        return pixels;
    }

    /** The backing label array (not copied). */
    public int[] labels() {
        return labels;
    }

    /** Examples {@code [from, to)} as a new split. */
    public MnistData range(int from, int to) {
        if (from < 0 || to > size() || from > to) {
            throw new IllegalArgumentException("range [" + from + ", " + to + ") outside [0, " + size() + ")");
        }
        int f = features();
        return new MnistData(Arrays.copyOfRange(pixels, from * f, to * f), Arrays.copyOfRange(labels, from, to), rows, cols);
    }

    /** The first {@code n} examples (all of them when {@code n <= 0} or {@code n >= size()}). */
    public MnistData limit(int n) {
        return n <= 0 || n >= size() ? this : range(0, n);
    }
}
