package io.github.dl4jinit.init;

import io.github.dl4jinit.internal.Args;
import io.github.dl4jinit.sampling.Sampler;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.Collections;
import java.util.Map;

/**
 * The identity matrix, as {@code torch.nn.init.eye_(tensor)}: ones on the diagonal of a 2-D weight in
 * PyTorch's shape (out, in), zeros elsewhere; a Dense layer then passes its inputs through
 * (as far as the shape allows).
 */
public final class Eye extends TorchWeightInit {

    @Override
    public void checkShape(long[] torchShape) {
        if (torchShape.length != 2) {
            throw Args.invalid("tensor.shape", torchShape,
                    "2 dimensions (PyTorch: Only tensors with 2 dimensions are supported)");
        }
    }

    @Override
    public void sample(INDArray torchTensor, Fans fans, Sampler sampler) {
        checkShape(torchTensor.shape());
        torchTensor.assign(0);
        long n = Math.min(torchTensor.size(0), torchTensor.size(1));
        for (long i = 0; i < n; i++) {
            torchTensor.putScalar(i, i, 1.0);
        }
    }

    @Override
    protected Map<String, Object> parameters() {
        return Collections.emptyMap();
    }
}
