package io.github.dl4jinit.sampling;

import java.nio.FloatBuffer;

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

    /** {@code (random() & 0xFFFFFF)·2^-24}: a float uniform's 24 random bits. */
    float nextFloat24() {
        return (random() & 0xFFFFFF) * 0x1.0p-24f;
    }

    /** {@code (random64() & (2^53−1))·2^-53}: a double uniform's 53 random bits. */
    double nextDouble53() {
        return (random64() & 0x1FFFFFFFFFFFFFL) * 0x1.0p-53;
    }

    static int temper(int y) {
        y ^= y >>> 11;
        y ^= (y << 7) & 0x9d2c5680;
        y ^= (y << 15) & 0xefc60000;
        y ^= y >>> 18;
        return y;
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

    /** The next {@code to - from} values of {@link #nextFloat24()} into {@code a[from, to)}. */
    void drawFloat24(float[] a, int from, int to) {
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

    /**
     * The float {@code uniform_} of the next {@code n} outputs straight into a buffer: {@code
     * fma(float24, t − f, f)}, {@code t} mapped to {@code f}. The tempering is written out in the
     * same loop on purpose: drawing a chunk with {@link #drawFloat24} first and transforming it after
     * is measurably slower (the benchmark's {@code uniform_} row).
     */
    void uniformFloats(FloatBuffer out, int n, float f, float t) {
        float span = t - f;
        int i = 0;
        while (i < n) {
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

    /**
     * Advances the stream by {@code count} outputs of {@link #random()} and returns them, tempered only
     * at the offsets whose bit is set in {@code wanted} (0 elsewhere): the state still twists over the
     * skipped outputs, which are neither tempered nor transformed.
     */
    int[] advance(int count, long[] wanted) {
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
}
