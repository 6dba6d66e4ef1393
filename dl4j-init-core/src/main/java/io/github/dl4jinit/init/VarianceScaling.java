package io.github.dl4jinit.init;

import io.github.dl4jinit.internal.Args;
import io.github.dl4jinit.sampling.Sampler;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.shade.jackson.annotation.JsonProperty;

import java.util.Map;

/**
 * The one variance-scaling core, as JAX's {@code variance_scaling}: Kaiming, Xavier, LeCun and
 * PyTorch's default are presets of it.
 *
 * <p>{@code std = gain / √fan} for fan_in or fan_out, and {@code std = gain · √(2 / (fan_in + fan_out))}
 * for fan_avg, computed in double exactly as {@code torch.nn.init} does (so float bounds are
 * PyTorch's to the bit). Then {@link Distribution#UNIFORM} draws U(±√3·std), {@link Distribution#NORMAL}
 * N(0, std²) and {@link Distribution#TRUNCATED_NORMAL} a normal of σ = std / 0.87962566103423978 cut
 * at ±2σ. JAX's {@code scale} is {@code gain²}: see {@link #ofScale}.
 */
public final class VarianceScaling extends TorchWeightInit {
    /** Standard deviation of N(0,1) truncated to [−2, 2], as in JAX. */
    static final double TRUNCATED_STD_CORRECTION = .87962566103423978;

    private final double gain;
    private final FanMode mode;
    private final Distribution distribution;

    /**
     * @param gain         the multiplier of the standard deviation (&gt; 0)
     * @param mode         which fan to divide by
     * @param distribution uniform, normal or truncated normal
     */
    public VarianceScaling(@JsonProperty("gain") double gain, @JsonProperty("mode") FanMode mode,
                           @JsonProperty("distribution") Distribution distribution) {
        this.gain = Args.positive("gain", gain);
        this.mode = Args.notNull("mode", mode);
        this.distribution = Args.notNull("distribution", distribution);
    }

    /** JAX's {@code variance_scaling(scale, mode, distribution)}: gain = √scale. */
    public static VarianceScaling ofScale(double scale, FanMode mode, Distribution distribution) {
        return new VarianceScaling(Math.sqrt(Args.positive("scale", scale)), mode, distribution);
    }

    /** The standard deviation this scheme targets for the given fans, computed as PyTorch does. */
    public double std(Fans fans) {
        if (mode == FanMode.FAN_AVG) {
            return gain * Math.sqrt(2.0 / (fans.fanIn() + fans.fanOut()));
        }
        return gain / Math.sqrt(fans.get(mode));
    }

    @Override
    public void sample(INDArray torchTensor, Fans fans, Sampler sampler) {
        double std = std(fans);
        switch (distribution) {
            case UNIFORM: {
                double bound = Math.sqrt(3.0) * std;
                sampler.uniform(torchTensor, -bound, bound);
                break;
            }
            case NORMAL:
                sampler.normal(torchTensor, 0.0, std);
                break;
            default: {
                double sigma = std / TRUNCATED_STD_CORRECTION;
                TruncatedNormal.sample(torchTensor, 0.0, sigma, -2 * sigma, 2 * sigma, sampler);
            }
        }
    }

    public double gain() {
        return gain;
    }

    public FanMode mode() {
        return mode;
    }

    public Distribution distribution() {
        return distribution;
    }

    @Override
    protected Map<String, Object> parameters() {
        return Params.of("gain", gain, "mode", mode, "distribution", distribution);
    }
}
