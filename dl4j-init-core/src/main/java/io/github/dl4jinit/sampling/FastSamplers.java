package io.github.dl4jinit.sampling;

import io.github.dl4jinit.internal.Args;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.function.IntUnaryOperator;
import java.util.function.Supplier;

/** What the two fast samplers, {@link Nd4jSampler} and {@link SeededSampler}, share: argument checks and Fisher–Yates. */
final class FastSamplers {
    private FastSamplers() {
    }

    /** Checks a {@code uniform(target, from, to)} call; returns the target's (floating) type. */
    static DataType checkUniform(INDArray target, double from, double to) {
        DataType type = TorchGenerator.floatingType(target);
        Args.finite("from", from);
        Args.finite("to", to);
        if (from > to) {
            throw Args.invalid("from", from, "from <= to = " + to);
        }
        return type;
    }

    /** Checks a {@code normal(target, mean, std)} call; returns the target's (floating) type. */
    static DataType checkNormal(INDArray target, double mean, double std) {
        DataType type = TorchGenerator.floatingType(target);
        Args.finite("mean", mean);
        Args.nonNegative("std", std);
        return type;
    }

    /**
     * 0..n-1 shuffled by Fisher–Yates, {@code below.applyAsInt(m)} drawing an index in [0, m); the
     * source is asked for only once n is known to be valid, so a refused call draws nothing.
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
