package io.github.dl4jinit.sampling;

import io.github.dl4jinit.internal.Args;

import java.util.function.IntUnaryOperator;
import java.util.function.Supplier;

/** The fast samplers' permutation: Fisher–Yates from the end, as {@code java.util.Collections.shuffle}. */
final class FisherYates {
    private FisherYates() {
    }

    /**
     * 0..n-1 shuffled, {@code below.applyAsInt(m)} drawing an index in [0, m); the source is asked for
     * only once n is known to be valid, so a refused call draws nothing.
     */
    static int[] shuffled(int n, Supplier<IntUnaryOperator> source) {
        if (n < 0) {
            throw Args.invalid("n", n, "n >= 0");
        }
        IntUnaryOperator below = source.get();
        int[] r = new int[n];
        for (int i = 0; i < n; i++) {
            r[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = below.applyAsInt(i + 1);
            int t = r[i];
            r[i] = r[j];
            r[j] = t;
        }
        return r;
    }
}
