package io.github.dl4jinit.examples.data;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Function;

/**
 * Where the examples get MNIST-format data: a folder the user names, Debian's
 * {@code dataset-fashion-mnist} package, or the small Fashion-MNIST subset inside the jar.
 * Files are only read, never unpacked or moved (unlike DL4J's {@code MnistDataSetIterator}, which
 * deletes {@code .gz} files it unpacks).
 *
 * @param name        a short name for plot titles
 * @param description what was loaded, to print on screen
 * @param train       the training split
 * @param test        the test split
 */
public record DataSource(String name, String description, MnistData train, MnistData test) {
    /** Debian's {@code dataset-fashion-mnist} location (the only machine path this project names). */
    public static final Path DEBIAN_FASHION_MNIST = Path.of("/usr/share/datasets/fashion-mnist");
    /** Class-path folder of the shipped subset. */
    public static final String SUBSET_RESOURCE = "/io/github/dl4jinit/examples/fashion-mnist-subset/";

    static final String TRAIN_IMAGES = "train-images-idx3-ubyte";
    static final String TRAIN_LABELS = "train-labels-idx1-ubyte";
    static final String TEST_IMAGES = "t10k-images-idx3-ubyte";
    static final String TEST_LABELS = "t10k-labels-idx1-ubyte";

    /**
     * The data to use: {@code dir} when given; otherwise Debian's Fashion-MNIST when all four files are
     * installed; otherwise the subset in the jar.
     */
    public static DataSource resolve(Path dir) {
        return resolve(dir, DEBIAN_FASHION_MNIST);
    }

    /** {@link #resolve(Path)} with another place for the Debian package (tests). */
    static DataSource resolve(Path dir, Path debianDir) {
        if (dir != null) {
            return fromFolder(dir, "IDX files from " + dir.getFileName(), "MNIST-format IDX files from " + dir);
        }
        if (Files.isDirectory(debianDir) && hasAll(debianDir)) {
            return fromFolder(debianDir, "Fashion-MNIST", "Fashion-MNIST, full (Debian package dataset-fashion-mnist, "
                    + debianDir + ")");
        }
        return shippedSubset();
    }

    /** The Fashion-MNIST subset packaged in the jar (first 4,000 training and 1,000 test images). */
    public static DataSource shippedSubset() {
        return load("Fashion-MNIST subset", "Fashion-MNIST subset shipped in the jar", base -> {
            InputStream in = DataSource.class.getResourceAsStream(SUBSET_RESOURCE + base + ".gz");
            if (in == null) {
                throw new IdxFormatException("jar resource " + SUBSET_RESOURCE + base + ".gz", "missing from the jar");
            }
            return new Named("jar:" + base + ".gz", in);
        });
    }

    /** Reads the four standard files ({@code name} or {@code name.gz}) from {@code dir}. */
    public static DataSource fromFolder(Path dir, String name, String description) {
        if (!Files.exists(dir)) {
            throw new IdxFormatException(dir.toString(), "data folder does not exist");
        }
        if (!Files.isDirectory(dir)) {
            throw new IdxFormatException(dir.toString(), "is not a folder (--data expects the folder holding the IDX files)");
        }
        return load(name, description, base -> {
            Path file = find(dir, base);
            if (file == null) {
                throw new IdxFormatException(dir.resolve(base).toString(), "not found (nor " + base + ".gz)");
            }
            try {
                return new Named(file.toString(), Files.newInputStream(file));
            } catch (IOException e) {
                throw new IdxFormatException(file.toString(), "cannot be opened (" + e.getMessage() + ")", e);
            }
        });
    }

    private static boolean hasAll(Path dir) {
        for (String n : new String[]{TRAIN_IMAGES, TRAIN_LABELS, TEST_IMAGES, TEST_LABELS}) {
            if (find(dir, n) == null) {
                return false;
            }
        }
        return true;
    }

    private static Path find(Path dir, String name) {
        for (Path p : new Path[]{dir.resolve(name), dir.resolve(name + ".gz")}) {
            if (Files.isRegularFile(p)) {
                return p;
            }
        }
        return null;
    }

    private record Named(String name, InputStream in) {
    }

    private static DataSource load(String name, String description, Function<String, Named> open) {
        return new DataSource(name, description, split(open, TRAIN_IMAGES, TRAIN_LABELS), split(open, TEST_IMAGES, TEST_LABELS));
    }

    private static MnistData split(Function<String, Named> open, String images, String labels) {
        Named img = open.apply(images);
        IdxReader.Images im = IdxReader.readImages(img.name(), img.in());
        Named lab = open.apply(labels);
        int[] lb = IdxReader.readLabels(lab.name(), lab.in(), MnistData.NUM_CLASSES);
        return MnistData.of(im, lb, img.name(), lab.name());
    }

    /** One line for the screen: source and sizes. */
    public String summary() {
        return "Data: " + description + ": " + train.size() + " training, " + test.size() + " test images";
    }
}
