package io.github.dl4jinit.init;

import io.github.dl4jinit.sampling.Sampler;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.Collections;
import java.util.Map;

/**
 * LeCun normal initialization: N(0, 1/fan_in), the initialization SELU networks need (Klambauer et
 * al. 2017). PyTorch's equivalent is {@code kaiming_normal_(t, nonlinearity="linear")}. JAX's
 * {@code lecun_normal} truncates at ±2σ instead: use
 * {@code new VarianceScaling(1, FAN_IN, TRUNCATED_NORMAL)} for that.
 */
public final class LeCunNormal extends TorchWeightInit {
    private static final VarianceScaling CORE = new VarianceScaling(1.0, FanMode.FAN_IN, Distribution.NORMAL);

    @Override
    public void sample(INDArray torchTensor, Fans fans, Sampler sampler) {
        CORE.sample(torchTensor, fans, sampler);
    }

    @Override
    protected Map<String, Object> parameters() {
        return Collections.emptyMap();
    }
}
