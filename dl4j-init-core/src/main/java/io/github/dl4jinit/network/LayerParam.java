package io.github.dl4jinit.network;

import io.github.dl4jinit.init.Constant;
import io.github.dl4jinit.init.Fans;
import io.github.dl4jinit.init.TorchLayout;
import io.github.dl4jinit.init.TorchWeightInit;
import io.github.dl4jinit.internal.Args;
import io.github.dl4jinit.internal.DenseViews;
import io.github.dl4jinit.sampling.Sampler;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * One DL4J parameter as {@link LayerTable} describes it: its key, role, the PyTorch tensor(s) it
 * stands for, their layout and fans, and how values in PyTorch's layout land in DL4J's array (drawn
 * by a scheme, or loaded from a state_dict: {@link #fromTorch}) and come back out ({@link #toTorch},
 * {@link #toStateDict}).
 *
 * <p>Three ways of landing exist:
 * <ul>
 *   <li>direct: {@link TorchLayout#fill} (Dense, conv, embedding, BatchNorm...);</li>
 *   <li>gate-permuted: recurrent layers draw PyTorch's tensor with gates i, f, g, o along dim 0
 *       and DL4J stores blocks [g, f, o, i] ({@code gateOrder}); the DL4J bias is the float sum of
 *       PyTorch's two biases b_ih + b_hh, each drawn in turn (two {@link #torchKeys});</li>
 *   <li>log10(std): BatchNormalization's {@code log10stdev} receives a variance v as log10(√v).</li>
 * </ul>
 */
public final class LayerParam {
    private final String key;
    private final ParamRole role;
    private final List<String> torchKeys;
    private final List<String> torchAttributes;
    private final String displayName;
    private final TorchLayout layout;
    private final Fans fans;
    private final int[] gateOrder;
    private final boolean log10Std;
    private final long hiddenSize;
    private final boolean inStateDict;
    private final INDArray view;

    private LayerParam(LayerParam o, String key) {
        this.key = key;
        this.role = o.role;
        this.torchKeys = o.torchKeys;
        this.torchAttributes = o.torchAttributes;
        this.displayName = o.displayName;
        this.layout = o.layout;
        this.fans = o.fans;
        this.gateOrder = o.gateOrder;
        this.log10Std = o.log10Std;
        this.hiddenSize = o.hiddenSize;
        this.inStateDict = o.inStateDict;
        this.view = o.view;
    }

    /** The same parameter under a prefixed key (Bidirectional's {@code fW}, {@code bRW}...). */
    LayerParam withKeyPrefix(String prefix) {
        return new LayerParam(this, prefix + key);
    }

    private LayerParam(Builder b) {
        this.key = b.key;
        this.role = b.role;
        this.torchKeys = Collections.unmodifiableList(Arrays.asList(b.torchKeys));
        this.torchAttributes = Collections.unmodifiableList(Arrays.asList(b.attributes == null ? b.torchKeys : b.attributes));
        this.displayName = b.displayName != null ? b.displayName
                : b.torchKeys.length == 0 ? "(no twin)" : String.join("+", b.torchKeys);
        this.layout = b.layout;
        this.fans = b.fans == null ? b.layout.fans() : b.fans;
        this.gateOrder = b.gateOrder;
        this.log10Std = b.log10Std;
        this.hiddenSize = b.hiddenSize;
        this.inStateDict = b.inStateDict;
        this.view = b.view;
    }

    static Builder builder(String key, ParamRole role, INDArray view, TorchLayout layout) {
        return new Builder(key, role, view, layout);
    }

    /** DL4J's key in the layer's parameter table ({@code W}, {@code b}, {@code RW}...). */
    public String key() {
        return key;
    }

    public ParamRole role() {
        return role;
    }

    /**
     * How the report names the PyTorch tensor(s), e.g. {@code weight}, {@code bias_ih_l0+bias_hh_l0}
     * or {@code (no twin)}.
     */
    public String torchName() {
        return displayName;
    }

    /**
     * The PyTorch state_dict keys this parameter stands for, relative to the layer's module: one
     * ({@code weight}, {@code depthwise.weight}, {@code running_var}), two for a recurrent bias
     * ({@code bias_ih_l0}, {@code bias_hh_l0}: DL4J keeps their sum), none without a twin.
     */
    public List<String> torchKeys() {
        return torchKeys;
    }

    /**
     * The names an init loop uses for it on the PyTorch module it belongs to ({@code m.weight},
     * {@code m.bias}, {@code m.weight_ih_l0}): the {@link #torchKeys} seen from that module, so both
     * halves of a SeparableConvolution2D (two {@code nn.Conv2d}) have a {@code weight}.
     */
    public List<String> torchAttributes() {
        return torchAttributes;
    }

    /** How the DL4J array maps onto PyTorch's tensor (shape and memory order). */
    public TorchLayout layout() {
        return layout;
    }

    /** PyTorch's shape of the twin tensor. */
    public long[] torchShape() {
        return layout.torchShape();
    }

    /** The fans a scheme receives: PyTorch's of this tensor, or of its weight for a bias. */
    public Fans fans() {
        return fans;
    }

    /** Hidden size of a recurrent layer (PyTorch's RNN rule U(±1/√hidden)); 0 elsewhere. */
    public long hiddenSize() {
        return hiddenSize;
    }

    /** The live DL4J view of the parameter. */
    public INDArray view() {
        return view;
    }

    public long length() {
        return view.length();
    }

    /**
     * Checks that the scheme fits this parameter; throws IllegalArgumentException otherwise.
     *
     * @param dryRuns outcomes of earlier dry runs by scheme (all parameters without fans behave alike)
     */
    void check(TorchWeightInit scheme, Map<TorchWeightInit, RuntimeException> dryRuns) {
        scheme.checkShape(layout.torchShape());
        if (!fans.known()) {
            // Runs the scheme on a scratch value up to its first draw: a scheme that reads fans fails
            // here, before any write.
            RuntimeException failure = dryRuns.computeIfAbsent(scheme, s -> {
                try {
                    s.sample(Nd4j.zeros(view.dataType(), 1), fans, DryRunSampler.INSTANCE);
                    return NO_FAILURE;
                } catch (DryRunSampler.Reached e) {
                    return NO_FAILURE;
                } catch (IllegalArgumentException e) {
                    return e;
                }
            });
            if (failure != NO_FAILURE) {
                throw (IllegalArgumentException) failure;
            }
        }
    }

    private static final RuntimeException NO_FAILURE = new RuntimeException("no failure");

    /** Draws this parameter's values with the scheme, in PyTorch's order, and writes them. */
    void write(TorchWeightInit scheme, Sampler sampler) {
        if (view.length() == 0) {
            return;
        }
        int twins = Math.max(1, torchKeys.size());
        if (scheme instanceof Constant && gateOrder == null && twins == 1) {
            // A constant draws nothing: written from Java in one copy, since a ResNet has hundreds of
            // BatchNorm vectors and an ND4J op per vector costs more than the copy.
            double v = ((Constant) scheme).value();
            double value = log10Std ? Math.log10(Math.sqrt(v)) : v;
            int n = (int) view.length();
            if (view.dataType() == DataType.DOUBLE) {
                double[] values = new double[n];
                Arrays.fill(values, value);
                layout.fill(view, t -> DenseViews.write(t, values));
            } else {
                float[] values = new float[n];
                Arrays.fill(values, (float) value);
                layout.fill(view, t -> DenseViews.write(t, values));
            }
            return;
        }
        List<Consumer<INDArray>> draws = new ArrayList<>();
        for (int i = 0; i < twins; i++) {
            draws.add(t -> scheme.sample(t, fans, sampler));
        }
        land(draws);
    }

    /**
     * Writes PyTorch tensors into this parameter: the inverse of {@link #toTorch}. Each tensor, in
     * the order of {@link #torchKeys}, is given as a writer that fills the PyTorch-shaped, C-ordered
     * array it receives (of this parameter's data type) with its values. A recurrent bias receives
     * the float sum {@code bias_ih + bias_hh} (PyTorch adds the two in every step; DL4J keeps one),
     * gates go from PyTorch's order (i, f, g, o) to DL4J's, and BatchNormalization's
     * {@code log10stdev} receives {@code log10(√running_var)}, rounded once from double precision.
     *
     * <p>The PyTorch equivalent is {@code module.load_state_dict(...)} for this one parameter. The
     * caller checks shapes and data types first: a writer is trusted to fill what it is given.
     *
     * @throws IllegalArgumentException if the number of tensors is not the number of PyTorch keys
     */
    public void fromTorch(List<? extends Consumer<INDArray>> tensors) {
        Args.notNull("tensors", tensors);
        if (torchKeys.isEmpty() || tensors.size() != torchKeys.size()) {
            throw Args.invalid("tensors", tensors.size() + " tensors",
                    "one tensor per PyTorch key of " + this + ": " + torchKeys);
        }
        if (view.length() == 0) {
            return;
        }
        land(tensors);
    }

    /**
     * Lands PyTorch-shaped values in the view: each fill writes one twin tensor (several are added),
     * then log10(std), the gate permutation and the layout are applied, in that order.
     */
    private void land(List<? extends Consumer<INDArray>> fills) {
        if (gateOrder == null && fills.size() == 1 && !log10Std) {
            layout.fill(view, fills.get(0));
            return;
        }
        long[] shape = layout.torchShape();
        INDArray torch = Nd4j.create(view.dataType(), shape, 'c');
        fills.get(0).accept(torch);
        for (int i = 1; i < fills.size(); i++) {
            INDArray other = Nd4j.create(view.dataType(), shape, 'c');
            fills.get(i).accept(other);
            torch.addi(other);
        }
        if (log10Std) {
            // DL4J stores log10(std) with var = (10^log10std)^2 (BatchNormalization.preOutput);
            // computed in double and rounded once, as the constant path above.
            double[] var = DenseViews.readDoubles(torch);
            for (int i = 0; i < var.length; i++) {
                var[i] = Math.log10(Math.sqrt(var[i]));
            }
            INDArray logStd = Nd4j.create(view.dataType(), shape, 'c');
            DenseViews.write(logStd, var);
            torch = logStd;
        }
        if (gateOrder != null) {
            torch = permuteGates(torch, shape);
        }
        INDArray values = torch;
        layout.fill(view, t -> t.assign(values.reshape('c', t.shape())));
    }

    /**
     * Whether a PyTorch state_dict holds this parameter under its own {@link #torchKeys}: false
     * without a twin, and for SelfAttentionLayer's {@code Wq}, {@code Wk}, {@code Wv} (blocks of one
     * {@code in_proj_weight}) and the {@code out_proj.bias} it only draws.
     */
    public boolean inStateDict() {
        return !torchKeys.isEmpty() && inStateDict;
    }

    /**
     * This parameter as the PyTorch state_dict tensors of its {@link #torchKeys}, in that order:
     * {@link #toTorch} for one key; for a recurrent bias {@code bias_ih = b} and {@code bias_hh = 0},
     * which gives PyTorch the same function ({@code bias_ih + bias_hh = b}, the split itself is lost).
     */
    public List<INDArray> toStateDict() {
        INDArray torch = toTorch();
        List<INDArray> out = new ArrayList<>();
        out.add(torch);
        for (int i = 1; i < torchKeys.size(); i++) {
            out.add(Nd4j.zeros(torch.dataType(), torch.shape()));
        }
        return out;
    }

    /**
     * This parameter's values as PyTorch holds them: PyTorch's shape, C order, PyTorch's gate order.
     * A recurrent bias reads as {@code bias_ih + bias_hh} (DL4J keeps only the sum), BatchNorm's
     * {@code log10stdev} as the variance {@code (10^x)²}.
     */
    public INDArray toTorch() {
        INDArray torch = layout.read(view);
        if (log10Std) {
            float[] x = DenseViews.readFloats(torch.castTo(DataType.FLOAT));
            double[] var = new double[x.length];
            for (int i = 0; i < x.length; i++) {
                double std = Math.pow(10.0, x[i]);
                var[i] = std * std;
            }
            INDArray v = Nd4j.create(view.dataType(), torch.shape(), 'c');
            DenseViews.write(v, var);
            torch = v;
        }
        if (gateOrder != null) {
            torch = unpermuteGates(torch, torch.shape());
        }
        return torch;
    }

    /** Reorders gate blocks along dim 0: DL4J block k receives PyTorch block gateOrder[k]. */
    private INDArray permuteGates(INDArray torch, long[] shape) {
        return moveGates(torch, shape, false);
    }

    /** The inverse of {@link #permuteGates}: PyTorch block gateOrder[k] receives DL4J block k. */
    private INDArray unpermuteGates(INDArray dl4j, long[] shape) {
        return moveGates(dl4j, shape, true);
    }

    private INDArray moveGates(INDArray torch, long[] shape, boolean inverse) {
        int axis = 0;
        while (axis < shape.length - 1 && shape[axis] == 1) {
            axis++;
        }
        long rows = shape[axis];
        long n = rows / gateOrder.length;
        INDArray flat = torch.reshape('c', rows, torch.length() / rows);
        INDArray out = Nd4j.create(torch.dataType(), flat.shape(), 'c');
        for (int k = 0; k < gateOrder.length; k++) {
            int to = inverse ? gateOrder[k] : k;
            int from = inverse ? k : gateOrder[k];
            out.get(NDArrayIndex.interval(to * n, (to + 1) * n), NDArrayIndex.all())
                    .assign(flat.get(NDArrayIndex.interval(from * n, (from + 1) * n), NDArrayIndex.all()));
        }
        return out.reshape('c', shape);
    }

    @Override
    public String toString() {
        return key + " (" + role + ", torch " + displayName + " " + Arrays.toString(layout.torchShape()) + ")";
    }

    static final class Builder {
        private final String key;
        private final ParamRole role;
        private final INDArray view;
        private final TorchLayout layout;
        private String[] torchKeys = new String[0];
        private String[] attributes;
        private String displayName;
        private Fans fans;
        private int[] gateOrder;
        private boolean log10Std;
        private long hiddenSize;
        private boolean inStateDict = true;

        private Builder(String key, ParamRole role, INDArray view, TorchLayout layout) {
            this.key = key;
            this.role = role;
            this.view = view;
            this.layout = layout;
        }

        /** The PyTorch state_dict keys, relative to the module (also its attribute names unless given). */
        Builder torch(String... keys) {
            this.torchKeys = keys;
            return this;
        }

        /** The attribute names on the PyTorch module where they differ from the keys. */
        Builder attributes(String... names) {
            this.attributes = names;
            return this;
        }

        /** The name the report shows, where the keys alone would say too little (or nothing). */
        Builder displayName(String name) {
            this.displayName = name;
            return this;
        }

        Builder fans(Fans f) {
            this.fans = f;
            return this;
        }

        Builder gateOrder(int[] order) {
            this.gateOrder = order;
            return this;
        }

        Builder log10Std() {
            this.log10Std = true;
            return this;
        }

        Builder hiddenSize(long h) {
            this.hiddenSize = h;
            return this;
        }

        /** A part of a PyTorch tensor, or a tensor DL4J does not keep: no state_dict entry of its own. */
        Builder notInStateDict() {
            this.inStateDict = false;
            return this;
        }

        LayerParam build() {
            return new LayerParam(this);
        }
    }
}
