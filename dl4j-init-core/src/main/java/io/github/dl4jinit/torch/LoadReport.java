package io.github.dl4jinit.torch;

import io.github.dl4jinit.internal.TextTable;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/**
 * What {@link TorchStateDict#loadInto} did: which DL4J parameter received which PyTorch tensor(s),
 * and what was skipped, ignored or left as it was. {@link #toString()} prints it as a table.
 * PyTorch's {@code load_state_dict} returns the missing and unexpected keys alone; this report
 * names every parameter.
 */
public final class LoadReport {

    /** What happened to one row. */
    public enum Status {
        /** The parameter received the tensor(s). */
        LOADED,
        /** Lenient mode: the parameter's tensor is not in the state_dict; it was left as it was. */
        MISSING,
        /** The parameter has no PyTorch tensor of its own (no twin); it was left as it was. */
        NO_TWIN,
        /** Lenient mode: a key of the state_dict that no parameter of the network stands for. */
        UNEXPECTED,
        /** A key read and ignored on purpose: BatchNorm's {@code num_batches_tracked} (DL4J keeps no count). */
        IGNORED
    }

    /** One parameter of the network, or one key of the state_dict that no parameter took. */
    public static final class Row {
        private final String layer;
        private final String param;
        private final List<String> keys;
        private final long[] shape;
        private final String dtype;
        private final Status status;
        private final String note;

        Row(String layer, String param, List<String> keys, long[] shape, String dtype, Status status, String note) {
            this.layer = layer;
            this.param = param;
            this.keys = Collections.unmodifiableList(new ArrayList<>(keys));
            this.shape = shape == null ? null : shape.clone();
            this.dtype = dtype;
            this.status = status;
            this.note = note;
        }

        /** The DL4J layer name, or null for a key no layer took. */
        public String layer() {
            return layer;
        }

        /** DL4J's parameter key ({@code W}, {@code b}, {@code log10stdev}), or null for a key no layer took. */
        public String param() {
            return param;
        }

        /**
         * The state_dict key(s) as the file names them (before {@link TorchStateDict#renameKeys}): two
         * for a recurrent bias, none for a parameter without a twin. A missing key is named as the
         * network expects it.
         */
        public List<String> keys() {
            return keys;
        }

        /** PyTorch's shape, or null where unknown. */
        public long[] shape() {
            return shape == null ? null : shape.clone();
        }

        /** The tensor's type in the file ({@code F32}, {@code BF16}...), or null where none was read. */
        public String dtype() {
            return dtype;
        }

        public Status status() {
            return status;
        }

        /** What was converted, combined or why it was skipped; empty when nothing needs saying. */
        public String note() {
            return note;
        }
    }

    private final String source;
    private final String target;
    private final boolean strict;
    private final List<Row> rows;

    LoadReport(String source, String target, boolean strict, List<Row> rows) {
        this.source = source;
        this.target = target;
        this.strict = strict;
        this.rows = Collections.unmodifiableList(new ArrayList<>(rows));
    }

    /** Every row: the network's parameters in layer order, then keys no parameter took. */
    public List<Row> rows() {
        return rows;
    }

    /** Whether the load was strict ({@code load_state_dict(strict=True)}). */
    public boolean strict() {
        return strict;
    }

    /** The rows with the given status. */
    public List<Row> rows(Status status) {
        List<Row> out = new ArrayList<>();
        for (Row r : rows) {
            if (r.status == status) {
                out.add(r);
            }
        }
        return out;
    }

    /** Number of parameters that received their tensor(s). */
    public int loaded() {
        return rows(Status.LOADED).size();
    }

    /** The keys the network expected and the state_dict lacks (lenient mode only; strict refuses). */
    public List<String> missingKeys() {
        return keysOf(Status.MISSING);
    }

    /** The keys of the state_dict no parameter took (lenient mode only; strict refuses). */
    public List<String> unexpectedKeys() {
        return keysOf(Status.UNEXPECTED);
    }

    private List<String> keysOf(Status status) {
        List<String> out = new ArrayList<>();
        for (Row r : rows(status)) {
            out.addAll(r.keys);
        }
        return out;
    }

    @Override
    public String toString() {
        TextTable table = TextTable.of("layer", "param", "PyTorch key", "shape", "dtype", "status", "note");
        for (Row r : rows) {
            table.row(r.layer, r.param, r.keys.isEmpty() ? "(none)" : String.join(" + ", r.keys),
                    r.shape == null ? "" : Arrays.toString(r.shape), r.dtype == null ? "" : r.dtype,
                    r.status.name().toLowerCase(Locale.ROOT), r.note);
        }
        StringBuilder sb = new StringBuilder();
        sb.append("Loaded ").append(loaded()).append(" parameters from ").append(source).append(" into ")
                .append(target).append(strict ? " (strict)" : " (lenient)");
        int missing = rows(Status.MISSING).size();
        int unexpected = rows(Status.UNEXPECTED).size();
        int noTwin = rows(Status.NO_TWIN).size();
        if (missing + unexpected + noTwin > 0) {
            sb.append("; ").append(missing).append(" missing, ").append(unexpected).append(" unexpected, ")
                    .append(noTwin).append(" without a PyTorch twin");
        }
        return sb.append('\n').append(table).toString();
    }
}
