package io.github.dl4jinit.init;

import io.github.dl4jinit.sampling.Sampler;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.Collections;
import java.util.Map;

/**
 * LeCun uniform initialization (LeCun et al. 1998, "Efficient BackProp"): U(−√(3 / fan_in), √(3 / fan_in)),
 * i.e. variance 1/fan_in. PyTorch has no such function; it equals
 * {@code kaiming_uniform_(t, nonlinearity="linear")} and JAX's {@code lecun_uniform}. Unlike DL4J's
 * own {@code LECUN_UNIFORM}, whose bound is 3/√fan_in, this has the correct variance.
 */
public final class LeCunUniform extends TorchWeightInit {
    private static final VarianceScaling CORE = new VarianceScaling(1.0, FanMode.FAN_IN, Distribution.UNIFORM);

    @Override
    public void sample(INDArray torchTensor, Fans fans, Sampler sampler) {
        CORE.sample(torchTensor, fans, sampler);
    }

    @Override
    protected Map<String, Object> parameters() {
        return Collections.emptyMap();
    }
}
