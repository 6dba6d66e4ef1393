package io.github.dl4jinit.examples.data;

import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * Reads MNIST-format IDX files (http://yann.lecun.com/exdb/mnist/), gzipped or not: the gzip magic
 * bytes decide, not the file name. Only reads: the source is never modified.
 *
 * <p>Checks everything a damaged file can get wrong: gzip stream, magic number, dimensions, data
 * length (truncated or trailing bytes) and label range; each failure is an {@link IdxFormatException}
 * naming the file.
 */
public final class IdxReader {
    /** Magic number of an IDX file of unsigned bytes with 3 dimensions (images). */
    public static final int IMAGES_MAGIC = 0x00000803;
    /** Magic number of an IDX file of unsigned bytes with 1 dimension (labels). */
    public static final int LABELS_MAGIC = 0x00000801;

    private IdxReader() {
    }

    /** Images as read: {@code count} images of {@code rows x cols} unsigned bytes. */
    public record Images(int count, int rows, int cols, byte[] pixels) {
    }

    /** Reads an images file ({@link #IMAGES_MAGIC}). @param name the file as shown in errors */
    public static Images readImages(String name, InputStream in) {
        ByteBuffer b = ByteBuffer.wrap(content(name, in));
        int[] dims = header(name, b, IMAGES_MAGIC, 3);
        long expected = (long) dims[0] * dims[1] * dims[2];
        checkLength(name, b.remaining(), expected);
        byte[] pixels = new byte[(int) expected];
        b.get(pixels);
        return new Images(dims[0], dims[1], dims[2], pixels);
    }

    /** Reads a labels file ({@link #LABELS_MAGIC}); every label must be below {@code numClasses}. */
    public static int[] readLabels(String name, InputStream in, int numClasses) {
        ByteBuffer b = ByteBuffer.wrap(content(name, in));
        int[] dims = header(name, b, LABELS_MAGIC, 1);
        checkLength(name, b.remaining(), dims[0]);
        int[] labels = new int[dims[0]];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = b.get() & 0xFF;
            if (labels[i] >= numClasses) {
                throw new IdxFormatException(name, "label " + labels[i] + " at index " + i
                        + " is out of range, expected 0.." + (numClasses - 1));
            }
        }
        return labels;
    }

    private static byte[] content(String name, InputStream in) {
        try (InputStream raw = in) {
            byte[] bytes = raw.readAllBytes();
            if (bytes.length >= 2 && (bytes[0] & 0xFF) == 0x1f && (bytes[1] & 0xFF) == 0x8b) {
                try (GZIPInputStream gz = new GZIPInputStream(new ByteArrayInputStream(bytes))) {
                    return gz.readAllBytes();
                } catch (EOFException e) {
                    throw new IdxFormatException(name, "truncated gzip stream (the download or copy is incomplete)", e);
                } catch (ZipException e) {
                    throw new IdxFormatException(name, "corrupt gzip stream (" + e.getMessage() + ")", e);
                }
            }
            return bytes;
        } catch (IOException e) {
            throw new IdxFormatException(name, "cannot be read (" + e.getMessage() + ")", e);
        }
    }

    private static int[] header(String name, ByteBuffer b, int magic, int ndim) {
        if (b.remaining() < 4 + 4 * ndim) {
            throw new IdxFormatException(name, "too short for an IDX header (" + b.remaining() + " bytes)");
        }
        int actual = b.getInt();
        if (actual != magic) {
            throw new IdxFormatException(name, String.format(
                    "wrong magic number 0x%08x, expected 0x%08x (IDX %s of unsigned bytes)", actual, magic,
                    magic == IMAGES_MAGIC ? "images, 3 dimensions" : "labels, 1 dimension"));
        }
        int[] dims = new int[ndim];
        for (int i = 0; i < ndim; i++) {
            dims[i] = b.getInt();
            if (dims[i] <= 0) {
                throw new IdxFormatException(name, "dimension " + i + " is " + dims[i] + ", expected > 0");
            }
        }
        if (ndim == 3 && (long) dims[0] * dims[1] * dims[2] > Integer.MAX_VALUE - 8) {
            throw new IdxFormatException(name, "header announces an impossible size " + dims[0] + "x" + dims[1] + "x" + dims[2]);
        }
        return dims;
    }

    private static void checkLength(String name, long actual, long expected) {
        if (actual < expected) {
            throw new IdxFormatException(name, "truncated: " + actual + " data bytes, the header announces " + expected);
        }
        if (actual > expected) {
            throw new IdxFormatException(name, (actual - expected) + " unexpected bytes after the "
                    + expected + " data bytes the header announces");
        }
    }
}
