package io.github.dl4jinit.tests;

import io.github.dl4jinit.TorchInit;
import io.github.dl4jinit.init.TorchWeightInit;
import io.github.dl4jinit.internal.DenseViews;
import io.github.dl4jinit.sampling.TorchGenerator;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.shade.jackson.databind.JsonNode;
import org.nd4j.shade.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the RNG fixtures that {@code python/make_rng_fixtures.py} made with real PyTorch and replays
 * one case in Java: {@code new TorchGenerator(seed)}, the scheme from {@link TorchInit}, then the
 * four sync draws ({@code random64() & (2^63 − 1)}, what {@code torch.empty(4, dtype=int64).random_()}
 * returns).
 */
final class RngFixtures {
    static final String DIR = "/fixtures/rng/";
    static final ObjectMapper JSON = new ObjectMapper();

    private RngFixtures() {
    }

    static JsonNode manifest() {
        try (InputStream in = RngFixtures.class.getResourceAsStream(DIR + "manifest.json")) {
            if (in == null) {
                throw new IllegalStateException("missing test resource " + DIR + "manifest.json");
            }
            return JSON.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static List<JsonNode> cases(JsonNode manifest) {
        List<JsonNode> out = new ArrayList<>();
        manifest.get("cases").forEach(out::add);
        return out;
    }

    static long[] longs(JsonNode array) {
        long[] r = new long[array.size()];
        for (int i = 0; i < r.length; i++) {
            r[i] = array.get(i).asLong();
        }
        return r;
    }

    /** PyTorch's seed as Java's long: seeds in [2^63, 2^64) have the same bits as a negative long. */
    static long seed(JsonNode c) {
        return c.get("seed").bigIntegerValue().longValue();
    }

    static DataType dtype(JsonNode c) {
        return "float64".equals(c.get("dtype").asText()) ? DataType.DOUBLE : DataType.FLOAT;
    }

    /** The scheme that {@code fn(tensor, *args)} stands for, built with the TorchInit facade. */
    static TorchWeightInit scheme(String fn, JsonNode args) {
        switch (fn) {
            case "uniform_":
            case "uniform_unit":
                return TorchInit.uniform(args.get(0).asDouble(), args.get(1).asDouble());
            case "normal_":
                return TorchInit.normal(args.get(0).asDouble(), args.get(1).asDouble());
            case "trunc_normal_":
            case "trunc_normal_tail":
                return TorchInit.truncNormal(args.get(0).asDouble(), args.get(1).asDouble(),
                        args.get(2).asDouble(), args.get(3).asDouble());
            case "xavier_uniform_":
                return TorchInit.xavierUniform(args.get(0).asDouble());
            case "xavier_normal_":
                return TorchInit.xavierNormal(args.get(0).asDouble());
            case "kaiming_uniform_":
                return TorchInit.kaimingUniform(args.get(0).asDouble(), args.get(1).asText(), args.get(2).asText());
            case "kaiming_normal_":
                return TorchInit.kaimingNormal(args.get(0).asDouble(), args.get(1).asText(), args.get(2).asText());
            case "orthogonal_":
                return TorchInit.orthogonal(args.get(0).asDouble());
            case "sparse_":
                return TorchInit.sparse(args.get(0).asDouble(), args.get(1).asDouble());
            default:
                throw new IllegalArgumentException("unknown fn in fixture: " + fn);
        }
    }

    /** What the Java side produced for one case. */
    static final class Result {
        final INDArray tensor;
        final long[] sync;

        Result(INDArray tensor, long[] sync) {
            this.tensor = tensor;
            this.sync = sync;
        }
    }

    /** Replays the case in Java with a fresh generator. */
    static Result run(JsonNode c) {
        return run(c, new TorchGenerator(seed(c)));
    }

    static Result run(JsonNode c, TorchGenerator g) {
        String fn = c.get("fn").asText();
        DataType type = dtype(c);
        JsonNode args = c.get("args");
        INDArray t;
        if ("normal_noncontig".equals(fn)) {
            long[] parent = longs(c.get("shape_parent"));
            INDArray base = Nd4j.create(type, new long[]{parent[0], parent[1]}, 'c');
            t = base.get(NDArrayIndex.all(), NDArrayIndex.interval(0, parent[2]));
            g.normal(t, args.get(0).asDouble(), args.get(1).asDouble());
            t = t.dup('c');
        } else if ("normal_sequence".equals(fn)) {
            long[] lengths = longs(c.get("shape"));
            INDArray[] parts = new INDArray[lengths.length];
            for (int i = 0; i < lengths.length; i++) {
                parts[i] = Nd4j.create(type, new long[]{lengths[i]}, 'c');
                g.normal(parts[i], args.get(0).asDouble(), args.get(1).asDouble());
            }
            t = Nd4j.concat(0, parts);
        } else {
            t = Nd4j.create(type, longs(c.get("shape")), 'c');
            scheme(fn, args).apply(t, g);
        }
        long[] sync = new long[4];
        for (int i = 0; i < 4; i++) {
            sync[i] = g.random64() & Long.MAX_VALUE;
        }
        return new Result(t, sync);
    }

    /** Little-endian bytes of the tensor in C order, as numpy's {@code tobytes()} on x86. */
    static byte[] leBytes(INDArray t) {
        if (t.dataType() == DataType.DOUBLE) {
            double[] v = DenseViews.readDoubles(t);
            ByteBuffer b = ByteBuffer.allocate(v.length * 8).order(ByteOrder.LITTLE_ENDIAN);
            b.asDoubleBuffer().put(v);
            return b.array();
        }
        float[] v = DenseViews.readFloats(t);
        ByteBuffer b = ByteBuffer.allocate(v.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        b.asFloatBuffer().put(v);
        return b.array();
    }

    static String sha256(INDArray t) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(leBytes(t));
            StringBuilder sb = new StringBuilder();
            for (byte x : d) {
                sb.append(String.format("%02x", x));
            }
            return sb.toString();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Hex bits of every element in C order: 8 digits for float, 16 for double (as the script writes). */
    static String[] hexBits(INDArray t) {
        if (t.dataType() == DataType.DOUBLE) {
            double[] v = DenseViews.readDoubles(t);
            String[] r = new String[v.length];
            for (int i = 0; i < v.length; i++) {
                r[i] = String.format("%016x", Double.doubleToRawLongBits(v[i]));
            }
            return r;
        }
        float[] v = DenseViews.readFloats(t);
        String[] r = new String[v.length];
        for (int i = 0; i < v.length; i++) {
            r[i] = String.format("%08x", Float.floatToRawIntBits(v[i]));
        }
        return r;
    }

    static String[] strings(JsonNode array) {
        String[] r = new String[array.size()];
        for (int i = 0; i < r.length; i++) {
            r[i] = array.get(i).asText();
        }
        return r;
    }

    static String[] syncHex(long[] sync) {
        String[] r = new String[sync.length];
        for (int i = 0; i < r.length; i++) {
            r[i] = String.format("%016x", sync[i]);
        }
        return r;
    }
}
