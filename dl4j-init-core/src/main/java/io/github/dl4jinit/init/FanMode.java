package io.github.dl4jinit.init;

import io.github.dl4jinit.internal.Args;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Which fan a variance-scaling scheme divides by.
 *
 * <p>PyTorch's {@code mode} argument of {@code kaiming_uniform_}/{@code kaiming_normal_} accepts
 * {@code "fan_in"} and {@code "fan_out"} (case-insensitive). {@link #FAN_AVG}, the mean of the two,
 * is what Xavier/Glorot uses and what JAX's {@code variance_scaling(mode="fan_avg")} names.
 */
public enum FanMode {
    /** Divide by fan_in = size(1)·∏size[2:] of the PyTorch-shaped weight. */
    FAN_IN("fan_in"),
    /** Divide by fan_out = size(0)·∏size[2:] of the PyTorch-shaped weight. */
    FAN_OUT("fan_out"),
    /** Divide by (fan_in + fan_out) / 2, as Xavier/Glorot does. */
    FAN_AVG("fan_avg");

    private final String torchName;

    FanMode(String torchName) {
        this.torchName = torchName;
    }

    /** The spelling PyTorch and JAX use, e.g. {@code "fan_in"}. */
    public String torchName() {
        return torchName;
    }

    /**
     * Parses a mode as PyTorch spells it ({@code "fan_in"}, {@code "fan_out"}, also {@code "fan_avg"});
     * like PyTorch it lower-cases first, so {@code "FAN_OUT"} is accepted.
     *
     * @throws IllegalArgumentException naming the value and the accepted spellings
     */
    public static FanMode parse(String mode) {
        return parse(mode, values());
    }

    /**
     * As {@link #parse(String)}, accepting only {@code accepted}: PyTorch's {@code kaiming_*} take
     * fan_in and fan_out, and the error lists those, in PyTorch's words.
     */
    static FanMode parse(String mode, FanMode... accepted) {
        Args.notNull("mode", mode);
        String lower = mode.toLowerCase(Locale.ROOT);
        List<String> names = new ArrayList<>();
        for (FanMode m : accepted) {
            if (m.torchName.equals(lower)) {
                return m;
            }
            names.add("'" + m.torchName + "'");
        }
        String list = "[" + String.join(", ", names) + "]";
        String pytorch = accepted.length < values().length
                ? " (PyTorch: Mode " + lower + " not supported, please use one of " + list + ")" : "";
        throw Args.invalid("mode", mode, "one of " + list + pytorch);
    }
}
