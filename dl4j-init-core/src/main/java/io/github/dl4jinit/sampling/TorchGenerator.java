package io.github.dl4jinit.sampling;

import io.github.dl4jinit.internal.Args;
import io.github.dl4jinit.internal.DenseViews;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.nio.FloatBuffer;
import java.util.Arrays;

/**
 * PyTorch's CPU random number generator and its {@code uniform_}/{@code normal_} kernels, bit for bit.
 *
 * <p>{@code new TorchGenerator(s)} produces the stream of {@code torch.manual_seed(s)}: MT19937
 * seeded with the low 32 bits of the seed (a negative seed {@code s} is PyTorch's {@code 2^64 + s},
 * whose low bits are the same; seeds ≥ 2^32 wrap, as in PyTorch). Fills follow
 * {@code aten/src/ATen/native/cpu/DistributionTemplates.h} of torch 2.13/2.14 on x86-64 with AVX2:
 * <ul>
 *   <li>{@link #uniform}: float {@code fma((u32 & 0xFFFFFF)·2^-24, to−from, from)}, double
 *       {@code fma((u64 & (2^53−1))·2^-53, to−from, from)}, and a value equal to {@code to} becomes
 *       {@code from}.</li>
 *   <li>{@link #normal}, 16 or more elements of a dense tensor: all uniforms first, then PyTorch's
 *       vectorised Box–Muller per block of 16 (float: the avx_mathfun polynomials, exact; double: libm
 *       log/sin/cos, which Java's {@code Math} matches in all but a few last bits); a trailing partial
 *       block redraws 16 uniforms for the last 16 elements.</li>
 *   <li>{@link #normal}, fewer than 16 elements or a strided view: the scalar double Box–Muller
 *       that caches its second value in the generator until {@link #manualSeed}.</li>
 *   <li>{@link #normalAt}, {@link #uniformAt}: some values of a whole-tensor {@code normal_} or
 *       {@code uniform_} ({@code trunc_normal_}'s redraws); the stream advances over the whole
 *       tensor, the other values are skipped.</li>
 * </ul>
 * Elements are visited in memory order: for a DL4J Dense {@code W} [nIn, nOut] in f order that is the
 * order of PyTorch's weight [out, in]. On a large float tensor only the stream itself is drawn
 * serially: the tempering and conversion of {@code uniform_} and the block transform of
 * {@code normal_} run on several threads (helpers from the caller's fork-join pool, else the common
 * pool) while the stream is drawn; the result does not depend on their number.
 *
 * <p>The stream is {@link Mt19937}'s, the kernels {@link TorchKernels}' and, for a large float
 * tensor, {@link UniformPipeline}'s and {@link NormalPipeline}'s; this class holds the generator's whole state (stream,
 * cached normal, seed) and PyTorch's argument checks.
 *
 * <p>Not thread-safe: use one generator per thread (two generators with the same seed give the same
 * bits on any thread).
 */
public final class TorchGenerator implements Sampler {
    private final Mt19937 mt = new Mt19937();
    private boolean hasCachedNormal;
    private double cachedNormal;
    private long seed;

    /** The stream of {@code torch.manual_seed(seed)}. */
    public TorchGenerator(long seed) {
        manualSeed(seed);
    }

    /**
     * Re-seeds as {@code torch.manual_seed(seed)} does, clearing the cached normal.
     * Seeds in [2^63, 2^64) are passed as the negative long with the same bits.
     */
    public void manualSeed(long seed) {
        this.seed = seed;
        mt.seed(seed);
        hasCachedNormal = false;
    }

    /**
     * A snapshot of the whole generator: the MT19937 state and position, the cached normal and the
     * seed, as {@code torch.Generator.get_state()}. Snapshots compare equal exactly when the two
     * generators will produce the same values from here on.
     */
    public State getState() {
        return new State(mt.state.clone(), mt.left, mt.next, hasCachedNormal, cachedNormal, seed);
    }

    /** Restores a snapshot taken by {@link #getState()}, as {@code torch.Generator.set_state()}. */
    public void setState(State s) {
        Args.notNull("state", s);
        System.arraycopy(s.mt, 0, mt.state, 0, Mt19937.N);
        mt.left = s.left;
        mt.next = s.next;
        hasCachedNormal = s.hasCachedNormal;
        cachedNormal = s.cachedNormal;
        seed = s.seed;
    }

    /** The seed last given, as {@code initial_seed()} (negative for seeds ≥ 2^63). */
    public long seed() {
        return seed;
    }

    /** One tempered 32-bit output, as {@code CPUGeneratorImpl::random()} (unsigned, in an int). */
    public int random() {
        return mt.random();
    }

    /** {@code CPUGeneratorImpl::random64()}: the first output in the high word, the second in the low. */
    public long random64() {
        return mt.random64();
    }

    // ------------------------------------------------------------------ uniform_

    /**
     * Fills {@code target} with U[from, to) exactly as {@code target.uniform_(from, to)}.
     *
     * @throws IllegalArgumentException as PyTorch refuses: from &gt; to, a bound out of the dtype's
     *                                  range or NaN, a span larger than the dtype's maximum, or a
     *                                  target that is not floating point
     */
    @Override
    public void uniform(INDArray target, double from, double to) {
        DataType type = SamplerArgs.floatingType(target);
        SamplerArgs.torchUniform(type, from, to);
        int n = (int) target.length();
        if (n == 0) {
            return;
        }
        INDArray ordered = DenseViews.memoryOrdered(target);
        if (type == DataType.DOUBLE) {
            double[] out = new double[n];
            fillUniform(out, from, to);
            DenseViews.write(ordered, out);
        } else {
            FloatBuffer direct = DenseViews.writableFloats(ordered);
            if (direct != null) {
                UniformPipeline.fill(mt, n, (float) from, (float) to, DenseViews.writableFloatBits(ordered), direct);
                return;
            }
            float[] out = new float[n];
            fillUniform(out, from, to);
            DenseViews.write(ordered, out);
        }
    }

    /** {@code uniform_} on a float buffer: the next {@code out.length} values of the stream. */
    public void fillUniform(float[] out, double from, double to) {
        TorchKernels.uniform(mt, out, from, to);
    }

    /** {@code uniform_} on a double buffer: the next {@code out.length} values of the stream. */
    public void fillUniform(double[] out, double from, double to) {
        TorchKernels.uniform(mt, out, from, to);
    }

    // ------------------------------------------------------------------ normal_

    /**
     * Fills {@code target} with N(mean, std²) exactly as {@code target.normal_(mean, std)}.
     *
     * @throws IllegalArgumentException if std is negative or NaN, mean is not finite, or the target
     *                                  is not floating point
     */
    @Override
    public void normal(INDArray target, double mean, double std) {
        DataType type = SamplerArgs.floatingType(target);
        SamplerArgs.torchNormal(mean, std);
        int n = (int) target.length();
        if (n == 0) {
            return;
        }
        INDArray ordered = DenseViews.memoryOrdered(target);
        boolean batched = n >= 16 && DenseViews.isCContiguous(ordered);
        if (type == DataType.DOUBLE) {
            double[] out = new double[n];
            if (batched) {
                fillNormal(out, mean, std);
            } else {
                for (int i = 0; i < n; i++) {
                    out[i] = scalarNormal(mean, std);
                }
            }
            DenseViews.write(ordered, out);
        } else {
            FloatBuffer direct = batched ? DenseViews.writableFloats(ordered) : null;
            if (direct != null) {
                NormalPipeline.fill(mt, n, (float) mean, (float) std, null, direct);
                return;
            }
            float[] out = new float[n];
            if (batched) {
                fillNormal(out, mean, std);
            } else {
                for (int i = 0; i < n; i++) {
                    out[i] = (float) scalarNormal(mean, std);
                }
            }
            DenseViews.write(ordered, out);
        }
    }

    /**
     * {@code normal_} on a contiguous float tensor of {@code out.length} elements (fewer than 16 take
     * the scalar path, as in PyTorch).
     */
    public void fillNormal(float[] out, double mean, double std) {
        int n = out.length;
        if (n < 16) {
            for (int i = 0; i < n; i++) {
                out[i] = (float) scalarNormal(mean, std);
            }
            return;
        }
        NormalPipeline.fill(mt, n, (float) mean, (float) std, out, null);
    }

    /** {@code normal_} on a contiguous double tensor of {@code out.length} elements. */
    public void fillNormal(double[] out, double mean, double std) {
        int n = out.length;
        if (n < 16) {
            for (int i = 0; i < n; i++) {
                out[i] = scalarNormal(mean, std);
            }
            return;
        }
        TorchKernels.normalBlocks(mt, out, mean, std);
    }

    /** {@code at::normal_distribution<double>}: Box–Muller with the sine value cached in the generator. */
    private double scalarNormal(double mean, double std) {
        double value;
        if (hasCachedNormal) {
            value = cachedNormal;
            hasCachedNormal = false;
        } else {
            double u1 = mt.nextDouble53();
            double u2 = mt.nextDouble53();
            double r = Math.sqrt(-2.0 * Math.log1p(-u2));
            double theta = 2.0 * Math.PI * u1;
            cachedNormal = r * Math.sin(theta);
            hasCachedNormal = true;
            value = r * Math.cos(theta);
        }
        return Math.fma(value, std, mean);
    }

    // ------------------------------------------------------------------ trunc_normal_'s redraws

    /**
     * {@inheritDoc}
     *
     * <p>The stream advances exactly as {@link #normal} on a dense tensor of {@code like.length()}
     * elements. For float and double tensors of 16 or more elements, the outputs that feed none of
     * the requested values are skipped (the state still twists, but they are neither tempered nor
     * transformed): a redraw of a few positions costs a fraction of a whole fill.
     */
    @Override
    public double[] normalAt(INDArray like, int[] positions, double mean, double std) {
        DataType type = SamplerArgs.floatingType(like);
        SamplerArgs.torchNormal(mean, std);
        long n = like.length();
        if (n < 16 || !TorchKernels.skips(type, n + 16)) {
            return pickFromFull(like, positions, true, mean, std);
        }
        return TorchKernels.normalAt(mt, type, (int) n, positions, mean, std);
    }

    /**
     * {@inheritDoc}
     *
     * <p>The stream advances exactly as {@link #uniform} on a tensor of {@code like.length()}
     * elements; for float and double tensors the outputs that feed none of the requested values are
     * skipped, as in {@link #normalAt}.
     */
    @Override
    public double[] uniformAt(INDArray like, int[] positions, double from, double to) {
        DataType type = SamplerArgs.floatingType(like);
        SamplerArgs.torchUniform(type, from, to);
        long n = like.length();
        if (!TorchKernels.skips(type, n)) {
            return pickFromFull(like, positions, false, from, to);
        }
        return TorchKernels.uniformAt(mt, type, (int) n, positions, from, to);
    }

    /** The exact redraw without skipping: a whole fresh tensor, of which the positions are kept. */
    private double[] pickFromFull(INDArray like, int[] positions, boolean normal, double p1, double p2) {
        INDArray fresh = Nd4j.create(like.dataType(), like.length());
        if (normal) {
            normal(fresh, p1, p2);
        } else {
            uniform(fresh, p1, p2);
        }
        double[] all = DenseViews.readDoubles(fresh);
        double[] out = new double[positions.length];
        for (int k = 0; k < positions.length; k++) {
            out[k] = all[positions[k]];
        }
        return out;
    }

    // ------------------------------------------------------------------ randperm

    /**
     * {@code torch.randperm(n)} on the CPU for n &lt; 2^32/20: Fisher–Yates with
     * {@code z = random() % (n − i)}.
     */
    @Override
    public int[] permutation(int n) {
        if (n < 0) {
            throw Args.invalid("n", n, "n >= 0");
        }
        int[] r = new int[n];
        for (int i = 0; i < n; i++) {
            r[i] = i;
        }
        for (int i = 0; i < n - 1; i++) {
            long z = (mt.random() & 0xffffffffL) % (n - i);
            int tmp = r[i];
            r[i] = r[(int) z + i];
            r[(int) z + i] = tmp;
        }
        return r;
    }

    /** An immutable snapshot of a {@link TorchGenerator} ({@link #getState()}). */
    public static final class State {
        private final int[] mt;
        private final int left;
        private final int next;
        private final boolean hasCachedNormal;
        private final double cachedNormal;
        private final long seed;

        private State(int[] mt, int left, int next, boolean hasCachedNormal, double cachedNormal, long seed) {
            this.mt = mt;
            this.left = left;
            this.next = next;
            this.hasCachedNormal = hasCachedNormal;
            this.cachedNormal = cachedNormal;
            this.seed = seed;
        }

        @Override
        public boolean equals(Object o) {
            if (!(o instanceof State)) {
                return false;
            }
            State s = (State) o;
            return left == s.left && next == s.next && hasCachedNormal == s.hasCachedNormal
                    && (!hasCachedNormal || Double.doubleToRawLongBits(cachedNormal) == Double.doubleToRawLongBits(s.cachedNormal))
                    && seed == s.seed && Arrays.equals(mt, s.mt);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(mt) * 31 + left * 7 + next;
        }

        @Override
        public String toString() {
            return "TorchGenerator.State(seed=" + seed + ", next=" + next + ", left=" + left + (hasCachedNormal
                    ? ", cached normal " + cachedNormal : "") + ")";
        }
    }
}
