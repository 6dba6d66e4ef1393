package io.github.dl4jinit.init;

import io.github.dl4jinit.internal.Args;
import io.github.dl4jinit.sampling.Sampler;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.shade.jackson.annotation.JsonProperty;

import java.util.Map;

/** U[a, b), as {@code torch.nn.init.uniform_(tensor, a, b)} (defaults a = 0, b = 1). */
public final class Uniform extends TorchWeightInit {
    private final double a;
    private final double b;

    /** U[0, 1), PyTorch's default. */
    public Uniform() {
        this(0.0, 1.0);
    }

    /**
     * @throws IllegalArgumentException if a bound is NaN or infinite, a &gt; b, or b − a overflows
     */
    public Uniform(@JsonProperty("a") double a, @JsonProperty("b") double b) {
        this.a = Args.finite("a", a);
        this.b = Args.finite("b", b);
        if (a > b) {
            throw Args.invalid("a", a, "a <= b = " + b
                    + " (PyTorch: uniform_ expects to return a [from, to) range, but found from=" + a + " > to=" + b + ")");
        }
        Args.finite("b - a", b - a);
    }

    @Override
    public void sample(INDArray torchTensor, Fans fans, Sampler sampler) {
        sampler.uniform(torchTensor, a, b);
    }

    public double a() {
        return a;
    }

    public double b() {
        return b;
    }

    @Override
    protected Map<String, Object> parameters() {
        return Params.of("a", a, "b", b);
    }
}
