package io.github.dl4jinit.sampling;

import io.github.dl4jinit.internal.Args;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The samplers' argument checks, in one place: {@link TorchGenerator} refuses what PyTorch refuses,
 * in PyTorch's words; the fast samplers ({@link FastSampler}, {@link SeededSampler}) what their
 * distributions cannot give.
 */
final class SamplerArgs {
    private SamplerArgs() {
    }

    /** The target's type, which must be floating point. */
    static DataType floatingType(INDArray target) {
        Args.notNull("target", target);
        DataType type = target.dataType();
        if (!type.isFPType()) {
            throw Args.invalid("target.dataType", type, "a floating-point array (FLOAT, DOUBLE, HALF, BFLOAT16)");
        }
        return type;
    }

    /** {@code uniform_}'s checks ({@code check_uniform_bounds}) for a tensor of this type. */
    static void torchUniform(DataType type, double from, double to) {
        double max = type == DataType.DOUBLE ? Double.MAX_VALUE : Float.MAX_VALUE;
        String typeName = type == DataType.DOUBLE ? "double" : "float";
        if (!(Math.abs(from) <= max)) {
            throw Args.invalid("from", from, "a finite " + typeName
                    + " (PyTorch: from is out of bounds for " + typeName + ")");
        }
        if (!(Math.abs(to) <= max)) {
            throw Args.invalid("to", to, "a finite " + typeName
                    + " (PyTorch: to is out of bounds for " + typeName + ")");
        }
        if (from > to) {
            throw Args.invalid("from", from, "from <= to = " + to
                    + " (PyTorch: uniform_ expects to return a [from, to) range, but found from="
                    + from + " > to=" + to + ")");
        }
        if (!(to - from <= max)) {
            throw Args.invalid("to - from", to - from, "at most the " + typeName + " maximum " + max
                    + " (PyTorch: uniform_ expects to-from <= std::numeric_limits<" + typeName
                    + ">::max())");
        }
    }

    /** {@code normal_}'s checks: std ≥ 0 (NaN refused as PyTorch refuses it), a finite mean. */
    static void torchNormal(double mean, double std) {
        if (!(std >= 0)) {
            throw Args.invalid("std", std, "std >= 0.0 (PyTorch: normal expects std >= 0.0, but found std "
                    + std + ")");
        }
        Args.finite("mean", mean);
    }

    /** Checks a fast {@code uniform(target, from, to)} call; returns the target's (floating) type. */
    static DataType fastUniform(INDArray target, double from, double to) {
        DataType type = floatingType(target);
        Args.finite("from", from);
        Args.finite("to", to);
        if (from > to) {
            throw Args.invalid("from", from, "from <= to = " + to);
        }
        return type;
    }

    /** Checks a fast {@code normal(target, mean, std)} call; returns the target's (floating) type. */
    static DataType fastNormal(INDArray target, double mean, double std) {
        DataType type = floatingType(target);
        Args.finite("mean", mean);
        Args.nonNegative("std", std);
        return type;
    }
}
