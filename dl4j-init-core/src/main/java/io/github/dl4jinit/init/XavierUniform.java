package io.github.dl4jinit.init;

import org.nd4j.shade.jackson.annotation.JsonProperty;

/**
 * Xavier/Glorot initialization with a uniform distribution (Glorot &amp; Bengio 2010), as
 * {@code torch.nn.init.xavier_uniform_(tensor, gain)}.
 *
 * <p>{@code std = gain · √(2 / (fan_in + fan_out))}; values are drawn from U(−a, a) with {@code a = √3 · std}. A preset of
 * {@link VarianceScaling} with fan_avg.
 */
public final class XavierUniform extends Xavier {

    /** gain = 1, PyTorch's default. */
    public XavierUniform() {
        this(1.0);
    }

    /**
     * @param gain scaling factor, for instance {@code calculate_gain("tanh")} = 5/3
     * @throws IllegalArgumentException if gain is not a finite number &gt; 0
     */
    public XavierUniform(@JsonProperty("gain") double gain) {
        super(gain);
    }

    @Override
    Distribution distribution() {
        return Distribution.UNIFORM;
    }
}
