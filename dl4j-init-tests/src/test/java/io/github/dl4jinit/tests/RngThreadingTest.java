package io.github.dl4jinit.tests;

import io.github.dl4jinit.sampling.TorchGenerator;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.shade.jackson.databind.JsonNode;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * TorchGenerator transforms 16-blocks of a large float normal_ on several threads: the bits must be
 * PyTorch's whatever the number of threads. And a generator is not shared: two generators with the
 * same seed on two threads give the same bits.
 */
class RngThreadingTest {

    private static JsonNode fixture(String id) {
        for (JsonNode c : RngFixtures.manifest().get("cases")) {
            if (id.equals(c.get("id").asText())) {
                return c;
            }
        }
        throw new IllegalStateException("fixture case " + id + " missing from manifest.json");
    }

    @Test
    void largeFloatNormalHasTorchBitsOnOneTwoAndFiveThreads() throws Exception {
        JsonNode c = fixture("normal_-float32-4096x4096-7");
        for (int threads : new int[]{1, 2, 5}) {
            ForkJoinPool pool = new ForkJoinPool(threads);
            try {
                RngFixtures.Result r = pool.submit(() -> RngFixtures.run(c)).get();
                assertThat(RngFixtures.sha256(r.tensor)).as("normal_ 4096x4096 on %d threads", threads)
                        .isEqualTo(c.get("sha256").asText());
                assertThat(RngFixtures.syncHex(r.sync)).containsExactly(RngFixtures.strings(c.get("sync")));
            } finally {
                pool.shutdown();
            }
        }
    }

    @Test
    void twoGeneratorsWithTheSameSeedOnTwoThreadsGiveTheSameBits() throws Exception {
        ExecutorService exec = Executors.newFixedThreadPool(2);
        try {
            Future<INDArray[]> a = exec.submit(() -> draw(2024));
            Future<INDArray[]> b = exec.submit(() -> draw(2024));
            INDArray[] x = a.get();
            INDArray[] y = b.get();
            INDArray[] reference = draw(2024);
            for (int i = 0; i < x.length; i++) {
                assertThat(RngFixtures.sha256(x[i])).isEqualTo(RngFixtures.sha256(y[i]))
                        .isEqualTo(RngFixtures.sha256(reference[i]));
            }
            assertThat(RngFixtures.sha256(x[0])).isNotEqualTo(RngFixtures.sha256(draw(2025)[0]));
        } finally {
            exec.shutdown();
        }
    }

    private static INDArray[] draw(long seed) {
        TorchGenerator g = new TorchGenerator(seed);
        INDArray n = Nd4j.create(DataType.FLOAT, 300, 300);
        INDArray u = Nd4j.create(DataType.DOUBLE, 1000);
        INDArray s = Nd4j.create(DataType.FLOAT, 5);
        for (int i = 0; i < 20; i++) {
            g.normal(n, 0, 1);
            g.uniform(u, -1, 1);
            g.normal(s, 0, 1);
        }
        return new INDArray[]{n, u, s};
    }
}
