package io.github.dl4jinit.init;

import io.github.dl4jinit.internal.Args;
import io.github.dl4jinit.internal.DenseViews;
import io.github.dl4jinit.sampling.Sampler;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.shade.jackson.annotation.JsonProperty;

import java.nio.FloatBuffer;
import java.util.Map;

/**
 * A (semi-)orthogonal matrix (Saxe et al. 2013), as {@code torch.nn.init.orthogonal_(tensor, gain)}.
 *
 * <p>PyTorch's recipe: flatten the PyTorch-shaped weight to [rows = size(0), cols = numel / rows],
 * draw A ~ N(0, 1) of that shape from the generator, take A's transpose if rows &lt; cols, compute the
 * reduced QR decomposition, multiply Q's columns by sign(diag R) (so the result is unique), transpose
 * back and scale by gain. Rows (or columns, when wide) are then orthonormal: W·Wᵀ = gain²·I.
 *
 * <p>The QR is LAPACK's {@code geqrf} + {@code orgqr}, as PyTorch's, through the ND4J backend's LAPACK
 * (OpenBLAS on the CPU backend), in the tensor's precision (half precision goes through float). The
 * normals are PyTorch's bit for bit with a {@code TorchGenerator}; Q agrees with PyTorch's to a few
 * 1e-6 in float, as two float QRs round differently. A QR of m × k (m ≥ k) costs O(m·k²): tens of
 * milliseconds at 512 × 512, seconds at 4096 × 4096 (within about 20 % of PyTorch's there).
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
        long n = 1;
        for (long d : torchShape) {
            n *= d;
        }
        if (n > Integer.MAX_VALUE - 8) {
            throw Args.invalid("tensor.shape", torchShape, "at most " + (Integer.MAX_VALUE - 8) + " elements");
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
        // A = flat, or its transpose when wide, is m x k (m >= k). In column-major order, a wide A is
        // flat's own row-major buffer, and so is the result's Qᵀ; a tall one takes a transpose each way.
        boolean wide = rows < cols;
        int r = (int) rows;
        int c = (int) cols;
        int m = Math.max(r, c);
        int k = Math.min(r, c);
        if (torchTensor.dataType() == DataType.DOUBLE) {
            double[] v = DenseViews.readDoubles(flat);
            double[] q = LapackQr.positiveQ(wide ? v : LapackQr.transpose(v, r, c), m, k);
            double[] w = wide ? q : LapackQr.transpose(q, c, r);
            if (gain != 1.0) {
                for (int i = 0; i < w.length; i++) {
                    w[i] *= gain;
                }
            }
            DenseViews.write(torchTensor, w);
        } else {
            FloatBuffer source = DenseViews.writableFloats(flat);
            FloatBuffer target = DenseViews.writableFloats(torchTensor);
            if (source != null && target != null) {
                LapackQr.positiveQInto(source, r, c, target, (float) gain);
                return;
            }
            // PyTorch factors in the tensor's precision; half precision goes through float
            float[] v = DenseViews.readFloats(flat);
            float[] q = LapackQr.positiveQ(wide ? v : LapackQr.transpose(v, r, c), m, k);
            float[] w = wide ? q : LapackQr.transpose(q, c, r);
            if (gain != 1.0) {
                float g = (float) gain;
                for (int i = 0; i < w.length; i++) {
                    w[i] *= g;
                }
            }
            DenseViews.write(torchTensor, w);
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
