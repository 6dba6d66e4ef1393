package io.github.dl4jinit.sampling;

import java.nio.FloatBuffer;
import java.nio.IntBuffer;

/**
 * PyTorch's CPU generator state: MT19937 as {@code CPUGeneratorImpl} / {@code MT19937RNGEngine.h}
 * seed and step it ({@code init_genrand} with {@code left = 1}, so the first draw twists). It holds
 * the stream and the loops that must walk the state words themselves; what the values become is
 * {@link TorchKernels}' business.
 */
final class Mt19937 {
    static final int N = 624;
    private static final int M = 397;

    final int[] state = new int[N];
    int left;
    int next;
    /** Scratch of {@link #twist()}: the state shifted by one word, and the words read at a distance. */
    private final int[] oldNext = new int[N];
    private final int[] far = new int[N];
    /** Scratch of {@link #uniformFloats}: one state block's values before they go to the buffer. */
    private final float[] block = new float[N];

    /** {@code init_genrand(seed & 0xffffffff)}: only the low 32 bits of a PyTorch seed reach the state. */
    void seed(long seed) {
        int x = (int) seed;
        state[0] = x;
        for (int j = 1; j < N; j++) {
            x = 1812433253 * (x ^ (x >>> 30)) + j;
            state[j] = x;
        }
        left = 1;
        next = 0;
    }

    /** One tempered 32-bit output, as {@code CPUGeneratorImpl::random()} (unsigned, in an int). */
    int random() {
        if (--left == 0) {
            twist();
        }
        return temper(state[next++]);
    }

    /** {@code CPUGeneratorImpl::random64()}: the first output in the high word, the second in the low. */
    long random64() {
        long hi = random() & 0xffffffffL;
        long lo = random() & 0xffffffffL;
        return (hi << 32) | lo;
    }

    /** {@code (random64() & (2^53−1))·2^-53}: a double uniform's 53 random bits. */
    double nextDouble53() {
        return (random64() & 0x1FFFFFFFFFFFFFL) * 0x1.0p-53;
    }

    /** MT19937's tempering of one state word (inlined into the block loops below before C2 vectorizes them). */
    static int temper(int y) {
        y ^= y >>> 11;
        y ^= (y << 7) & 0x9d2c5680;
        y ^= (y << 15) & 0xefc60000;
        y ^= y >>> 18;
        return y;
    }

    /**
     * How many of the next {@code wanted} outputs the current state block still holds, from
     * {@code state[next]} on (twisting first when the block is spent); the loops that work on the state
     * words in bulk take them, then call {@link #taken}.
     */
    private int blockAhead(int wanted) {
        if (left == 1) {
            twist();
            left = N + 1;
        }
        return Math.min(left - 1, wanted);
    }

    /** Moves past {@code count} outputs of the current block. */
    private void taken(int count) {
        next += count;
        left -= count;
    }

    /**
     * The MT19937 twist, {@code s[p] = s[(p + M) mod N] ^ mix(s[p], s[p + 1])} for p = 0..N−1 in
     * order. The words each loop reads at another offset are copied out first ({@link #oldNext},
     * {@link #far}), so every loop reads and writes its arrays at the same index: C2 vectorizes loops
     * of that shape on every JDK, where reading {@code s[p + 1]} or {@code s[p + M]} beside the write
     * to {@code s[p]} kept JDK 17 scalar (the benchmark's {@code uniform_} row).
     */
    private void twist() {
        int[] s = state;
        int[] o1 = oldNext;
        int[] f = far;
        int d = N - M;
        System.arraycopy(s, 1, o1, 0, N - 1); // o1[p] = s[p + 1] before the twist
        System.arraycopy(s, M, f, 0, d);      // p < N − M reads the old s[p + M]
        for (int p = 0; p < d; p++) {
            s[p] = f[p] ^ mix(s[p], o1[p]);
        }
        // later words read s[p − (N − M)], already twisted: copied a stretch of N − M at a time
        System.arraycopy(s, 0, f, d, d);
        for (int p = d; p < 2 * d; p++) {
            s[p] = f[p] ^ mix(s[p], o1[p]);
        }
        System.arraycopy(s, d, f, 2 * d, N - 1 - 2 * d);
        for (int p = 2 * d; p < N - 1; p++) {
            s[p] = f[p] ^ mix(s[p], o1[p]);
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

    /** The next {@code to - from} outputs as float uniforms, {@code (random() & 0xFFFFFF)·2^-24}, into {@code a[from, to)}. */
    void drawFloat24(float[] a, int from, int to) {
        int i = from;
        while (i < to) {
            // the outputs random() would return, taken a state block at a time
            int take = blockAhead(to - i);
            int[] st = state;
            int p = next;
            for (int k = 0; k < take; k++) {
                a[i + k] = (temper(st[p + k]) & 0xFFFFFF) * 0x1.0p-24f;
            }
            taken(take);
            i += take;
        }
    }

    /**
     * The float {@code uniform_} of the next {@code n} outputs straight into a buffer, a state block at
     * a time through {@link #uniformValues}, then one bulk copy into the buffer (a per-element
     * {@code put} stays scalar).
     */
    void uniformFloats(FloatBuffer out, int n, float f, float t) {
        float[] values = block;
        // absolute index 0 onwards; each block goes where the last one ended (put(int, float[]...) is Java 16+)
        FloatBuffer dst = out.duplicate();
        dst.position(0);
        int i = 0;
        while (i < n) {
            int take = blockAhead(n - i);
            uniformValues(state, next, values, take, f, t);
            dst.put(values, 0, take);
            taken(take);
            i += take;
        }
    }

    /**
     * The next {@code to - from} outputs untempered, as the state words they come from, into
     * {@code dst[from, to)}: the serial part of a float {@code uniform_}, for {@link #uniformValues}
     * to finish on any thread.
     */
    void drawWords(IntBuffer dst, int from, int to) {
        IntBuffer d = dst.duplicate();
        d.position(from);
        int i = from;
        while (i < to) {
            int take = blockAhead(to - i);
            d.put(state, next, take);
            taken(take);
            i += take;
        }
    }

    /**
     * PyTorch's float {@code uniform_} of {@code len} untempered state words {@code words[from..]}
     * into {@code values[0, len)}: each word tempered, {@code fma((y & 0xFFFFFF)·2^-24, t − f, f)}, a
     * value equal to {@code t} becoming {@code f}. Tempering with the fma in one loop and the mapping
     * of {@code t} in a second: loops of that shape C2 vectorizes.
     */
    static void uniformValues(int[] words, int from, float[] values, int len, float f, float t) {
        float span = t - f;
        for (int k = 0; k < len; k++) {
            values[k] = Math.fma((temper(words[from + k]) & 0xFFFFFF) * 0x1.0p-24f, span, f);
        }
        for (int k = 0; k < len; k++) {
            float v = values[k];
            values[k] = v == t ? f : v;
        }
    }

    /**
     * Advances the stream by {@code count} outputs of {@link #random()} and returns them, tempered only
     * at the offsets whose bit is set in {@code wanted} (0 elsewhere): the state still twists over the
     * skipped outputs, which are neither tempered nor transformed.
     */
    int[] advance(int count, long[] wanted) {
        int[] raw = new int[count];
        int done = 0;
        while (done < count) {
            int take = blockAhead(count - done);
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
            taken(take);
            done = end;
        }
        return raw;
    }
}
