package io.github.dl4jinit.examples.cpu;

import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.Arrays;

/**
 * Reusable float arrays of one layer helper, one per slot, grown on demand and never shrunk. Layer
 * helpers run every iteration on arrays of the same sizes; allocating them afresh cost more than the
 * arithmetic (G1 allocates arrays over half a heap region as humongous objects, and fresh memory
 * costs page faults). A slot's array may be longer than asked for, and its contents are whatever the
 * last user left, except from {@link #zeros}.
 */
final class Scratch {
    private final float[][] arrays;

    Scratch(int slots) {
        arrays = new float[slots][0];
    }

    /** Slot {@code slot}'s array, at least {@code size} long, contents unspecified. */
    float[] get(int slot, int size) {
        if (arrays[slot].length < size) {
            arrays[slot] = new float[size];
        }
        return arrays[slot];
    }

    /** Slot {@code slot}'s array with its first {@code size} elements set to 0. */
    float[] zeros(int slot, int size) {
        float[] a = get(slot, size);
        Arrays.fill(a, 0, size, 0f);
        return a;
    }

    /** Slot {@code slot}'s array holding {@code a}'s elements in C order (one bulk copy). */
    float[] read(int slot, INDArray a) {
        INDArray c = NativeArrays.contiguous(a);
        int n = Math.toIntExact(c.length());
        float[] f = get(slot, n);
        NativeArrays.at(c, 0).get(f, 0, n);
        return f;
    }
}
