package io.github.dl4jinit.examples.cpu;

import org.bytedeco.javacpp.FloatPointer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.shape.Shape;

/**
 * Bulk access to the native memory of float arrays for the Java layer helpers: one {@code memcpy}
 * instead of ND4J's element-by-element {@code Nd4j.create(float[])} or {@code getFloat} loops.
 */
final class NativeArrays {
    private NativeArrays() {
    }

    /** {@code a} itself when its elements are float and lie contiguously in C order, else such a copy. */
    static INDArray contiguous(INDArray a) {
        INDArray f = a.dataType() == DataType.FLOAT ? a : a.castTo(DataType.FLOAT);
        return f.ordering() == 'c' && Shape.hasDefaultStridesForShape(f) ? f : f.dup('c');
    }

    /**
     * A pointer to element {@code index} of the contiguous float array {@code a}. The buffer's
     * {@code addressPointer()} already points at the array's first element (its offset included).
     */
    static FloatPointer at(INDArray a, long index) {
        return new FloatPointer(a.data().addressPointer()).position(index);
    }

    /** A pointer {@code index} floats past {@code base}'s position. */
    static FloatPointer at(FloatPointer base, long index) {
        return new FloatPointer(base).position(base.position() + index);
    }

    /** All of {@code a}'s elements in C order. */
    static float[] floats(INDArray a) {
        INDArray c = contiguous(a);
        float[] f = new float[Math.toIntExact(c.length())];
        at(c, 0).get(f);
        return f;
    }

    /** Writes the first {@code target.length()} of {@code values} into {@code target} in C order. */
    static void write(float[] values, INDArray target) {
        long n = target.length();
        if (values.length < n) {
            throw new IllegalArgumentException("target has " + n + " elements, values only " + values.length);
        }
        INDArray c = contiguous(target);
        at(c, 0).put(values, 0, (int) n);
        if (c != target) {
            target.assign(c);
        }
    }
}
