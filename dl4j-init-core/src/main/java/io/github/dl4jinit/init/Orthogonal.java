package io.github.dl4jinit.init;

import io.github.dl4jinit.internal.Args;
import io.github.dl4jinit.sampling.DenseViews;
import io.github.dl4jinit.sampling.Sampler;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.shade.jackson.annotation.JsonProperty;

import java.util.Map;

/**
 * A (semi-)orthogonal matrix (Saxe et al. 2013), as {@code torch.nn.init.orthogonal_(tensor, gain)}.
 *
 * <p>PyTorch's recipe: flatten the PyTorch-shaped weight to [rows = size(0), cols = numel / rows],
 * draw A ~ N(0, 1) of that shape from the generator, take A's transpose if rows &lt; cols, compute the
 * reduced QR decomposition, multiply Q's columns by sign(diag R) (so the result is unique), transpose
 * back and scale by gain. Rows (or columns, when wide) are then orthonormal: W·Wᵀ = gain²·I. The QR
 * runs in double precision, so results agree with PyTorch's float QR to about 1e-6.
 */
public final class Orthogonal extends TorchWeightInit {
    private final double gain;

    /** gain = 1, PyTorch's default. */
    public Orthogonal() {
        this(1.0);
    }

    /**
     * @throws IllegalArgumentException if gain is not a finite number &gt; 0
     */
    public Orthogonal(@JsonProperty("gain") double gain) {
        this.gain = Args.positive("gain", gain);
    }

    @Override
    public void checkShape(long[] torchShape) {
        if (torchShape.length < 2) {
            throw Args.invalid("tensor.shape", torchShape,
                    "2 or more dimensions (PyTorch: Only tensors with 2 or more dimensions are supported)");
        }
    }

    @Override
    public void sample(INDArray torchTensor, Fans fans, Sampler sampler) {
        long[] shape = torchTensor.shape();
        checkShape(shape);
        long rows = shape[0];
        long cols = torchTensor.length() / rows;
        INDArray flat = Nd4j.create(torchTensor.dataType(), new long[]{rows, cols}, 'c');
        sampler.normal(flat, 0.0, 1.0);
        boolean wide = rows < cols;
        // PyTorch factors in the tensor's precision; half-precision tensors go through float
        DataType qrType = flat.dataType() == DataType.DOUBLE ? DataType.DOUBLE : DataType.FLOAT;
        INDArray a = wide ? flat.transpose() : flat;
        INDArray q = LapackQr.positiveQ(a.castTo(qrType));
        INDArray result = wide ? q.transpose() : q;
        INDArray target = DenseViews.asCOrderView(torchTensor, new long[]{rows, cols});
        if (target != null) {
            target.assign(result);
        } else {
            torchTensor.assign(result.dup('c').reshape('c', shape));
        }
        if (gain != 1.0) {
            torchTensor.muli(gain);
        }
    }

    public double gain() {
        return gain;
    }

    @Override
    protected Map<String, Object> parameters() {
        return Params.of("gain", gain);
    }
}
