package io.github.dl4jinit.tests;

import io.github.dl4jinit.internal.DenseViews;
import io.github.dl4jinit.network.LayerParam;
import io.github.dl4jinit.network.NetworkLayer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;
import org.nd4j.shade.jackson.databind.JsonNode;
import org.nd4j.shade.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The state_dict fixtures {@code python/make_state_dict_fixtures.py} wrote with real PyTorch: per
 * trained model its {@code state_dict.safetensors} (safetensors.torch.save_file), the SHA-256 of
 * every tensor's float32 bytes (and of each recurrent layer's float sum bias_ih + bias_hh), BatchNorm
 * variances as numbers, and a forward pass in eval mode.
 */
final class StateDictFixtures {
    static final double FORWARD_TOLERANCE = 1e-5;
    private static final String DIR = "/fixtures/state_dicts/";

    private StateDictFixtures() {
    }

    /** The fixture directory of a model ({@code mnist_cnn}, {@code two_branch_f64}, {@code resnet18}...). */
    static Path dir(String model) {
        URL url = StateDictFixtures.class.getResource(DIR + model + "/expected.json");
        if (url == null) {
            throw new IllegalStateException("missing fixture " + DIR + model + " (run python/make_state_dict_fixtures.py)");
        }
        try {
            return Paths.get(url.toURI()).getParent();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    static Path file(String model) {
        return dir(model).resolve("state_dict.safetensors");
    }

    static JsonNode expected(String model) {
        try {
            return new ObjectMapper().readTree(dir(model).resolve("expected.json").toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static INDArray npy(String model, String name) {
        return Nd4j.createFromNpyFile(dir(model).resolve(name + ".npy").toFile()).castTo(DataType.FLOAT);
    }

    /** The forward pass of the fixture, within {@link #FORWARD_TOLERANCE}. */
    static void assertForward(String model, INDArray actual) {
        INDArray expected = npy(model, "output");
        assertThat(actual.shape()).isEqualTo(expected.shape());
        double maxDiff = Transforms.abs(actual.castTo(DataType.FLOAT).sub(expected)).maxNumber().doubleValue();
        assertThat(maxDiff).as(model + " forward vs PyTorch").isLessThanOrEqualTo(FORWARD_TOLERANCE);
    }

    /**
     * Asserts that every DL4J parameter holds, bit for bit, the PyTorch tensor it stands for: its
     * float32 bytes have the fixture's digest (a recurrent bias: the digest of PyTorch's float sum
     * bias_ih + bias_hh). BatchNorm's log10stdev holds float(log10(√var)) of PyTorch's variance, the
     * nearest float to the exact value (DL4J's form cannot hold the variance itself). Every tensor of
     * the fixture but num_batches_tracked is some parameter's.
     */
    static void assertParametersMatch(String model, List<NetworkLayer> layers) {
        JsonNode tensors = expected(model).get("tensors");
        Set<String> covered = new HashSet<>();
        List<String> mismatches = new ArrayList<>();
        for (NetworkLayer layer : layers) {
            for (LayerParam p : layer.params()) {
                if (!p.inStateDict()) {
                    continue;
                }
                List<String> keys = new ArrayList<>();
                p.torchKeys().forEach(k -> keys.add(layer.name() + "." + k));
                covered.addAll(keys);
                String key = String.join("+", keys);
                JsonNode e = tensors.get(key);
                assertThat(e).as(model + ": no fixture entry " + key).isNotNull();
                INDArray actual = p.toTorch();
                assertThat(actual.shape()).as(key + " shape").isEqualTo(longs(e.get("shape")));
                if (p.key().equals("log10stdev")) {
                    checkLog10Std(key, p, e.get("values"), mismatches);
                } else if (!ProgramFixtures.sha256(actual).equals(e.get("sha256").asText())) {
                    mismatches.add(key);
                }
            }
        }
        assertThat(mismatches).as(model + ": parameters not bit-identical to PyTorch's").isEmpty();
        List<String> expectedKeys = new ArrayList<>();
        Iterator<String> it = tensors.fieldNames();
        while (it.hasNext()) {
            String k = it.next();
            if (!k.contains("+") && !k.endsWith("num_batches_tracked")) {
                expectedKeys.add(k);
            }
        }
        assertThat(covered).as(model + ": tensors without a DL4J parameter").containsAll(expectedKeys);
    }

    private static void checkLog10Std(String key, LayerParam p, JsonNode values, List<String> mismatches) {
        float[] stored = DenseViews.readFloats(p.view().castTo(DataType.FLOAT).reshape(-1));
        INDArray back = p.toTorch().castTo(DataType.DOUBLE).reshape(-1);
        for (int i = 0; i < stored.length; i++) {
            double var = values.get(i).asDouble();
            float nearest = (float) Math.log10(Math.sqrt(var));
            if (Float.floatToIntBits(nearest) != Float.floatToIntBits(stored[i])) {
                mismatches.add(key + "[" + i + "] (log10stdev " + stored[i] + ", float(log10(√" + var + ")) " + nearest + ")");
            }
            // (10^x)² read back: within a few float ulps of PyTorch's variance
            assertThat(back.getDouble(i)).as(key + "[" + i + "] read back").isCloseTo(var,
                    org.assertj.core.data.Offset.offset(Math.abs(var) * 1e-6));
        }
    }

    static long[] longs(JsonNode n) {
        long[] r = new long[n.size()];
        for (int i = 0; i < r.length; i++) {
            r[i] = n.get(i).asLong();
        }
        return r;
    }
}
