package io.github.dl4jinit.init;

import org.nd4j.shade.jackson.annotation.JsonProperty;

/**
 * Xavier/Glorot initialization with a normal distribution (Glorot &amp; Bengio 2010), as
 * {@code torch.nn.init.xavier_normal_(tensor, gain)}.
 *
 * <p>{@code std = gain · √(2 / (fan_in + fan_out))}; values are drawn from N(0, std²). A preset of
 * {@link VarianceScaling} with fan_avg.
 */
public final class XavierNormal extends Xavier {

    /** gain = 1, PyTorch's default. */
    public XavierNormal() {
        this(1.0);
    }

    /**
     * @param gain scaling factor, for instance {@code calculate_gain("tanh")} = 5/3
     * @throws IllegalArgumentException if gain is not a finite number &gt; 0
     */
    public XavierNormal(@JsonProperty("gain") double gain) {
        super(gain);
    }

    @Override
    Distribution distribution() {
        return Distribution.NORMAL;
    }
}
