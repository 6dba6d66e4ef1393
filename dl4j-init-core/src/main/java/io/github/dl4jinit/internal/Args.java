package io.github.dl4jinit.internal;

import java.util.Arrays;

/**
 * Argument checks shared by every scheme and walker. Each failure is an
 * {@link IllegalArgumentException} whose message names the argument, the value that was given
 * and what was expected, so a PyTorch user recognises the problem at once.
 *
 * <p>This package is internal: its API may change without notice.
 */
public final class Args {
    private Args() {
    }

    /** Builds the project's standard message: {@code name=value: expected ...}. */
    public static IllegalArgumentException invalid(String name, Object value, String expected) {
        return new IllegalArgumentException(
                "Invalid argument '" + name + "' = " + render(value) + ": expected " + expected);
    }

    /** Requires a finite number (not NaN, not infinite). */
    public static double finite(String name, double value) {
        if (!Double.isFinite(value)) {
            throw invalid(name, value, "a finite number");
        }
        return value;
    }

    /** Requires {@code value >= 0} and finite, as PyTorch's {@code normal expects std >= 0.0}. */
    public static double nonNegative(String name, double value) {
        if (!(value >= 0) || Double.isInfinite(value)) {
            throw invalid(name, value, "a finite number >= 0 (PyTorch: normal expects std >= 0.0)");
        }
        return value;
    }

    /** Requires a finite number {@code > 0}. */
    public static double positive(String name, double value) {
        if (!(value > 0) || Double.isInfinite(value)) {
            throw invalid(name, value, "a finite number > 0");
        }
        return value;
    }

    /** Requires a number in the closed interval [lo, hi]. */
    public static double inRange(String name, double value, double lo, double hi) {
        if (!(value >= lo && value <= hi)) {
            throw invalid(name, value, "a number in [" + lo + ", " + hi + "]");
        }
        return value;
    }

    /** Requires a non-null reference. */
    public static <T> T notNull(String name, T value) {
        if (value == null) {
            throw invalid(name, null, "a value, not null");
        }
        return value;
    }

    /**
     * The refusal of a network whose {@code init()} was not called: {@code name} is the argument
     * ({@code "net"}, {@code "graph"}), {@code what} the kind of network ({@code "network"}, {@code "graph"}).
     */
    public static IllegalArgumentException beforeInit(String name, String what) {
        return invalid(name, "a " + what + " before init()", "an initialized " + what + " (call " + name + ".init() first)");
    }

    private static String render(Object value) {
        if (value instanceof long[]) {
            return Arrays.toString((long[]) value);
        }
        if (value instanceof int[]) {
            return Arrays.toString((int[]) value);
        }
        if (value instanceof String) {
            return "\"" + value + "\"";
        }
        return String.valueOf(value);
    }
}
