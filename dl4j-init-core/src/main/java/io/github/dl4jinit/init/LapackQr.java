package io.github.dl4jinit.init;

import io.github.dl4jinit.internal.Args;
import io.github.dl4jinit.internal.DenseViews;
import org.nd4j.linalg.api.blas.Lapack;
import org.nd4j.linalg.api.blas.impl.BaseLapack;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.nio.FloatBuffer;

/**
 * The Q factor of a reduced QR decomposition with R's diagonal made non-negative, through the
 * LAPACK of ND4J's backend ({@code geqrf} then {@code orgqr}: OpenBLAS on the CPU backend,
 * cuSOLVER on CUDA), as {@code q, r = torch.linalg.qr(a); q * r.diag().sign()}.
 *
 * <p>Matrices are Java arrays in column-major order (LAPACK's); the factorization runs in their
 * precision, as PyTorch's does. Everything but the factorization itself happens in Java: on a busy
 * machine, ND4J's element-wise ops (multi-threaded, with threads that wait spinning) cost more
 * than the copies they would save.
 */
final class LapackQr {
    private LapackQr() {
    }

    /**
     * Returns Q·diag(sign(diag R)) for {@code a = QR}, where {@code a} holds an m×k matrix (m ≥ k) in
     * column-major order (left unchanged). The result, also column-major, has orthonormal columns, and
     * each column j points the way of a's column j ({@code q_jᵀ a_j = |R_jj|}), which makes Q unique.
     */
    static float[] positiveQ(float[] a, int m, int k) {
        checkShape(a.length, m, k);
        INDArray q = Nd4j.create(a, new long[]{m, k}, 'f');
        factor(q, m, k);
        float[] qv = DenseViews.readFloats(q.transpose());
        for (int j = 0; j < k; j++) {
            double dot = 0;
            for (int i = j * m, end = i + m; i < end; i++) {
                dot += (double) qv[i] * a[i];
            }
            float sign = (float) Math.signum(dot);
            for (int i = j * m, end = i + m; i < end; i++) {
                qv[i] *= sign;
            }
        }
        return qv;
    }

    /** {@link #positiveQ(float[], int, int)} in double precision. */
    static double[] positiveQ(double[] a, int m, int k) {
        checkShape(a.length, m, k);
        INDArray q = Nd4j.create(a, new long[]{m, k}, 'f');
        factor(q, m, k);
        double[] qv = DenseViews.readDoubles(q.transpose());
        for (int j = 0; j < k; j++) {
            double dot = 0;
            for (int i = j * m, end = i + m; i < end; i++) {
                dot += qv[i] * a[i];
            }
            double sign = Math.signum(dot);
            for (int i = j * m, end = i + m; i < end; i++) {
                qv[i] *= sign;
            }
        }
        return qv;
    }

    /**
     * Orthogonal's whole float computation on the CPU backend, from buffer to buffer: for the rows ×
     * cols normals {@code flat} (row-major), writes gain·Q·sign(diag R) of A = flat (tall or square)
     * or A = flatᵀ (wide), transposed back in the wide case, into {@code target} (row-major, rows ×
     * cols). Nothing is allocated on the Java heap, where matrices of a megabyte or more are costly
     * to allocate; {@code flat} is left unchanged.
     */
    static void positiveQInto(FloatBuffer flat, int rows, int cols, FloatBuffer target, float gain) {
        boolean wide = rows < cols;
        int m = Math.max(rows, cols);
        int k = Math.min(rows, cols);
        INDArray q = Nd4j.createUninitialized(DataType.FLOAT, new long[]{m, k}, 'f');
        // column-major q, read and written as the C-order k x m array it is in memory
        FloatBuffer qb = DenseViews.writableFloats(q.transpose());
        if (wide) {
            // a wide A = flatᵀ in column-major order is flat's row-major buffer
            qb.duplicate().put(flat.duplicate().limit(m * k));
        } else {
            transpose(flat, rows, cols, qb);
        }
        factor(q, m, k);
        // sign(R_jj) = sign(q_jᵀ a_j); a_j is row j of flat (wide) or its column j (tall)
        double[] dots = new double[k];
        for (int i0 = 0; i0 < m; i0 += TILE) {
            for (int j0 = 0; j0 < k; j0 += TILE) {
                for (int j = j0, jEnd = Math.min(k, j0 + TILE); j < jEnd; j++) {
                    double dot = 0;
                    for (int i = i0, iEnd = Math.min(m, i0 + TILE); i < iEnd; i++) {
                        dot += (double) qb.get(j * m + i) * flat.get(wide ? j * m + i : i * cols + j);
                    }
                    dots[j] += dot;
                }
            }
        }
        float[] scale = new float[k];
        for (int j = 0; j < k; j++) {
            scale[j] = (float) Math.signum(dots[j]);
        }
        if (wide) {
            // W = Qᵀ: row r of W is column r of Q, contiguous in qb
            for (int r = 0; r < rows; r++) {
                for (int c = 0; c < cols; c++) {
                    target.put(r * cols + c, qb.get(r * m + c) * scale[r] * gain);
                }
            }
        } else {
            for (int i0 = 0; i0 < rows; i0 += TILE) {
                for (int j0 = 0; j0 < cols; j0 += TILE) {
                    for (int i = i0, iEnd = Math.min(rows, i0 + TILE); i < iEnd; i++) {
                        for (int j = j0, jEnd = Math.min(cols, j0 + TILE); j < jEnd; j++) {
                            target.put(i * cols + j, qb.get(j * m + i) * scale[j] * gain);
                        }
                    }
                }
            }
        }
    }

    /** {@code out} = the transpose (cols × rows, row-major) of the row-major rows × cols {@code v}, in tiles. */
    private static void transpose(FloatBuffer v, int rows, int cols, FloatBuffer out) {
        for (int r0 = 0; r0 < rows; r0 += TILE) {
            for (int c0 = 0; c0 < cols; c0 += TILE) {
                for (int r = r0, rEnd = Math.min(rows, r0 + TILE); r < rEnd; r++) {
                    for (int c = c0, cEnd = Math.min(cols, c0 + TILE); c < cEnd; c++) {
                        out.put(c * rows + r, v.get(r * cols + c));
                    }
                }
            }
        }
    }

    private static void checkShape(int length, int m, int k) {
        if (m < k || k < 1 || (long) m * k != length) {
            throw Args.invalid("a.shape", new long[]{m, k}, "rows >= columns >= 1 with rows * columns = "
                    + length + " values");
        }
    }

    /**
     * Overwrites the fresh f-order array {@code q} (offset 0: the backends hand its buffer to LAPACK as
     * it is) with the Q of its QR decomposition.
     */
    private static void factor(INDArray q, int m, int k) {
        Lapack lapack = Nd4j.getBlasWrapper().lapack();
        if (lapack instanceof BaseLapack) {
            // Without an R to fill, the backends skip copying R out of the factorization one ND4J op
            // per row, which costs more than the factorization itself up to a thousand columns.
            INDArray info = Nd4j.create(DataType.INT, 1, 1);
            if (q.dataType() == DataType.DOUBLE) {
                ((BaseLapack) lapack).dgeqrf(m, k, q, null, info);
            } else {
                ((BaseLapack) lapack).sgeqrf(m, k, q, null, info);
            }
        } else {
            lapack.geqrf(q, Nd4j.create(q.dataType(), new long[]{k, k}, 'f'));
        }
    }

    /** The transpose of a rows × cols row-major matrix, row-major (cols × rows), in cache-sized tiles. */
    static float[] transpose(float[] v, int rows, int cols) {
        float[] t = new float[v.length];
        for (int r0 = 0; r0 < rows; r0 += TILE) {
            for (int c0 = 0; c0 < cols; c0 += TILE) {
                for (int r = r0, rEnd = Math.min(rows, r0 + TILE); r < rEnd; r++) {
                    for (int c = c0, cEnd = Math.min(cols, c0 + TILE); c < cEnd; c++) {
                        t[c * rows + r] = v[r * cols + c];
                    }
                }
            }
        }
        return t;
    }

    /** {@link #transpose(float[], int, int)} of doubles. */
    static double[] transpose(double[] v, int rows, int cols) {
        double[] t = new double[v.length];
        for (int r0 = 0; r0 < rows; r0 += TILE) {
            for (int c0 = 0; c0 < cols; c0 += TILE) {
                for (int r = r0, rEnd = Math.min(rows, r0 + TILE); r < rEnd; r++) {
                    for (int c = c0, cEnd = Math.min(cols, c0 + TILE); c < cEnd; c++) {
                        t[c * rows + r] = v[r * cols + c];
                    }
                }
            }
        }
        return t;
    }

    private static final int TILE = 32;
}
