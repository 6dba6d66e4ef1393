package io.github.dl4jinit.internal;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.shape.Shape;
import org.nd4j.linalg.factory.Nd4j;

import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import java.nio.IntBuffer;
import java.util.Arrays;
import java.util.Comparator;

/**
 * Low-level helpers to move values between Java arrays and ND4J arrays in a chosen element order
 * without going element by element through {@link INDArray}.
 *
 * <p>On the CPU backend a C-contiguous target is written through its NIO buffer (one memory copy);
 * everywhere else (other backends, strided views) the values are wrapped in a temporary C-order array
 * and copied in with {@link INDArray#assign(INDArray)}.
 *
 * <p>This package is internal: its API may change without notice.
 */
public final class DenseViews {
    private static final boolean CPU_BACKEND =
            Nd4j.getBackend().getClass().getName().toLowerCase().contains("cpu");

    private DenseViews() {
    }

    /** True where arrays live in host memory that Java may write through NIO buffers (the CPU backend). */
    public static boolean hostMemory() {
        return CPU_BACKEND;
    }

    /** True if the array's strides are exactly C-order strides for its shape (size-1 axes ignored). */
    public static boolean isCContiguous(INDArray a) {
        long[] shape = a.shape();
        long[] stride = a.stride();
        long expected = 1;
        for (int i = shape.length - 1; i >= 0; i--) {
            if (shape[i] != 1) {
                if (stride[i] != expected) {
                    return false;
                }
                expected *= shape[i];
            }
        }
        return true;
    }

    /**
     * A C-order view of {@code a} with the given shape, sharing its memory, if {@code a} is
     * C-contiguous; otherwise {@code null}.
     */
    public static INDArray asCOrderView(INDArray a, long[] shape) {
        if (!isCContiguous(a)) {
            return null;
        }
        if (Arrays.equals(a.shape(), shape) && a.ordering() == 'c') {
            return a;
        }
        if (a.length() == 0) {
            return null;
        }
        return Shape.newShapeNoCopy(a, shape, false);
    }

    /**
     * The same array with its axes permuted so that strides decrease: iterating the result in C
     * order visits memory in increasing address order for any dense array, c, f or permuted.
     */
    public static INDArray memoryOrdered(INDArray a) {
        int rank = a.rank();
        if (rank < 2) {
            return a;
        }
        long[] stride = a.stride();
        Integer[] axes = new Integer[rank];
        for (int i = 0; i < rank; i++) {
            axes[i] = i;
        }
        Arrays.sort(axes, Comparator.comparingLong((Integer i) -> -Math.abs(stride[i])));
        int[] perm = new int[rank];
        boolean identity = true;
        for (int i = 0; i < rank; i++) {
            perm[i] = axes[i];
            identity &= perm[i] == i;
        }
        return identity ? a : a.permute(perm);
    }

    /**
     * The float buffer of {@code target} positioned at its first element, to be written in place in C
     * order, if the array is a C-contiguous float array on the CPU backend; otherwise {@code null}.
     */
    public static FloatBuffer writableFloats(INDArray target) {
        if (target.dataType() == DataType.FLOAT && CPU_BACKEND && isCContiguous(target)) {
            // slice(): absolute index 0 is the array's first element, whatever the view's offset
            return target.data().asNioFloat().slice();
        }
        return null;
    }

    /**
     * The same memory as {@link #writableFloats}, seen as ints (a float's raw bits), or null where
     * {@link #writableFloats} is null.
     */
    public static IntBuffer writableFloatBits(INDArray target) {
        if (target.dataType() == DataType.FLOAT && CPU_BACKEND && isCContiguous(target)) {
            return target.data().asNioInt().slice();
        }
        return null;
    }

    /** Writes {@code values} into {@code target} in C order of {@code target}. */
    public static void write(INDArray target, float[] values) {
        if (target.dataType() == DataType.FLOAT && CPU_BACKEND && isCContiguous(target)) {
            FloatBuffer fb = target.data().asNioFloat();
            fb.put(values, 0, (int) target.length());
            return;
        }
        int n = (int) target.length();
        target.assign(Nd4j.create(values.length == n ? values : Arrays.copyOf(values, n), target.shape(), 'c'));
    }

    /** Writes {@code values} into {@code target} in C order of {@code target}. */
    public static void write(INDArray target, double[] values) {
        if (target.dataType() == DataType.DOUBLE && CPU_BACKEND && isCContiguous(target)) {
            DoubleBuffer db = target.data().asNioDouble();
            db.put(values, 0, (int) target.length());
            return;
        }
        int n = (int) target.length();
        target.assign(Nd4j.create(values.length == n ? values : Arrays.copyOf(values, n), target.shape(), 'c'));
    }

    /** Reads {@code source} in its C order into a new float array. */
    public static float[] readFloats(INDArray source) {
        if (source.dataType() == DataType.FLOAT && CPU_BACKEND && isCContiguous(source)) {
            float[] out = new float[(int) source.length()];
            source.data().asNioFloat().get(out);
            return out;
        }
        return source.dup('c').castTo(DataType.FLOAT).data().asFloat();
    }

    /** Reads {@code source} in its C order into a new double array. */
    public static double[] readDoubles(INDArray source) {
        if (source.dataType() == DataType.DOUBLE && CPU_BACKEND && isCContiguous(source)) {
            double[] out = new double[(int) source.length()];
            source.data().asNioDouble().get(out);
            return out;
        }
        return source.dup('c').castTo(DataType.DOUBLE).data().asDouble();
    }
}
