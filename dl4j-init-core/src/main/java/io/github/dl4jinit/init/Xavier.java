package io.github.dl4jinit.init;

import io.github.dl4jinit.internal.Args;
import io.github.dl4jinit.sampling.Sampler;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.Map;

/**
 * What {@link XavierUniform} and {@link XavierNormal} share: the gain, its validation, and the preset
 * of {@link VarianceScaling} with fan_avg, {@code std = gain · √(2 / (fan_in + fan_out))}.
 */
abstract class Xavier extends TorchWeightInit {
    private final double gain;

    Xavier(double gain) {
        this.gain = Args.positive("gain", gain);
    }

    /**
     * {@code xavier_*} compute the fans before anything else, so a zero-element tensor of fewer than
     * 2 dimensions fails as in PyTorch.
     */
    @Override
    protected void checkZeroElements(Fans fans) {
        fans.fanIn();
    }

    /** UNIFORM or NORMAL. */
    abstract Distribution distribution();

    @Override
    public void sample(INDArray torchTensor, Fans fans, Sampler sampler) {
        new VarianceScaling(gain, FanMode.FAN_AVG, distribution()).sample(torchTensor, fans, sampler);
    }

    /** The scaling factor, for instance {@code calculate_gain("tanh")} = 5/3. */
    public double gain() {
        return gain;
    }

    @Override
    protected Map<String, Object> parameters() {
        return Params.of("gain", gain);
    }
}
