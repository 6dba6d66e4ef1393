package io.github.dl4jinit.init;

import io.github.dl4jinit.sampling.Sampler;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.Collections;
import java.util.Map;

/**
 * PyTorch's default bias of {@code nn.Linear}/{@code nn.ConvNd}: U(−1/√fan_in, 1/√fan_in) with the
 * fan_in of the weight the bias belongs to ({@code bound = 1 / math.sqrt(fan_in) if fan_in > 0 else 0}).
 * Also PyTorch's rule for every RNN/LSTM/GRU parameter when the fans given carry fan_in = hidden_size.
 *
 * <p>A bias has no fans of its own: pass the weight's ({@code NetworkInitializer} does).
 */
public final class TorchDefaultBias extends TorchWeightInit {

    @Override
    public void sample(INDArray torchTensor, Fans fans, Sampler sampler) {
        double fanIn = fans.fanIn();
        double bound = fanIn > 0 ? 1 / Math.sqrt(fanIn) : 0;
        // With fan_in 0 PyTorch's bound is the int 0 and uniform_(-0, 0) fills +0.0; -0.0 would
        // make the sampler write -0.0 (its from).
        sampler.uniform(torchTensor, fanIn > 0 ? -bound : 0.0, bound);
    }

    @Override
    protected Map<String, Object> parameters() {
        return Collections.emptyMap();
    }
}
