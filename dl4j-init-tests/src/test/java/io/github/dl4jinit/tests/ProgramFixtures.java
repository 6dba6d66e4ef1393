package io.github.dl4jinit.tests;

import io.github.dl4jinit.network.LayerParam;
import io.github.dl4jinit.network.NetworkLayer;
import io.github.dl4jinit.network.NetworkWalker;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.shade.jackson.databind.JsonNode;
import org.nd4j.shade.jackson.databind.ObjectMapper;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The init-program fixtures that {@code python/make_program_fixtures.py} wrote with real PyTorch:
 * per program and seed, the state_dict as SHA-256 digests of float32 C-order bytes (and, for the
 * small programs, the tensors themselves), the two module orders, and a forward pass.
 */
final class ProgramFixtures {
    private static final String DIR = "/fixtures/programs/";
    private final String program;
    private final long seed;
    private final JsonNode state;

    private ProgramFixtures(String program, long seed, JsonNode state) {
        this.program = program;
        this.seed = seed;
        this.state = state;
    }

    static ProgramFixtures of(String program, long seed) {
        String path = DIR + program + "_seed" + seed + "/state.json";
        try (InputStream in = ProgramFixtures.class.getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException("missing fixture " + path + " (run python/make_program_fixtures.py)");
            }
            return new ProgramFixtures(program, seed, new ObjectMapper().readTree(in));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    List<String> constructionOrder() {
        return strings(state.get("construction_order"));
    }

    List<String> registrationOrder() {
        return strings(state.get("registration_order"));
    }

    /** The fixture's torch version, recorded by the script. */
    String torchVersion() {
        return state.get("torch_version").asText();
    }

    /** One tensor of the program's directory ({@code input}, {@code output}, {@code fc1.weight}...). */
    INDArray npy(String name) {
        String path = DIR + program + "_seed" + seed + "/" + name + ".npy";
        URL url = ProgramFixtures.class.getResource(path);
        if (url == null) {
            throw new IllegalStateException("missing fixture " + path);
        }
        try {
            return Nd4j.createFromNpyFile(new File(url.toURI()));
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Asserts that every state_dict tensor of the fixture is, bit for bit, the DL4J parameter that
     * stands for it, and that every DL4J parameter with a PyTorch twin is in the state_dict. A
     * recurrent layer's one bias is compared with the float sum of PyTorch's two.
     */
    void assertStateDictMatches(List<NetworkLayer> layers) {
        Map<String, JsonNode> expected = new LinkedHashMap<>();
        Iterator<Map.Entry<String, JsonNode>> it = state.get("tensors").fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            expected.put(e.getKey(), e.getValue());
        }
        Set<String> covered = new HashSet<>();
        List<String> mismatches = new ArrayList<>();
        for (NetworkLayer layer : layers) {
            for (LayerParam p : layer.params()) {
                if (p.torchKeys().isEmpty() || p.key().equals("(none)")) {
                    continue;
                }
                List<String> keys = new ArrayList<>();
                for (String k : p.torchKeys()) {
                    keys.add(layer.name() + "." + k);
                }
                for (String k : keys) {
                    assertThat(expected).as(program + ": the state_dict has no " + k).containsKey(k);
                }
                covered.addAll(keys);
                INDArray actual = p.toTorch();
                if (keys.size() == 1) {
                    JsonNode e = expected.get(keys.get(0));
                    assertThat(actual.shape()).as(keys.get(0) + " shape").isEqualTo(longs(e.get("shape")));
                    String digest = sha256(actual);
                    if (!digest.equals(e.get("sha256").asText())) {
                        mismatches.add(keys.get(0) + " (first values " + head(actual) + ", PyTorch " + e.get("head") + ")");
                    }
                } else {
                    INDArray sum = npy(keys.get(0)).castTo(DataType.FLOAT).add(npy(keys.get(1)).castTo(DataType.FLOAT));
                    if (!sha256(sum).equals(sha256(actual.reshape(sum.shape())))) {
                        mismatches.add(String.join(" + ", keys));
                    }
                }
            }
        }
        assertThat(mismatches).as(program + " seed " + seed + ": tensors not bit-identical to PyTorch's").isEmpty();
        assertThat(covered).as(program + ": state_dict tensors without a DL4J parameter").containsAll(expected.keySet());
    }

    /** The layers of a MultiLayerNetwork, as every part of the library walks them. */
    static List<NetworkLayer> layers(MultiLayerNetwork net) {
        return NetworkWalker.layers(net);
    }

    /** The layer vertices of a graph, as every part of the library walks them. */
    static List<NetworkLayer> layers(ComputationGraph graph) {
        return NetworkWalker.layers(graph);
    }

    /** SHA-256 of the float32 little-endian bytes of an array in C order, as the script computes it. */
    static String sha256(INDArray a) {
        INDArray c = a.castTo(DataType.FLOAT).dup('c');
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            long n = c.length();
            int chunk = 1 << 20;
            ByteBuffer buf = ByteBuffer.allocate(chunk * 4).order(ByteOrder.LITTLE_ENDIAN);
            java.nio.FloatBuffer floats = c.data().asNioFloat();
            for (long i = 0; i < n; i += chunk) {
                int len = (int) Math.min(chunk, n - i);
                buf.clear();
                for (int j = 0; j < len; j++) {
                    buf.putFloat(floats.get((int) (i + j)));
                }
                md.update(buf.array(), 0, len * 4);
            }
            StringBuilder sb = new StringBuilder();
            for (byte x : md.digest()) {
                sb.append(String.format("%02x", x));
            }
            return sb.toString();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String head(INDArray a) {
        float[] v = a.castTo(DataType.FLOAT).dup('c').reshape(-1).get(
                org.nd4j.linalg.indexing.NDArrayIndex.interval(0, Math.min(4, a.length()))).toFloatVector();
        return java.util.Arrays.toString(v);
    }

    private static long[] longs(JsonNode n) {
        long[] r = new long[n.size()];
        for (int i = 0; i < r.length; i++) {
            r[i] = n.get(i).asLong();
        }
        return r;
    }

    private static List<String> strings(JsonNode n) {
        List<String> r = new ArrayList<>();
        n.forEach(x -> r.add(x.asText()));
        return r;
    }
}
