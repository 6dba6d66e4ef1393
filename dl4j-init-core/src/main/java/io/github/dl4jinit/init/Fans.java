package io.github.dl4jinit.init;

import io.github.dl4jinit.internal.Args;

import java.util.Arrays;

/**
 * The fan_in and fan_out of a weight, by PyTorch's rule: the one place fans are computed.
 *
 * <p>For a PyTorch-shaped weight {@code (size0, size1, k...)}:
 * {@code fan_in = size1 · ∏k} and {@code fan_out = size0 · ∏k}, exactly as
 * {@code torch.nn.init._calculate_fan_in_and_fan_out}. A tensor of fewer than two dimensions has no
 * fans; asking for them fails with PyTorch's message. How DL4J's parameter layouts map onto
 * PyTorch's shapes is {@link TorchLayout}'s job.
 */
public final class Fans {
    private final double fanIn;
    private final double fanOut;
    private final long[] shapeWithoutFans;

    private Fans(double fanIn, double fanOut, long[] shapeWithoutFans) {
        this.fanIn = fanIn;
        this.fanOut = fanOut;
        this.shapeWithoutFans = shapeWithoutFans;
    }

    /** Fans given explicitly (for instance DL4J's own, or those of the weight a bias belongs to). */
    public static Fans of(double fanIn, double fanOut) {
        return new Fans(fanIn, fanOut, null);
    }

    /**
     * PyTorch's {@code _calculate_fan_in_and_fan_out(tensor)} for a tensor of this shape. A shape of
     * fewer than two dimensions gives fans that fail when read, as PyTorch fails.
     */
    public static Fans ofTorchShape(long... torchShape) {
        if (torchShape.length < 2) {
            return new Fans(Double.NaN, Double.NaN, torchShape.clone());
        }
        double receptive = 1;
        for (int i = 2; i < torchShape.length; i++) {
            receptive *= torchShape[i];
        }
        return new Fans(torchShape[1] * receptive, torchShape[0] * receptive, null);
    }

    /** True when the fans are known (the tensor had at least two dimensions, or fans were given). */
    public boolean known() {
        return shapeWithoutFans == null;
    }

    /** fan_in. */
    public double fanIn() {
        requireKnown();
        return fanIn;
    }

    /** fan_out. */
    public double fanOut() {
        requireKnown();
        return fanOut;
    }

    /** The fan a {@link FanMode} selects; {@link FanMode#FAN_AVG} is (fan_in + fan_out) / 2. */
    public double get(FanMode mode) {
        switch (mode) {
            case FAN_IN:
                return fanIn();
            case FAN_OUT:
                return fanOut();
            default:
                return (fanIn() + fanOut()) / 2;
        }
    }

    private void requireKnown() {
        if (shapeWithoutFans != null) {
            throw Args.invalid("tensor.shape", shapeWithoutFans,
                    "at least 2 dimensions (PyTorch: Fan in and fan out can not be computed for tensor "
                            + "with fewer than 2 dimensions)");
        }
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof Fans)) {
            return false;
        }
        Fans f = (Fans) o;
        return Double.compare(fanIn, f.fanIn) == 0 && Double.compare(fanOut, f.fanOut) == 0
                && Arrays.equals(shapeWithoutFans, f.shapeWithoutFans);
    }

    @Override
    public int hashCode() {
        return 31 * Double.hashCode(fanIn) + Double.hashCode(fanOut);
    }

    @Override
    public String toString() {
        return known() ? "Fans(fan_in=" + fanIn + ", fan_out=" + fanOut + ")"
                : "Fans(none: shape " + Arrays.toString(shapeWithoutFans) + ")";
    }
}
