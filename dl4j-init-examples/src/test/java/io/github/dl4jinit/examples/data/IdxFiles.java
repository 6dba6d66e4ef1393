package io.github.dl4jinit.examples.data;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;

/** Writes small, valid MNIST-format IDX files for tests, so each test can break exactly one thing. */
public final class IdxFiles {
    private IdxFiles() {
    }

    /** IDX images: {@code n} images of 28x28, pixel value = (index + 7 * image) mod 256. */
    public static byte[] images(int n) {
        ByteBuffer b = ByteBuffer.allocate(16 + n * 784);
        b.putInt(IdxReader.IMAGES_MAGIC).putInt(n).putInt(28).putInt(28);
        for (int i = 0; i < n; i++) {
            for (int p = 0; p < 784; p++) {
                b.put((byte) (p + 7 * i));
            }
        }
        return b.array();
    }

    /** IDX labels: label i mod 10. */
    public static byte[] labels(int n) {
        ByteBuffer b = ByteBuffer.allocate(8 + n);
        b.putInt(IdxReader.LABELS_MAGIC).putInt(n);
        for (int i = 0; i < n; i++) {
            b.put((byte) (i % 10));
        }
        return b.array();
    }

    public static byte[] gzip(byte[] raw) {
        try {
            ByteArrayOutputStream bos = new ByteArrayOutputStream();
            try (GZIPOutputStream gz = new GZIPOutputStream(bos)) {
                gz.write(raw);
            }
            return bos.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Writes the four standard files to {@code dir}, gzipped or plain. */
    public static void writeFolder(Path dir, int nTrain, int nTest, boolean gzipped) throws IOException {
        Files.createDirectories(dir);
        String ext = gzipped ? ".gz" : "";
        write(dir.resolve(DataSource.TRAIN_IMAGES + ext), images(nTrain), gzipped);
        write(dir.resolve(DataSource.TRAIN_LABELS + ext), labels(nTrain), gzipped);
        write(dir.resolve(DataSource.TEST_IMAGES + ext), images(nTest), gzipped);
        write(dir.resolve(DataSource.TEST_LABELS + ext), labels(nTest), gzipped);
    }

    private static void write(Path p, byte[] raw, boolean gzipped) throws IOException {
        Files.write(p, gzipped ? gzip(raw) : raw);
    }
}
