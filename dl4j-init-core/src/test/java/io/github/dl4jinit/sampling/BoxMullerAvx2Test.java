package io.github.dl4jinit.sampling;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The batched block transform ({@link BoxMullerAvx2#fillBlocks}) against the per-block one
 * ({@link BoxMullerAvx2#fill16}, the kernel's operations written lane by lane), on every input the
 * stream can give: each of the 2²⁴ uniforms k·2⁻²⁴ appears once as a lane's u1 and once as a lane's
 * u2 (paired through a bijection, so that the lanes differ in both), and the bits must be identical.
 * The fixtures of real PyTorch pin {@code fill16} itself.
 */
class BoxMullerAvx2Test {
    private static final int ALL = 1 << 24;
    private static final int LANES_PER_CHUNK = 1 << 16;

    @Test
    void batchedTransformHasTheKernelsBitsForEveryUniform() {
        long mismatches = 0;
        String first = null;
        for (int start = 0; start < ALL; start += LANES_PER_CHUNK) {
            float[] batched = new float[2 * LANES_PER_CHUNK];
            for (int k = 0; k < LANES_PER_CHUNK; k++) {
                int v = start + k;
                int o = (k >>> 3) * 16 + (k & 7);
                batched[o] = v * 0x1.0p-24f;
                // an odd multiplier permutes the 24-bit values
                batched[o + 8] = ((v * 0x9E3779B1) & 0xFFFFFF) * 0x1.0p-24f;
            }
            float[] reference = batched.clone();
            BoxMullerAvx2.fillBlocks(batched, 0, LANES_PER_CHUNK / 8, 0.25f, 1.5f);
            for (int b = 0; b < LANES_PER_CHUNK / 8; b++) {
                BoxMullerAvx2.fill16(reference, 16 * b, 0.25f, 1.5f);
            }
            for (int i = 0; i < batched.length; i++) {
                if (Float.floatToRawIntBits(batched[i]) != Float.floatToRawIntBits(reference[i])) {
                    if (first == null) {
                        first = "chunk " + start + " index " + i + ": " + batched[i] + " vs " + reference[i];
                    }
                    mismatches++;
                }
            }
        }
        assertThat(mismatches).as("values differing from fill16 (first: %s)", first).isZero();
    }

    @Test
    void batchedTransformHonoursMeanAndStdAndBlockRange() {
        float[] d = new float[16 * 100];
        new TorchGenerator(5).fillUniform(d, 0, 1);
        float[] reference = d.clone();
        // blocks 3..70 only: a batch boundary inside (64 blocks) and untouched blocks around
        BoxMullerAvx2.fillBlocks(d, 3, 70, -2.0f, 0.01f);
        for (int b = 3; b < 70; b++) {
            BoxMullerAvx2.fill16(reference, 16 * b, -2.0f, 0.01f);
        }
        assertThat(d).containsExactly(reference);
    }
}
