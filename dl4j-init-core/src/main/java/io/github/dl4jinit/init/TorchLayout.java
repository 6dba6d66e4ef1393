package io.github.dl4jinit.init;

import io.github.dl4jinit.internal.Args;
import io.github.dl4jinit.internal.DenseViews;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.Arrays;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * How a DL4J parameter array maps onto the PyTorch tensor it stands for: the one place that knows
 * DL4J's layouts.
 *
 * <p>A layout is a permutation of the DL4J array's axes followed by a C-order reshape to PyTorch's
 * shape. Iterating the PyTorch tensor in C order visits the elements in PyTorch's memory order, which
 * is the order PyTorch's generator fills them in. Fans are PyTorch's fans of that shape
 * ({@link Fans#ofTorchShape}).
 *
 * <table>
 *   <caption>DL4J layouts and their PyTorch twins</caption>
 *   <tr><th>DL4J parameter</th><th>PyTorch tensor</th><th>mapping</th></tr>
 *   <tr><td>Dense/Output/LSTM/SimpleRnn {@code W} [nIn, nOut] f</td><td>weight (nOut, nIn)</td>
 *       <td>transpose (same memory)</td></tr>
 *   <tr><td>Conv1D/2D/3D {@code W} [nOut, nIn, k...] c, Deconv2D {@code W} [nIn, nOut, kH, kW] c</td>
 *       <td>weight, same shape</td><td>identity</td></tr>
 *   <tr><td>Embedding {@code W} [vocab, dim] f</td><td>weight (vocab, dim)</td><td>identity (other memory order)</td></tr>
 *   <tr><td>DepthwiseConv2D {@code W} [kH, kW, nIn, m] c</td><td>Conv2d(groups=nIn) weight (nIn·m, 1, kH, kW)</td>
 *       <td>permute (2, 3, 0, 1)</td></tr>
 *   <tr><td>SeparableConv2D depthwise {@code W} [m, nIn, kH, kW] c</td><td>(nIn·m, 1, kH, kW)</td>
 *       <td>permute (1, 0, 2, 3)</td></tr>
 *   <tr><td>Deconv3D {@code W} [kD, kH, kW, nOut, nIn] c</td><td>ConvTranspose3d weight (nIn, nOut, kD, kH, kW)</td>
 *       <td>permute (4, 3, 0, 1, 2)</td></tr>
 * </table>
 */
public final class TorchLayout {
    private final String name;
    private final int[] permutation;
    private final long[] torchShape;
    private final Fans fans;

    private TorchLayout(String name, int[] permutation, long[] torchShape, Fans fans) {
        this.name = name;
        this.permutation = permutation;
        this.torchShape = torchShape;
        this.fans = fans;
    }

    private static TorchLayout of(String name, int[] permutation, long... torchShape) {
        return new TorchLayout(name, permutation, torchShape, Fans.ofTorchShape(torchShape));
    }

    /** The array already has PyTorch's shape and C order (biases, BatchNorm vectors, conv weights). */
    public static TorchLayout identity(long... shape) {
        int[] perm = new int[shape.length];
        for (int i = 0; i < perm.length; i++) {
            perm[i] = i;
        }
        return of("identity", perm, shape.clone());
    }

    /** DL4J {@code W} [nIn, nOut] (f order) is PyTorch's Linear weight (nOut, nIn). */
    public static TorchLayout dense(long nIn, long nOut) {
        return of("dense", new int[]{1, 0}, nOut, nIn);
    }

    /** DL4J Embedding {@code W} [vocab, dim] is PyTorch's Embedding weight (vocab, dim). */
    public static TorchLayout embedding(long vocab, long dim) {
        return of("embedding", new int[]{0, 1}, vocab, dim);
    }

    /** DL4J convolution weights [nOut, nIn, k...] (c order) are PyTorch's ConvNd weight unchanged. */
    public static TorchLayout conv(long... shape) {
        TorchLayout id = identity(shape);
        return new TorchLayout("conv", id.permutation, id.torchShape, id.fans);
    }

    /** DL4J DepthwiseConvolution2D {@code W} [kH, kW, nIn, m] is Conv2d(nIn, nIn·m, groups=nIn)'s (nIn·m, 1, kH, kW). */
    public static TorchLayout depthwise(long kH, long kW, long nIn, long multiplier) {
        return of("depthwise", new int[]{2, 3, 0, 1}, nIn * multiplier, 1, kH, kW);
    }

    /** DL4J SeparableConvolution2D depthwise {@code W} [m, nIn, kH, kW] is (nIn·m, 1, kH, kW) in PyTorch. */
    public static TorchLayout separableDepthwise(long multiplier, long nIn, long kH, long kW) {
        return of("separable-depthwise", new int[]{1, 0, 2, 3}, nIn * multiplier, 1, kH, kW);
    }

    /** DL4J Deconvolution3D {@code W} [kD, kH, kW, nOut, nIn] is ConvTranspose3d's (nIn, nOut, kD, kH, kW). */
    public static TorchLayout deconv3d(long kD, long kH, long kW, long nOut, long nIn) {
        return of("deconv3d", new int[]{4, 3, 0, 1, 2}, nIn, nOut, kD, kH, kW);
    }

    /** An array with no PyTorch twin layout: kept as it is, with the fans DL4J passed. */
    public static TorchLayout opaque(long[] shape, Fans dl4jFans) {
        TorchLayout id = identity(shape);
        return new TorchLayout("opaque", id.permutation, id.torchShape, dl4jFans);
    }

    /**
     * Guesses the layout from what DL4J hands an {@code IWeightInit}: shape, order and DL4J's fans.
     *
     * <ul>
     *   <li>2-D, f order: Dense-like [nIn, nOut]; but DL4J's Embedding passes fanIn = 1 and
     *       fanOut = dim, so fanIn == 1, fanOut == shape[1] with more than one row is an Embedding
     *       [vocab, dim]. (LSTM W with nOut = 1 passes fanIn 1 and fanOut nIn + 1: only
     *       LSTM(nIn 3, nOut 1), W [3, 4], is then mistaken for an Embedding(3, 4).)</li>
     *   <li>3..5-D, c order, fanIn == ∏shape[1:]: a convolution [nOut, nIn, k...] (also
     *       SeparableConvolution2D's pointwise and depthwise weights, which DL4J's arguments cannot
     *       tell apart: the depthwise one gets a regular conv's fans).</li>
     *   <li>4-D, c order, fanIn == shape[0]·kH·kW: Deconvolution2D [nIn, nOut, kH, kW], already
     *       ConvTranspose2d's shape (fan_in = nOut·kH·kW, PyTorch's quirk).</li>
     *   <li>4-D, c order, fanIn == kH·kW·nIn: DepthwiseConvolution2D [kH, kW, nIn, m]. Ambiguous
     *       when m == kH (read as a conv) or m == kW (read as a deconvolution).</li>
     *   <li>4-D, c order, last dimension 1, fanIn == nIn·k²: Convolution1DLayer [nOut, nIn, k, 1]
     *       (DL4J squares k). Read as depthwise instead when nOut == k.</li>
     *   <li>5-D, c order, fanIn == nIn·kD·kH·kW: Deconvolution3D [kD, kH, kW, nOut, nIn].</li>
     *   <li>anything else: kept as it is with DL4J's fans.</li>
     * </ul>
     * The network walker ({@code NetworkInitializer}) knows each layer's type and never guesses.
     */
    public static TorchLayout detect(long[] shape, char order, double dl4jFanIn, double dl4jFanOut) {
        Fans dl4jFans = Fans.of(dl4jFanIn, dl4jFanOut);
        if (shape.length == 2 && order == 'f') {
            // Embedding passes (1, nOut = dim); an LSTM with nOut = 1 also passes fanIn 1, but
            // fanOut = nIn + 1, so the fanOut check keeps it a dense-like [nIn, 4] weight.
            if (dl4jFanIn == 1 && shape[0] != 1 && dl4jFanOut == shape[1]) {
                return embedding(shape[0], shape[1]);
            }
            return dense(shape[0], shape[1]);
        }
        if (shape.length >= 3 && shape.length <= 5 && order == 'c') {
            if (dl4jFanIn == product(shape, 1, shape.length)) {
                return conv(shape);
            }
            if (shape.length == 4 && dl4jFanIn == shape[0] * shape[2] * shape[3]) {
                // Deconvolution2D [nIn, nOut, kH, kW] (DL4J: fanIn = nIn·kH·kW): already PyTorch's
                // ConvTranspose2d shape, whose fan_in PyTorch reads from size(1) = nOut·kH·kW.
                return conv(shape);
            }
            if (shape.length == 4 && dl4jFanIn == shape[0] * shape[1] * shape[2]) {
                return depthwise(shape[0], shape[1], shape[2], shape[3]);
            }
            if (shape.length == 4 && shape[3] == 1 && dl4jFanIn == shape[1] * shape[2] * shape[2]) {
                // Convolution1DLayer [nOut, nIn, k, 1]: DL4J squares k in fanIn (nIn·k²).
                return conv(shape);
            }
            if (shape.length == 5 && dl4jFanIn == shape[4] * shape[0] * shape[1] * shape[2]) {
                return deconv3d(shape[0], shape[1], shape[2], shape[3], shape[4]);
            }
        }
        if (shape.length < 2) {
            return identity(shape);
        }
        return opaque(shape, dl4jFans);
    }

    /** PyTorch's shape for this parameter. */
    public long[] torchShape() {
        return torchShape.clone();
    }

    /** PyTorch's fans for this parameter (or DL4J's for an opaque layout). */
    public Fans fans() {
        return fans;
    }

    /** A short name of the layout, e.g. {@code "dense"}. */
    public String name() {
        return name;
    }

    /**
     * Runs {@code torchFill} on the PyTorch-shaped, C-ordered tensor of {@code dl4jView} and makes
     * sure the values land in the DL4J array. Where memory orders agree (Dense, conv) the tensor is
     * a view and nothing is copied; otherwise a temporary is filled and copied in.
     *
     * @throws IllegalArgumentException if the array does not have the layout's shape
     */
    public void fill(INDArray dl4jView, Consumer<INDArray> torchFill) {
        Objects.requireNonNull(torchFill, "torchFill");
        long[] expected = new long[permutation.length];
        long[] viewShape = dl4jView.shape();
        if (viewShape.length != permutation.length) {
            throw Args.invalid("param.shape", viewShape,
                    permutation.length + " dimensions for the " + name + " layout");
        }
        for (int i = 0; i < permutation.length; i++) {
            expected[i] = viewShape[permutation[i]];
        }
        if (product(expected, 0, expected.length) != product(torchShape, 0, torchShape.length)) {
            throw Args.invalid("param.shape", viewShape,
                    "a shape of " + name + " layout matching PyTorch's " + Arrays.toString(torchShape));
        }
        if (dl4jView.length() == 0) {
            return;
        }
        INDArray permuted = permutation.length == 0 ? dl4jView : dl4jView.permute(permutation);
        INDArray direct = DenseViews.asCOrderView(permuted, torchShape);
        if (direct != null) {
            torchFill.accept(direct);
            return;
        }
        INDArray tmp = Nd4j.create(dl4jView.dataType(), torchShape, 'c');
        torchFill.accept(tmp);
        permuted.assign(tmp.reshape('c', expected));
    }

    /**
     * The values of {@code dl4jView} as PyTorch's tensor: PyTorch's shape, C order (a copy).
     *
     * @throws IllegalArgumentException if the array does not have the layout's shape
     */
    public INDArray read(INDArray dl4jView) {
        Args.notNull("param", dl4jView);
        long[] viewShape = dl4jView.shape();
        if (viewShape.length != permutation.length) {
            throw Args.invalid("param.shape", viewShape,
                    permutation.length + " dimensions for the " + name + " layout");
        }
        INDArray permuted = permutation.length == 0 ? dl4jView : dl4jView.permute(permutation);
        if (permuted.length() != product(torchShape, 0, torchShape.length)) {
            throw Args.invalid("param.shape", viewShape,
                    "a shape of " + name + " layout matching PyTorch's " + Arrays.toString(torchShape));
        }
        return permuted.dup('c').reshape('c', torchShape);
    }

    private static long product(long[] a, int from, int to) {
        long p = 1;
        for (int i = from; i < to; i++) {
            p *= a[i];
        }
        return p;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof TorchLayout)) {
            return false;
        }
        TorchLayout l = (TorchLayout) o;
        return name.equals(l.name) && Arrays.equals(permutation, l.permutation)
                && Arrays.equals(torchShape, l.torchShape) && fans.equals(l.fans);
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, Arrays.hashCode(permutation), Arrays.hashCode(torchShape));
    }

    @Override
    public String toString() {
        return "TorchLayout(" + name + ", torch shape " + Arrays.toString(torchShape) + ", " + fans + ")";
    }
}
