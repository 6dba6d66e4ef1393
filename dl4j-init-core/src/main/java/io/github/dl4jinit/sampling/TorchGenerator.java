package io.github.dl4jinit.sampling;

import io.github.dl4jinit.internal.Args;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.nio.FloatBuffer;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinTask;
import java.util.concurrent.atomic.AtomicInteger;

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
 * order of PyTorch's weight [out, in]. The float block transform runs on several threads (helpers
 * from the caller's fork-join pool, else the common pool) while the uniforms are drawn; the result does
 * not depend on their number.
 *
 * <p>Not thread-safe: use one generator per thread (two generators with the same seed give the same
 * bits on any thread).
 */
public final class TorchGenerator implements Sampler {
    private static final int N = 624;
    private static final int M = 397;
    private static final int PARALLEL_MIN_BLOCKS = 4096;
    /** Blocks of 16 per chunk of the float normal pipeline: 64 Ki values, 256 KiB. */
    private static final int CHUNK_BLOCKS = 4096;
    private static final ThreadLocal<float[]> CHUNK_SCRATCH = ThreadLocal.withInitial(() -> new float[CHUNK_BLOCKS * 16]);

    private final int[] state = new int[N];
    private int left;
    private int next;
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
        int x = (int) seed;
        state[0] = x;
        for (int j = 1; j < N; j++) {
            x = 1812433253 * (x ^ (x >>> 30)) + j;
            state[j] = x;
        }
        left = 1;
        next = 0;
        hasCachedNormal = false;
    }

    /**
     * A snapshot of the whole generator: the MT19937 state and position, the cached normal and the
     * seed, as {@code torch.Generator.get_state()}. Snapshots compare equal exactly when the two
     * generators will produce the same values from here on.
     */
    public State getState() {
        return new State(state.clone(), left, next, hasCachedNormal, cachedNormal, seed);
    }

    /** Restores a snapshot taken by {@link #getState()}, as {@code torch.Generator.set_state()}. */
    public void setState(State s) {
        Args.notNull("state", s);
        System.arraycopy(s.mt, 0, state, 0, N);
        left = s.left;
        next = s.next;
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
        if (--left == 0) {
            twist();
        }
        return temper(state[next++]);
    }

    private static int temper(int y) {
        y ^= y >>> 11;
        y ^= (y << 7) & 0x9d2c5680;
        y ^= (y << 15) & 0xefc60000;
        y ^= y >>> 18;
        return y;
    }

    /** {@code CPUGeneratorImpl::random64()}: the first output in the high word, the second in the low. */
    public long random64() {
        long hi = random() & 0xffffffffL;
        long lo = random() & 0xffffffffL;
        return (hi << 32) | lo;
    }

    private void twist() {
        int[] s = state;
        for (int p = 0; p < N - M; p++) {
            s[p] = s[p + M] ^ mix(s[p], s[p + 1]);
        }
        for (int p = N - M; p < N - 1; p++) {
            s[p] = s[p + M - N] ^ mix(s[p], s[p + 1]);
        }
        s[N - 1] = s[M - 1] ^ mix(s[N - 1], s[0]);
        left = N;
        next = 0;
    }

    /** The twist of one state word; branch-free ({@code −(v & 1)} is all ones for odd v), so the loops above vectorize. */
    private static int mix(int u, int v) {
        int y = (u & 0x80000000) | (v & 0x7fffffff);
        return (y >>> 1) ^ (-(v & 1) & 0x9908b0df);
    }

    private float nextFloat24() {
        return (random() & 0xFFFFFF) * 0x1.0p-24f;
    }

    private double nextDouble53() {
        return (random64() & 0x1FFFFFFFFFFFFFL) * 0x1.0p-53;
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
        DataType type = floatingType(target);
        checkUniformBounds(type, from, to);
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
                fillUniform(direct, n, from, to);
                return;
            }
            float[] out = new float[n];
            fillUniform(out, from, to);
            DenseViews.write(ordered, out);
        }
    }

    /**
     * {@link #fillUniform(float[], double, double)} straight into a buffer (no temporary array). The
     * tempering loop is written out here as in {@link #drawFloat24} on purpose: going through a
     * chunk filled by {@code drawFloat24} made 4096² uniform fills 29 % slower (75 vs 59 ms).
     */
    private void fillUniform(FloatBuffer out, int n, double from, double to) {
        float f = (float) from;
        float t = (float) to;
        float span = t - f;
        int i = 0;
        while (i < n) {
            // the outputs random() would return, taken a state block at a time
            if (left == 1) {
                twist();
                left = N + 1;
            }
            int take = Math.min(left - 1, n - i);
            int[] st = state;
            int p = next;
            for (int k = 0; k < take; k++) {
                int y = st[p + k];
                y ^= y >>> 11;
                y ^= (y << 7) & 0x9d2c5680;
                y ^= (y << 15) & 0xefc60000;
                y ^= y >>> 18;
                float v = Math.fma((y & 0xFFFFFF) * 0x1.0p-24f, span, f);
                out.put(i + k, v == t ? f : v);
            }
            next = p + take;
            left -= take;
            i += take;
        }
    }

    /** {@code uniform_} on a float buffer: the next {@code out.length} values of the stream. */
    public void fillUniform(float[] out, double from, double to) {
        float f = (float) from;
        float t = (float) to;
        float span = t - f;
        for (int i = 0; i < out.length; i++) {
            float x = (random() & 0xFFFFFF) * 0x1.0p-24f;
            float v = Math.fma(x, span, f);
            out[i] = v == t ? f : v;
        }
    }

    /** {@code uniform_} on a double buffer: the next {@code out.length} values of the stream. */
    public void fillUniform(double[] out, double from, double to) {
        double span = to - from;
        for (int i = 0; i < out.length; i++) {
            double v = Math.fma(nextDouble53(), span, from);
            out[i] = v == to ? from : v;
        }
    }

    private static void checkUniformBounds(DataType type, double from, double to) {
        double max = type == DataType.DOUBLE ? Double.MAX_VALUE : Float.MAX_VALUE;
        String typeName = type == DataType.DOUBLE ? "double" : "float";
        if (!(Math.abs(from) <= max)) {
            throw Args.invalid("from", from, "a finite " + typeName
                    + " (PyTorch: from is out of bounds for " + typeName + ")");
        }
        if (!(Math.abs(to) <= max)) {
            throw Args.invalid("to", to, "a finite " + typeName
                    + " (PyTorch: to is out of bounds for " + typeName + ")");
        }
        if (from > to) {
            throw Args.invalid("from", from, "from <= to = " + to
                    + " (PyTorch: uniform_ expects to return a [from, to) range, but found from="
                    + from + " > to=" + to + ")");
        }
        if (!(to - from <= max)) {
            throw Args.invalid("to - from", to - from, "at most the " + typeName + " maximum " + max
                    + " (PyTorch: uniform_ expects to-from <= std::numeric_limits<" + typeName
                    + ">::max())");
        }
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
        DataType type = floatingType(target);
        checkNormal(mean, std);
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
                fillNormalBlocks(n, (float) mean, (float) std, null, direct);
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
     * {@code normal_} on a contiguous float tensor of {@code out.length} elements (at least 16:
     * shorter ones take the scalar path of {@link #normal}).
     */
    public void fillNormal(float[] out, double mean, double std) {
        int n = out.length;
        if (n < 16) {
            for (int i = 0; i < n; i++) {
                out[i] = (float) scalarNormal(mean, std);
            }
            return;
        }
        fillNormalBlocks(n, (float) mean, (float) std, out, null);
    }

    /**
     * The float {@code normal_} of {@code n >= 16} elements, in place into {@code out} when it is
     * given, else into {@code buf} (absolute indices from 0): {@code n} uniforms in order, each
     * complete block of 16 transformed by {@link BoxMullerAvx2#fillBlocks}, then, if {@code n % 16
     * != 0}, 16 more uniforms transformed into the last 16 elements (overwriting the end of the last
     * block). The uniforms are drawn serially
     * a chunk of {@link #CHUNK_BLOCKS} blocks at a time while other threads transform the chunks
     * already drawn; as every chunk's values are fixed by the stream alone, the result does not
     * depend on the number of threads or on their timing.
     */
    private void fillNormalBlocks(int n, float mean, float std, float[] out, FloatBuffer buf) {
        int blocks = n / 16;
        int chunks = (blocks + CHUNK_BLOCKS - 1) / CHUNK_BLOCKS;
        // without an array, each chunk is drawn into this scratch and copied into the buffer
        float[] drawn = out == null ? new float[Math.min(blocks, CHUNK_BLOCKS) * 16] : null;
        // helpers from the caller's fork-join pool if it runs in one, else from the common pool
        boolean inPool = ForkJoinTask.inForkJoinPool();
        ForkJoinPool pool = inPool ? ForkJoinTask.getPool() : ForkJoinPool.commonPool();
        boolean helped = blocks >= PARALLEL_MIN_BLOCKS && chunks > 1
                && pool.getParallelism() - (inPool ? 1 : 0) > 0 && Runtime.getRuntime().availableProcessors() > 1;
        NormalPipeline pipe = new NormalPipeline(chunks, blocks, mean, std, out, buf);
        for (int c = 0; c < chunks; c++) {
            int from = c * CHUNK_BLOCKS * 16;
            int to = Math.min(blocks, (c + 1) * CHUNK_BLOCKS) * 16;
            if (out != null) {
                drawFloat24(out, from, to);
            } else {
                drawFloat24(drawn, 0, to - from);
                ((FloatBuffer) buf.duplicate().position(from)).put(drawn, 0, to - from);
            }
            pipe.drawn = c + 1; // volatile write: publishes the chunk to the helpers
            if (helped) {
                // a task per drawn chunk: a helper takes what is drawn and returns, so none waits spinning
                pool.execute(pipe::transformDrawn);
            }
        }
        float[] tail = null;
        if (n % 16 != 0) {
            tail = new float[16];
            // the uniforms of elements [16·blocks, n) are drawn and then overwritten, as in PyTorch
            drawFloat24(tail, 0, n % 16);
            drawFloat24(tail, 0, 16);
            BoxMullerAvx2.fill16(tail, 0, mean, std);
        }
        pipe.transformDrawn();
        pipe.awaitTransformed();
        if (tail != null) {
            if (out != null) {
                System.arraycopy(tail, 0, out, n - 16, 16);
            } else {
                ((FloatBuffer) buf.duplicate().position(n - 16)).put(tail);
            }
        }
    }

    /** Work shared by the threads of {@link #fillNormalBlocks}: drawn chunks claimed in order. */
    private static final class NormalPipeline {
        private final int chunks;
        private final int blocks;
        private final float mean;
        private final float std;
        private final float[] out;
        private final FloatBuffer buf;
        private final AtomicInteger claimed = new AtomicInteger();
        private final CountDownLatch transformed;
        private volatile Throwable failure;
        volatile int drawn;

        NormalPipeline(int chunks, int blocks, float mean, float std, float[] out, FloatBuffer buf) {
            this.chunks = chunks;
            this.blocks = blocks;
            this.mean = mean;
            this.std = std;
            this.out = out;
            this.buf = buf;
            this.transformed = new CountDownLatch(chunks);
        }

        /** Transforms the drawn chunks that nobody has claimed yet; returns when none is left. */
        void transformDrawn() {
            for (int c = claimed.get(); c < drawn; c = claimed.get()) {
                if (!claimed.compareAndSet(c, c + 1)) {
                    continue;
                }
                try {
                    transform(c);
                } catch (Throwable t) {
                    failure = t;
                } finally {
                    transformed.countDown();
                }
            }
        }

        /** Waits until every chunk is transformed (the caller has claimed all unclaimed ones first). */
        void awaitTransformed() {
            boolean interrupted = false;
            while (true) {
                try {
                    transformed.await();
                    break;
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
            if (failure != null) {
                throw new IllegalStateException("normal_ block transform failed", failure);
            }
        }

        private void transform(int c) {
            int fromBlock = c * CHUNK_BLOCKS;
            int toBlock = Math.min(blocks, fromBlock + CHUNK_BLOCKS);
            if (out != null) {
                BoxMullerAvx2.fillBlocks(out, fromBlock, toBlock, mean, std);
            } else {
                // through a scratch array per thread, reused: no garbage per chunk
                float[] t = CHUNK_SCRATCH.get();
                int len = (toBlock - fromBlock) * 16;
                ((FloatBuffer) buf.duplicate().position(fromBlock * 16)).get(t, 0, len);
                BoxMullerAvx2.fillBlocks(t, 0, toBlock - fromBlock, mean, std);
                ((FloatBuffer) buf.duplicate().position(fromBlock * 16)).put(t, 0, len);
            }
        }
    }

    /** The next {@code to - from} values of {@code (random() & 0xFFFFFF)·2^-24} into {@code a[from, to)}. */
    private void drawFloat24(float[] a, int from, int to) {
        int i = from;
        while (i < to) {
            // the outputs random() would return, taken a state block at a time
            if (left == 1) {
                twist();
                left = N + 1;
            }
            int take = Math.min(left - 1, to - i);
            int[] st = state;
            int p = next;
            for (int k = 0; k < take; k++) {
                int y = st[p + k];
                y ^= y >>> 11;
                y ^= (y << 7) & 0x9d2c5680;
                y ^= (y << 15) & 0xefc60000;
                y ^= y >>> 18;
                a[i + k] = (y & 0xFFFFFF) * 0x1.0p-24f;
            }
            next = p + take;
            left -= take;
            i += take;
        }
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
        for (int i = 0; i < n; i++) {
            out[i] = nextDouble53();
        }
        for (int b = 0; b + 16 <= n; b += 16) {
            fill16(out, b, mean, std);
        }
        if (n % 16 != 0) {
            for (int i = n - 16; i < n; i++) {
                out[i] = nextDouble53();
            }
            fill16(out, n - 16, mean, std);
        }
    }

    private static void fill16(double[] d, int o, double mean, double std) {
        for (int j = 0; j < 8; j++) {
            double u1 = 1 - d[o + j];
            double u2 = d[o + j + 8];
            double radius = Math.sqrt(Math.log(u1) * -2.0);
            double theta = (2.0 * Math.PI) * u2;
            d[o + j] = Math.fma(radius * Math.cos(theta), std, mean);
            d[o + j + 8] = Math.fma(radius * Math.sin(theta), std, mean);
        }
    }

    /** One output of {@link #fill16(double[], int, double, double)}, from the uniforms at lanes j and j + 8. */
    private static double normalValue(double low, double high, boolean sine, double mean, double std) {
        double radius = Math.sqrt(Math.log(1 - low) * -2.0);
        double theta = (2.0 * Math.PI) * high;
        return Math.fma(radius * (sine ? Math.sin(theta) : Math.cos(theta)), std, mean);
    }

    /** {@code at::normal_distribution<double>}: Box–Muller with the sine value cached in the generator. */
    private double scalarNormal(double mean, double std) {
        double value;
        if (hasCachedNormal) {
            value = cachedNormal;
            hasCachedNormal = false;
        } else {
            double u1 = nextDouble53();
            double u2 = nextDouble53();
            double r = Math.sqrt(-2.0 * Math.log1p(-u2));
            double theta = 2.0 * Math.PI * u1;
            cachedNormal = r * Math.sin(theta);
            hasCachedNormal = true;
            value = r * Math.cos(theta);
        }
        return Math.fma(value, std, mean);
    }

    private static void checkNormal(double mean, double std) {
        if (!(std >= 0)) {
            throw Args.invalid("std", std, "std >= 0.0 (PyTorch: normal expects std >= 0.0, but found std "
                    + std + ")");
        }
        Args.finite("mean", mean);
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
        DataType type = floatingType(like);
        checkNormal(mean, std);
        long n = like.length();
        int perUniform = type == DataType.DOUBLE ? 2 : 1;
        if (n < 16 || !skips(type, n + 16, perUniform)) {
            return pickFromFull(like, positions, true, mean, std);
        }
        int len = (int) n;
        // n uniforms, then, unless n is a multiple of 16, 16 more for the last 16 elements
        int uniforms = len % 16 == 0 ? len : len + 16;
        long[] wanted = new long[(uniforms * perUniform + 63) >>> 6];
        for (int pos : positions) {
            int low = lowUniform(pos, len);
            want(wanted, low, perUniform);
            want(wanted, low + 8, perUniform);
        }
        int[] raw = advance(uniforms * perUniform, wanted);
        double[] out = new double[positions.length];
        for (int k = 0; k < positions.length; k++) {
            int pos = positions[k];
            int low = lowUniform(pos, len);
            boolean sine = lane(pos, len) >= 8;
            if (perUniform == 2) {
                out[k] = normalValue(double53(raw, low), double53(raw, low + 8), sine, mean, std);
            } else {
                out[k] = BoxMullerAvx2.value(float24(raw, low), float24(raw, low + 8), sine, (float) mean, (float) std);
            }
        }
        return out;
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
        DataType type = floatingType(like);
        checkUniformBounds(type, from, to);
        long n = like.length();
        int perUniform = type == DataType.DOUBLE ? 2 : 1;
        if (!skips(type, n, perUniform)) {
            return pickFromFull(like, positions, false, from, to);
        }
        long[] wanted = new long[(int) ((n * perUniform + 63) >>> 6)];
        for (int pos : positions) {
            want(wanted, pos, perUniform);
        }
        int[] raw = advance((int) n * perUniform, wanted);
        double[] out = new double[positions.length];
        float f = (float) from;
        float t = (float) to;
        for (int k = 0; k < positions.length; k++) {
            if (perUniform == 2) {
                double v = Math.fma(double53(raw, positions[k]), to - from, from);
                out[k] = v == to ? from : v;
            } else {
                float v = Math.fma(float24(raw, positions[k]), t - f, f);
                out[k] = v == t ? f : v;
            }
        }
        return out;
    }

    /** True where the redraw can skip outputs: float or double, and the outputs' count fits an int array. */
    private static boolean skips(DataType type, long uniforms, int perUniform) {
        return (type == DataType.FLOAT || type == DataType.DOUBLE) && uniforms * perUniform <= Integer.MAX_VALUE - 64;
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

    /** The lane (0..15) of element {@code pos} in the block of 16 uniforms that gives its normal. */
    private static int lane(int pos, int n) {
        return n % 16 != 0 && pos >= n - 16 ? pos - (n - 16) : pos & 15;
    }

    /** The index of the lower uniform (lane j &lt; 8 of its block) that gives element {@code pos}'s normal. */
    private static int lowUniform(int pos, int n) {
        // the last 16 elements of a tensor whose size is not a multiple of 16 come from the 16 uniforms after the n-th
        int blockStart = n % 16 != 0 && pos >= n - 16 ? n : pos & ~15;
        return blockStart + (lane(pos, n) & 7);
    }

    private static void want(long[] wanted, int uniform, int perUniform) {
        for (int o = uniform * perUniform, end = o + perUniform; o < end; o++) {
            wanted[o >>> 6] |= 1L << o;
        }
    }

    private static float float24(int[] raw, int uniform) {
        return (raw[uniform] & 0xFFFFFF) * 0x1.0p-24f;
    }

    private static double double53(int[] raw, int uniform) {
        long r64 = ((raw[2 * uniform] & 0xffffffffL) << 32) | (raw[2 * uniform + 1] & 0xffffffffL);
        return (r64 & 0x1FFFFFFFFFFFFFL) * 0x1.0p-53;
    }

    /**
     * Advances the stream by {@code count} outputs of {@link #random()} and returns them, tempered only
     * at the offsets whose bit is set in {@code wanted} (0 elsewhere).
     */
    private int[] advance(int count, long[] wanted) {
        int[] raw = new int[count];
        int done = 0;
        while (done < count) {
            if (left == 1) {
                twist();
                left = N + 1;
            }
            int take = Math.min(left - 1, count - done);
            int end = done + take;
            int stateIndex = next - done; // output o of this call is state[stateIndex + o]
            for (int w = done >>> 6, lastWord = (end - 1) >>> 6; w <= lastWord; w++) {
                long bits = wanted[w];
                while (bits != 0) {
                    int o = (w << 6) + Long.numberOfTrailingZeros(bits);
                    bits &= bits - 1;
                    if (o >= done && o < end) {
                        raw[o] = temper(state[stateIndex + o]);
                    }
                }
            }
            next += take;
            left -= take;
            done = end;
        }
        return raw;
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
            long z = (random() & 0xffffffffL) % (n - i);
            int tmp = r[i];
            r[i] = r[(int) z + i];
            r[(int) z + i] = tmp;
        }
        return r;
    }

    static DataType floatingType(INDArray target) {
        Args.notNull("target", target);
        DataType type = target.dataType();
        if (!type.isFPType()) {
            throw Args.invalid("target.dataType", type, "a floating-point array (FLOAT, DOUBLE, HALF, BFLOAT16)");
        }
        return type;
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
                    && seed == s.seed && java.util.Arrays.equals(mt, s.mt);
        }

        @Override
        public int hashCode() {
            return java.util.Arrays.hashCode(mt) * 31 + left * 7 + next;
        }

        @Override
        public String toString() {
            return "TorchGenerator.State(seed=" + seed + ", next=" + next + ", left=" + left + (hasCachedNormal
                    ? ", cached normal " + cachedNormal : "") + ")";
        }
    }
}
