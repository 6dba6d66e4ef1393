package io.github.dl4jinit.init;

/**
 * The distribution a {@link VarianceScaling} scheme draws from, as JAX's
 * {@code variance_scaling(distribution=...)} names them.
 */
public enum Distribution {
    /** U(−√3·std, √3·std): the uniform distribution with the target standard deviation. */
    UNIFORM,
    /** N(0, std²). */
    NORMAL,
    /**
     * A normal truncated to ±2σ whose σ is divided by 0.87962566103423978 so that the truncated
     * distribution has the target std (JAX's {@code "truncated_normal"}).
     */
    TRUNCATED_NORMAL
}
