package io.github.dl4jinit.torch;

import io.github.dl4jinit.internal.Args;
import io.github.dl4jinit.network.LayerParam;
import io.github.dl4jinit.network.NetworkLayer;
import io.github.dl4jinit.network.NetworkWalker;
import io.github.dl4jinit.network.TorchModule;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;

/**
 * A PyTorch {@code state_dict}: named tensors in PyTorch's shapes, read from or written to a
 * safetensors file, and loaded into (or taken from) a DL4J network whose layers are twins of the
 * PyTorch modules.
 *
 * <pre>{@code
 * TorchStateDict sd = TorchStateDict.read(Path.of("model.safetensors"));  // safetensors.torch.save_file(model.state_dict(), ...)
 * LoadReport report = sd.loadInto(net);                                   // model.load_state_dict(sd, strict=True)
 * TorchStateDict.of(net).write(Path.of("from-dl4j.safetensors"));          // for safetensors.torch.load_file
 * }</pre>
 *
 * <p>Keys are {@code <DL4J layer name>.<PyTorch parameter or buffer name>}: {@code fc1.weight},
 * {@code bn.running_var}, {@code lstm.weight_hh_l0}. A MultiLayerNetwork layer has the name it was
 * configured with ({@code .name("fc1")}; DL4J calls an unnamed one {@code layer0}, {@code layer1}...),
 * a graph's layer its vertex name. Where the DL4J names cannot be the
 * PyTorch ones, rename the keys: {@link #replacePrefix}, {@link #renameKeys}.
 *
 * <p>Which DL4J parameter is which PyTorch tensor, and in which layout, is
 * {@link io.github.dl4jinit.network.LayerTable}'s knowledge: a Dense {@code W} is {@code Linear.weight} transposed, LSTM gates
 * are reordered and DL4J's one bias is {@code bias_ih + bias_hh}, BatchNormalization's
 * {@code log10stdev} is {@code log10(√running_var)}. What survives a round trip:
 * <ul>
 *   <li>every tensor of the file, bit for bit, through {@link #read} and {@link #write};</li>
 *   <li>every parameter, bit for bit, through {@code of(net)} and {@code loadInto}, except
 *       BatchNormalization's default {@code log10stdev}: {@code (10^x)²} rounded to float and back
 *       is within an ulp or two of x, not always x. {@code useLogStd(false)} keeps the variance
 *       itself and is exact;</li>
 *   <li>a recurrent layer's two PyTorch biases as their sum only: {@link #of} writes
 *       {@code bias_ih = b, bias_hh = 0}, which gives PyTorch the same function;</li>
 *   <li>BatchNorm's {@code num_batches_tracked}: read and ignored, written as 0 (it matters to
 *       PyTorch only with {@code momentum=None}).</li>
 * </ul>
 * A state_dict read from a file holds the file mapped, not copied: the file must stay unchanged
 * while the state_dict is in use (and, on Windows, cannot be deleted until it is collected).
 */
public final class TorchStateDict {
    /** BatchNorm's batch counter: a buffer DL4J does not keep. */
    static final String NUM_BATCHES_TRACKED = "num_batches_tracked";

    private final Map<String, TorchTensor> tensors;
    private final Map<String, String> metadata;
    private final String source;
    /** Key → the key it had when read or made, for the keys {@link #renameKeys} changed. */
    private final Map<String, String> originalKeys;

    private TorchStateDict(Map<String, TorchTensor> tensors, Map<String, String> metadata, String source) {
        this(tensors, metadata, source, new LinkedHashMap<>());
    }

    private TorchStateDict(Map<String, TorchTensor> tensors, Map<String, String> metadata, String source,
                           Map<String, String> originalKeys) {
        this.tensors = Collections.unmodifiableMap(tensors);
        this.metadata = Collections.unmodifiableMap(metadata);
        this.source = source;
        this.originalKeys = Collections.unmodifiableMap(originalKeys);
    }

    /** The key as the file (or map) named it, before any renaming. */
    private String original(String key) {
        return originalKeys.getOrDefault(key, key);
    }

    /**
     * Reads a safetensors file, as {@code safetensors.torch.load_file(file)}: the header is parsed
     * and checked, the data mapped. Nothing in the file is trusted (see the format checks on
     * {@link SafetensorsFormatException}).
     *
     * @throws SafetensorsFormatException if the file is not a well-formed safetensors file
     * @throws IOException                if it cannot be read
     */
    public static TorchStateDict read(Path file) throws IOException {
        Args.notNull("file", file);
        Safetensors.Contents c = Safetensors.read(file);
        return new TorchStateDict(new LinkedHashMap<>(c.tensors), new LinkedHashMap<>(c.metadata),
                String.valueOf(file.getFileName()));
    }

    /**
     * The network's state_dict, as {@code model.state_dict()} of its PyTorch twin: every parameter
     * with a PyTorch twin in PyTorch's shape, layout and gate order, a recurrent bias as
     * {@code bias_ih = b, bias_hh = 0}, BatchNorm's {@code num_batches_tracked} as 0. Parameters
     * without a twin (GravesLSTM's peepholes, a Dense layer-norm gain) are not in it. A copy: later
     * training does not change it.
     *
     * @throws IllegalArgumentException before {@code net.init()}, or if two layers share a name
     */
    public static TorchStateDict of(MultiLayerNetwork net) {
        return of(NetworkWalker.layers(net), "MultiLayerNetwork");
    }

    /** The graph's state_dict; see {@link #of(MultiLayerNetwork)}. Keys use the vertex names. */
    public static TorchStateDict of(ComputationGraph graph) {
        return of(NetworkWalker.layers(graph), "ComputationGraph");
    }

    private static TorchStateDict of(List<NetworkLayer> layers, String source) {
        Map<String, TorchTensor> out = new LinkedHashMap<>();
        for (NetworkLayer layer : layers) {
            for (LayerParam p : layer.params()) {
                if (!p.inStateDict()) {
                    continue;
                }
                List<INDArray> values = p.toStateDict();
                for (int i = 0; i < values.size(); i++) {
                    String key = layer.name() + "." + p.torchKeys().get(i);
                    put(out, key, TorchTensor.of(key, values.get(i)));
                }
            }
            if (layer.torchModule() == TorchModule.BATCH_NORM) {
                String key = layer.name() + "." + NUM_BATCHES_TRACKED;
                put(out, key, TorchTensor.of(key, Nd4j.scalar(0L)));
            }
        }
        Map<String, String> metadata = new LinkedHashMap<>();
        metadata.put("format", "pt");
        return new TorchStateDict(out, metadata, source);
    }

    private static void put(Map<String, TorchTensor> out, String key, TorchTensor t) {
        if (out.put(key, t) != null) {
            throw Args.invalid("net", "two layers named for key \"" + key + "\"",
                    "distinct layer names (a state_dict key is <layer name>.<PyTorch name>)");
        }
    }

    /**
     * A state_dict of the given tensors, each taken in PyTorch's shape (copied, in C order), as a
     * Python {@code dict} of tensors handed to {@code save_file}.
     *
     * @throws IllegalArgumentException for a null or reserved key, or an array type safetensors cannot store
     */
    public static TorchStateDict of(Map<String, INDArray> tensors) {
        Args.notNull("tensors", tensors);
        Map<String, TorchTensor> out = new LinkedHashMap<>();
        for (Map.Entry<String, INDArray> e : tensors.entrySet()) {
            String key = e.getKey();
            if (key == null || key.equals(Safetensors.METADATA)) {
                throw Args.invalid("tensors key", key, "a tensor name other than null and \"" + Safetensors.METADATA + "\"");
            }
            out.put(key, TorchTensor.of("tensors[\"" + key + "\"]", e.getValue()));
        }
        return new TorchStateDict(out, new LinkedHashMap<>(), "a map of " + out.size() + " tensors");
    }

    /** The keys, in the file's header order (or the network's layer order). */
    public List<String> names() {
        return Collections.unmodifiableList(new ArrayList<>(tensors.keySet()));
    }

    /** Number of tensors. */
    public int size() {
        return tensors.size();
    }

    /** Whether the state_dict has this key. */
    public boolean contains(String name) {
        return tensors.containsKey(name);
    }

    /**
     * The tensor under {@code name}: PyTorch's shape, C order, the file's element type as the ND4J
     * type of the same name (F32 → FLOAT, BF16 → BFLOAT16, I64 → LONG...). A copy, as
     * {@code sd[name].clone()}.
     *
     * @throws IllegalArgumentException if there is no such key, or ND4J has no type for it (8-bit floats)
     */
    public INDArray get(String name) {
        TorchTensor t = tensor(name);
        String why = t.unreadable();
        if (why != null) {
            throw Args.invalid("name", name, "a tensor ND4J can hold: " + why);
        }
        return t.toArray();
    }

    /** PyTorch's shape of the tensor under {@code name} ({@code tensor.shape}). */
    public long[] shape(String name) {
        return tensor(name).shape();
    }

    /** The safetensors type of the tensor under {@code name}: {@code F32}, {@code F16}, {@code BF16}, {@code I64}... */
    public String dtype(String name) {
        return tensor(name).dtype.name();
    }

    /** The file's free-form {@code __metadata__} (string to string); {@code {"format": "pt"}} for {@link #of(MultiLayerNetwork)}. */
    public Map<String, String> metadata() {
        return metadata;
    }

    private TorchTensor tensor(String name) {
        Args.notNull("name", name);
        TorchTensor t = tensors.get(name);
        if (t == null) {
            throw Args.invalid("name", name, "one of the state_dict's " + tensors.size() + " keys " + sample(tensors.keySet()));
        }
        return t;
    }

    private static String sample(Collection<String> keys) {
        List<String> k = new ArrayList<>(keys);
        return k.size() <= 8 ? k.toString() : k.subList(0, 8) + " and " + (k.size() - 8) + " more";
    }

    /**
     * The same tensors under new keys: {@code rename} maps each key (the file's name) to the name the
     * network uses, or back before {@link #write}. Keys it returns unchanged stay.
     *
     * @throws IllegalArgumentException if it returns null, or two keys become one
     */
    public TorchStateDict renameKeys(UnaryOperator<String> rename) {
        Args.notNull("rename", rename);
        Map<String, TorchTensor> out = new LinkedHashMap<>();
        Map<String, String> from = new LinkedHashMap<>();
        Map<String, String> originals = new LinkedHashMap<>();
        for (Map.Entry<String, TorchTensor> e : tensors.entrySet()) {
            String to = rename.apply(e.getKey());
            if (to == null || to.equals(Safetensors.METADATA)) {
                throw Args.invalid("rename(\"" + e.getKey() + "\")", to, "a key other than null and \"" + Safetensors.METADATA + "\"");
            }
            if (out.put(to, e.getValue()) != null) {
                throw Args.invalid("rename", "\"" + from.get(to) + "\" and \"" + e.getKey() + "\" both to \"" + to + "\"",
                        "one key per tensor");
            }
            from.put(to, e.getKey());
            if (!to.equals(original(e.getKey()))) {
                originals.put(to, original(e.getKey()));
            }
        }
        return new TorchStateDict(out, new LinkedHashMap<>(metadata), source, originals);
    }

    /**
     * The same tensors with {@code from} at the start of a key replaced by {@code to}, e.g.
     * {@code replacePrefix("features.0.", "conv0.")} or {@code replacePrefix("module.", "")} for a
     * checkpoint saved from {@code nn.DataParallel}.
     */
    public TorchStateDict replacePrefix(String from, String to) {
        Args.notNull("from", from);
        Args.notNull("to", to);
        return renameKeys(k -> k.startsWith(from) ? to + k.substring(from.length()) : k);
    }

    /**
     * Writes the tensors as a safetensors file that {@code safetensors.torch.load_file} reads
     * (and {@code model.load_state_dict(load_file(file))} loads into the PyTorch twin). The file is
     * written beside {@code file} and moved over it when complete: on failure an existing file is left
     * as it was.
     *
     * @throws IOException if it cannot be written
     */
    public void write(Path file) throws IOException {
        Args.notNull("file", file);
        Safetensors.write(file, tensors, metadata);
    }

    /**
     * Loads the tensors into the network's parameters, as {@code model.load_state_dict(sd,
     * strict=True)}: every parameter with a PyTorch twin must find its key with PyTorch's shape and a
     * floating type, every key must find a parameter, and parameters without a twin are refused
     * (a state_dict cannot set them). Everything is checked before anything is written: a refused
     * load leaves the network bit-identical. float16, bfloat16 and float64 tensors are converted to
     * the network's type (float64 rounds to nearest, as {@code .float()}); integer and boolean
     * tensors are refused. A recurrent layer's bias receives {@code bias_ih + bias_hh}, added in
     * float as PyTorch adds them. BatchNorm's {@code num_batches_tracked} is read and ignored. The
     * updater's state is not touched (as PyTorch's optimizer is not).
     *
     * @return what was loaded, one row per parameter
     * @throws IllegalArgumentException naming every missing or unexpected key, shape mismatch or type
     *                                  it cannot convert; nothing is written then
     */
    public LoadReport loadInto(MultiLayerNetwork net) {
        return loadInto(net, true);
    }

    /**
     * {@link #loadInto(MultiLayerNetwork)} with PyTorch's {@code strict} flag: {@code strict=false}
     * leaves parameters whose key is missing or that have no twin as they were and reports them and
     * the unexpected keys, as {@code load_state_dict(sd, strict=False)}. Shapes and types must fit
     * either way.
     */
    public LoadReport loadInto(MultiLayerNetwork net, boolean strict) {
        return load(NetworkWalker.layers(net), "MultiLayerNetwork", strict);
    }

    /** {@link #loadInto(MultiLayerNetwork)} for a graph: keys use the vertex names. */
    public LoadReport loadInto(ComputationGraph graph) {
        return loadInto(graph, true);
    }

    /** {@link #loadInto(MultiLayerNetwork, boolean)} for a graph. */
    public LoadReport loadInto(ComputationGraph graph, boolean strict) {
        return load(NetworkWalker.layers(graph), "ComputationGraph", strict);
    }

    /** A parameter and the tensors it receives, checked and waiting to be written. */
    private static final class Planned {
        final LayerParam spec;
        final List<TorchTensor> tensors;

        Planned(LayerParam spec, List<TorchTensor> tensors) {
            this.spec = spec;
            this.tensors = tensors;
        }
    }

    private LoadReport load(List<NetworkLayer> layers, String target, boolean strict) {
        List<LoadReport.Row> rows = new ArrayList<>();
        List<Planned> plan = new ArrayList<>();
        Map<String, String> claimed = new LinkedHashMap<>();
        List<String> missing = new ArrayList<>();
        List<String> errors = new ArrayList<>();
        for (NetworkLayer layer : layers) {
            for (LayerParam p : layer.params()) {
                if (!p.inStateDict()) {
                    String why = p.torchKeys().isEmpty() ? "no PyTorch twin (" + p.torchName() + ")"
                            : "part of PyTorch's " + p.torchName() + ", which a state_dict holds as one tensor";
                    if (strict) {
                        errors.add("Parameter " + layer.name() + "/" + p.key() + " of " + layer.typeName()
                                + " cannot be set from a state_dict: " + why);
                    }
                    rows.add(new LoadReport.Row(layer.name(), p.key(), Collections.emptyList(), p.torchShape(), null,
                            LoadReport.Status.NO_TWIN, why + "; left as it was"));
                    continue;
                }
                List<String> keys = new ArrayList<>();
                List<TorchTensor> found = new ArrayList<>();
                for (String k : p.torchKeys()) {
                    String key = layer.name() + "." + k;
                    String owner = claimed.put(key, layer.name() + "/" + p.key());
                    if (owner != null) {
                        errors.add("Key \"" + key + "\" stands for two parameters, " + owner + " and "
                                + layer.name() + "/" + p.key() + " (do two layers share a name?)");
                    }
                    keys.add(key);
                    found.add(tensors.get(key));
                }
                List<String> absent = new ArrayList<>();
                for (int i = 0; i < keys.size(); i++) {
                    if (found.get(i) == null) {
                        absent.add(keys.get(i));
                    }
                }
                if (!absent.isEmpty()) {
                    missing.addAll(absent);
                    rows.add(new LoadReport.Row(layer.name(), p.key(), keys, p.torchShape(), null,
                            LoadReport.Status.MISSING, "not in the state_dict; left as it was"));
                    continue;
                }
                String dtypes = "";
                String conversion = "";
                boolean fits = true;
                for (int i = 0; i < keys.size(); i++) {
                    TorchTensor t = found.get(i);
                    dtypes = dtypes.isEmpty() ? t.dtype.name() : dtypes + "+" + t.dtype.name();
                    if (!Arrays.equals(t.shape(), p.torchShape())) {
                        errors.add("size mismatch for " + original(keys.get(i)) + ": copying a param with shape "
                                + Arrays.toString(t.shape()) + " from checkpoint, the shape in current model is "
                                + Arrays.toString(p.torchShape()) + " (" + layer.name() + "/" + p.key() + ")");
                        fits = false;
                    } else if (!t.dtype.floating) {
                        errors.add(original(keys.get(i)) + " holds " + t.dtype.torchName + " values, which cannot be loaded into "
                                + layer.name() + "/" + p.key() + " (" + p.view().dataType() + "): expected a floating type");
                        fits = false;
                    } else if (t.unreadable() != null) {
                        errors.add(original(keys.get(i)) + " cannot be read: " + t.unreadable());
                        fits = false;
                    } else if (t.dtype.nd4j != p.view().dataType()) {
                        conversion = t.dtype.torchName.replace("torch.", "") + " converted to " + p.view().dataType();
                    }
                }
                if (!fits) {
                    continue;
                }
                String note = keys.size() > 1 ? "sum of " + keys.size() + " tensors (DL4J keeps one bias)" : "";
                if (!conversion.isEmpty()) {
                    note = note.isEmpty() ? conversion : note + "; " + conversion;
                }
                plan.add(new Planned(p, found));
                List<String> fileKeys = new ArrayList<>();
                keys.forEach(k -> fileKeys.add(original(k)));
                rows.add(new LoadReport.Row(layer.name(), p.key(), fileKeys, p.torchShape(), dtypes,
                        LoadReport.Status.LOADED, note));
            }
            if (layer.torchModule() == TorchModule.BATCH_NORM) {
                String key = layer.name() + "." + NUM_BATCHES_TRACKED;
                if (tensors.containsKey(key)) {
                    claimed.put(key, layer.name());
                    rows.add(new LoadReport.Row(layer.name(), null, Collections.singletonList(original(key)),
                            tensors.get(key).shape(), tensors.get(key).dtype.name(), LoadReport.Status.IGNORED,
                            "DL4J keeps no batch count"));
                }
            }
        }
        List<String> unexpected = new ArrayList<>();
        for (String key : tensors.keySet()) {
            if (!claimed.containsKey(key)) {
                unexpected.add(original(key));
                rows.add(new LoadReport.Row(null, null, Collections.singletonList(original(key)), tensors.get(key).shape(),
                        tensors.get(key).dtype.name(), LoadReport.Status.UNEXPECTED,
                        "no parameter of the network has this key; not loaded"));
            }
        }
        if (strict && !missing.isEmpty()) {
            errors.add(0, "Missing key(s) in state_dict: " + quoted(missing) + ".");
        }
        if (strict && !unexpected.isEmpty()) {
            errors.add(missing.isEmpty() ? 0 : 1, "Unexpected key(s) in state_dict: " + quoted(unexpected) + ".");
        }
        if (!errors.isEmpty()) {
            throw new IllegalArgumentException("Error(s) in loading state_dict " + source + " into " + target + ":\n\t"
                    + String.join("\n\t", errors) + "\nNothing was written"
                    + (strict ? " (strict; loadInto(net, false) leaves missing parameters as they are and"
                    + " ignores unexpected keys)." : "."));
        }
        for (Planned pl : plan) {
            List<Consumer<INDArray>> fills = new ArrayList<>();
            for (TorchTensor t : pl.tensors) {
                fills.add(t::fill);
            }
            pl.spec.fromTorch(fills);
        }
        return new LoadReport(source, target, strict, rows);
    }

    private static String quoted(List<String> keys) {
        List<String> q = new ArrayList<>();
        for (String k : keys) {
            q.add("\"" + k + "\"");
        }
        return String.join(", ", q);
    }

    @Override
    public String toString() {
        return "TorchStateDict(" + source + ", " + tensors.size() + " tensors " + sample(tensors.keySet()) + ")";
    }
}
