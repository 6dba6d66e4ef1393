package io.github.dl4jinit.tests;

import org.junit.jupiter.api.Test;
import org.nd4j.shade.jackson.databind.JsonNode;
import org.nd4j.shade.jackson.databind.node.ArrayNode;
import org.nd4j.shade.jackson.databind.node.ObjectNode;

import java.io.File;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Optional live cross-check: runs cases that are not in the committed fixtures (other seeds and sizes)
 * through an installed PyTorch and compares. Enabled only when {@code -Ddl4jinit.torch.python=...}
 * or the environment variable {@code DL4JINIT_TORCH_PYTHON} names a Python with torch and numpy;
 * skipped otherwise.
 */
class RngLiveTorchCrossCheckTest {

    private static String python() {
        String p = System.getProperty("dl4jinit.torch.python");
        return p != null && !p.isEmpty() ? p : System.getenv("DL4JINIT_TORCH_PYTHON");
    }

    @Test
    void freshCasesMatchTheInstalledTorch() throws Exception {
        String python = python();
        assumeTrue(python != null && !python.isEmpty(),
                "set -Ddl4jinit.torch.python or DL4JINIT_TORCH_PYTHON to a Python with torch to run this");
        File script = new File("python/make_rng_fixtures.py");
        assertThat(script).exists();

        String[] fns = {"uniform_", "normal_", "xavier_uniform_", "xavier_normal_", "kaiming_uniform_",
            "kaiming_normal_", "trunc_normal_", "trunc_normal_tail", "sparse_"};
        SplittableRandom rnd = new SplittableRandom(System.nanoTime());
        ArrayNode cases = RngFixtures.JSON.createArrayNode();
        for (String fn : fns) {
            for (int k = 0; k < 3; k++) {
                long rows = 1 + rnd.nextInt(70);
                long cols = 1 + rnd.nextInt(70);
                ObjectNode c = cases.addObject();
                c.put("id", fn + "-live-" + k);
                c.put("fn", fn);
                c.set("args", argsOf(fn));
                c.putArray("shape").add(rows).add(cols);
                c.put("dtype", "float32");
                c.put("seed", rnd.nextLong());
            }
        }
        Process p = new ProcessBuilder(python, script.getPath(), "--eval").redirectErrorStream(false).start();
        try (OutputStream in = p.getOutputStream()) {
            in.write(RngFixtures.JSON.writeValueAsBytes(cases));
        }
        byte[] out = p.getInputStream().readAllBytes();
        assertThat(p.waitFor(5, TimeUnit.MINUTES)).isTrue();
        assertThat(p.exitValue()).as(new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8)).isZero();
        JsonNode answer = RngFixtures.JSON.readTree(out);
        System.out.println("live cross-check against torch " + answer.get("torch_version").asText()
                + " (" + answer.get("cpu_capability").asText() + ")");
        List<JsonNode> records = new ArrayList<>();
        answer.get("records").forEach(records::add);
        assertThat(records).hasSize(cases.size());
        for (int i = 0; i < cases.size(); i++) {
            ObjectNode c = (ObjectNode) cases.get(i);
            c.setAll((ObjectNode) records.get(i));
            RngParityTest.check(c);
        }
    }

    private static ArrayNode argsOf(String fn) {
        ArrayNode a = RngFixtures.JSON.createArrayNode();
        switch (fn) {
            case "uniform_":
                return a.add(-0.5).add(2.0);
            case "normal_":
                return a.add(0.3).add(2.0);
            case "trunc_normal_":
                return a.add(0.0).add(1.0).add(-2.0).add(2.0);
            case "trunc_normal_tail":
                return a.add(0.0).add(1.0).add(1.5).add(3.0);
            case "kaiming_uniform_":
                return a.add(Math.sqrt(5.0)).add("fan_in").add("leaky_relu");
            case "kaiming_normal_":
                return a.add(0.0).add("fan_out").add("relu");
            case "sparse_":
                return a.add(0.3).add(0.01);
            default:
                return a.add(1.0);
        }
    }
}
