package io.github.dl4jinit.init;

import io.github.dl4jinit.internal.Args;
import io.github.dl4jinit.sampling.FastSampler;
import io.github.dl4jinit.sampling.Sampler;
import org.deeplearning4j.nn.weights.IWeightInit;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.Arrays;
import java.util.Map;

/**
 * Base of every scheme: one fill routine ({@link #sample}) reached from three doors.
 *
 * <ul>
 *   <li>{@link #init}: DL4J's configuration path ({@code .weightInit(scheme)}). The PyTorch layout
 *       and fans are inferred from what DL4J passes ({@link TorchLayout#detect}); numbers come from
 *       ND4J's generator, so they follow the network's {@code .seed(...)}.</li>
 *   <li>{@link #fill(INDArray, TorchLayout, Sampler)}: a DL4J parameter whose PyTorch layout is
 *       known (what {@code NetworkInitializer} uses).</li>
 *   <li>{@link #apply(INDArray, Sampler)}: a tensor already in PyTorch's shape, exactly like
 *       {@code torch.nn.init.<scheme>_(tensor, generator=g)}; with a {@code TorchGenerator} the bits
 *       are PyTorch's.</li>
 * </ul>
 *
 * <p>Schemes are immutable value objects: they survive DL4J's JSON/YAML configuration and
 * {@code ModelSerializer} round trips and compare equal afterwards.
 */
public abstract class TorchWeightInit implements IWeightInit {

    /**
     * DL4J's entry point: fills {@code paramView} in place and returns it in the requested shape.
     *
     * @throws IllegalArgumentException if the scheme cannot fit the parameter; the message says what
     *                                  DL4J passed (shape, order, fans) and how it was read, since
     *                                  DL4J does not say which layer it is initializing
     */
    @Override
    public INDArray init(double fanIn, double fanOut, long[] shape, char order, INDArray paramView) {
        INDArray view = paramView.reshape(order, shape);
        TorchLayout layout = TorchLayout.detect(shape, order, fanIn, fanOut);
        try {
            fill(view, layout, FastSampler.get());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(e.getMessage() + ". " + this + " was set with .weightInit(...) on a layer"
                    + " whose parameter DL4J passed as shape " + Arrays.toString(shape) + ", order '" + order
                    + "', fanIn " + fanIn + ", fanOut " + fanOut + ", read with the " + layout.name()
                    + " layout as PyTorch shape " + Arrays.toString(layout.torchShape())
                    + ". Give that layer a scheme that accepts this shape", e);
        }
        return view;
    }

    /**
     * Fills a DL4J parameter whose PyTorch layout is known, drawing in PyTorch's element order.
     * A zero-element parameter of a shape the scheme accepts is left alone, as PyTorch does; one of a
     * shape it refuses is refused, as PyTorch checks the shape first.
     *
     * @throws IllegalArgumentException if the scheme cannot fit the parameter's shape; nothing is
     *                                  written then
     */
    public final void fill(INDArray dl4jView, TorchLayout layout, Sampler sampler) {
        Args.notNull("param", dl4jView);
        Args.notNull("layout", layout);
        Args.notNull("sampler", sampler);
        checkShape(layout.torchShape());
        if (dl4jView.length() == 0) {
            checkZeroElements(layout.fans());
            return;
        }
        layout.fill(dl4jView, t -> sample(t, layout.fans(), sampler));
    }

    /**
     * Fills a tensor in PyTorch's shape, as {@code torch.nn.init.<scheme>_(tensor, generator=g)};
     * fans are PyTorch's for the tensor's shape and C order is PyTorch's element order.
     */
    public final void apply(INDArray torchTensor, Sampler sampler) {
        Args.notNull("tensor", torchTensor);
        fill(torchTensor, TorchLayout.identity(torchTensor.shape()), sampler);
    }

    /** {@link #apply(INDArray, Sampler)} with ND4J's generator. */
    public final void apply(INDArray torchTensor) {
        apply(torchTensor, FastSampler.get());
    }

    /**
     * Validates that the scheme fits a PyTorch shape before anything is written. The default accepts
     * every shape; shape-bound schemes (eye, dirac, orthogonal, sparse) override it.
     *
     * @throws IllegalArgumentException naming the shape and what was expected
     */
    public void checkShape(long[] torchShape) {
    }

    /**
     * Validates what PyTorch validates before it returns from a zero-element tensor, beyond the shape
     * ({@link #checkShape}). The default checks nothing more: {@code kaiming_*} return before they
     * compute fans; {@code xavier_*} compute them first and override this.
     *
     * @param fans the fans the scheme would use
     * @throws IllegalArgumentException as the scheme would on a non-empty tensor
     */
    protected void checkZeroElements(Fans fans) {
    }

    /**
     * The one fill routine: writes the scheme's values into a C-order tensor in PyTorch's shape.
     *
     * @param torchTensor C-order tensor in PyTorch's shape, filled in place
     * @param fans        the fans to use (PyTorch's for the weight; for a bias those of its weight)
     * @param sampler     where random numbers come from
     */
    public abstract void sample(INDArray torchTensor, Fans fans, Sampler sampler);

    /** The scheme's parameters by name, in declaration order: the basis of equals and toString. */
    protected abstract Map<String, Object> parameters();

    @Override
    public final boolean equals(Object o) {
        return o != null && o.getClass() == getClass() && parameters().equals(((TorchWeightInit) o).parameters());
    }

    @Override
    public final int hashCode() {
        return getClass().getName().hashCode() * 31 + parameters().hashCode();
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(getClass().getSimpleName()).append('(');
        boolean first = true;
        for (Map.Entry<String, Object> e : parameters().entrySet()) {
            if (!first) {
                sb.append(", ");
            }
            first = false;
            sb.append(e.getKey()).append('=').append(e.getValue());
        }
        return sb.append(')').toString();
    }
}
