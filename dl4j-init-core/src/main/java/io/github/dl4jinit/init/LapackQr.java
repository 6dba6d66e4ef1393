package io.github.dl4jinit.init;

import io.github.dl4jinit.internal.Args;
import io.github.dl4jinit.sampling.DenseViews;
import org.nd4j.linalg.api.blas.Lapack;
import org.nd4j.linalg.api.blas.impl.BaseLapack;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * The Q factor of a reduced QR decomposition with R's diagonal made non-negative, through the
 * LAPACK of ND4J's backend ({@code geqrf} then {@code orgqr}: OpenBLAS on the CPU backend,
 * cuSOLVER on CUDA), as {@code q, r = torch.linalg.qr(a); q * r.diag().sign()}.
 *
 * <p>The factorization runs in the matrix's own precision (float or double), as PyTorch's does.
 */
final class LapackQr {
    /** Values per block of columns read back to find R's diagonal (4 MiB of floats). */
    private static final long DOT_BLOCK_VALUES = 1 << 20;

    private LapackQr() {
    }

    /**
     * Returns Q·diag(sign(diag R)) for {@code a = QR}, where {@code a} is m×k with m ≥ k, FLOAT or
     * DOUBLE, in any order (left unchanged). The result is a new m×k array in f order, of a's type:
     * its columns are orthonormal, and each column j points the way of a's column j
     * ({@code q_jᵀ a_j = |R_jj|}), which makes Q unique.
     */
    static INDArray positiveQ(INDArray a) {
        long m = a.rows();
        long k = a.columns();
        if (m < k || m > Integer.MAX_VALUE) {
            throw Args.invalid("a.shape", a.shape(), "rows >= columns, at most " + Integer.MAX_VALUE + " rows");
        }
        INDArray original = DenseViews.isCContiguous(a.transpose()) ? a : a.dup('f');
        // a fresh f-order copy at offset 0: the backends hand its buffer to LAPACK as it is
        INDArray q = original.dup('f');
        Lapack lapack = Nd4j.getBlasWrapper().lapack();
        if (lapack instanceof BaseLapack) {
            // Without an R to fill, the backends skip copying R out of the factorization one ND4J op
            // per row, which costs more than the factorization itself up to a thousand columns.
            INDArray info = Nd4j.create(DataType.INT, 1, 1);
            if (q.dataType() == DataType.DOUBLE) {
                ((BaseLapack) lapack).dgeqrf((int) m, (int) k, q, null, info);
            } else {
                ((BaseLapack) lapack).sgeqrf((int) m, (int) k, q, null, info);
            }
        } else {
            lapack.geqrf(q, Nd4j.create(q.dataType(), new long[]{k, k}, 'f'));
        }
        q.muliRowVector(diagonalSignsOfR(q, original));
        return q;
    }

    /**
     * sign(R_jj) = sign(q_jᵀ a_j), as a_j = Σ_{i≤j} q_i·R_ij with orthonormal q_i. Both matrices are in
     * f order; a block of their columns, transposed, is C-contiguous and is read straight from host
     * memory on the CPU backend. The dot products are summed in double.
     */
    private static INDArray diagonalSignsOfR(INDArray q, INDArray a) {
        long m = q.rows();
        long k = q.columns();
        INDArray signs = Nd4j.create(q.dataType(), 1, k);
        long block = Math.max(1, Math.min(k, DOT_BLOCK_VALUES / m));
        for (long from = 0; from < k; from += block) {
            long to = Math.min(k, from + block);
            double[] dots = columnDots(columns(q, from, to), columns(a, from, to), (int) m);
            for (int j = 0; j < dots.length; j++) {
                signs.putScalar(0, from + j, Math.signum(dots[j]));
            }
        }
        return signs;
    }

    /** Columns [from, to) of an f-order matrix, transposed: a C-contiguous (to − from) × m view. */
    private static INDArray columns(INDArray fOrder, long from, long to) {
        return fOrder.get(NDArrayIndex.all(), NDArrayIndex.interval(from, to)).transpose();
    }

    /** The dot product of each row of {@code x} with the same row of {@code y}, rows of length m. */
    private static double[] columnDots(INDArray x, INDArray y, int m) {
        int rows = (int) x.rows();
        double[] dots = new double[rows];
        if (x.dataType() == DataType.DOUBLE) {
            double[] xv = DenseViews.readDoubles(x);
            double[] yv = DenseViews.readDoubles(y);
            for (int r = 0; r < rows; r++) {
                double sum = 0;
                for (int i = r * m, end = i + m; i < end; i++) {
                    sum += xv[i] * yv[i];
                }
                dots[r] = sum;
            }
        } else {
            float[] xv = DenseViews.readFloats(x);
            float[] yv = DenseViews.readFloats(y);
            for (int r = 0; r < rows; r++) {
                double sum = 0;
                for (int i = r * m, end = i + m; i < end; i++) {
                    sum += (double) xv[i] * yv[i];
                }
                dots[r] = sum;
            }
        }
        return dots;
    }
}
