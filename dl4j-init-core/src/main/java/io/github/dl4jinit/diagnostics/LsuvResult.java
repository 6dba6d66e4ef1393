package io.github.dl4jinit.diagnostics;

import io.github.dl4jinit.internal.TextTable;

import java.util.Collections;
import java.util.List;
import java.util.Locale;

/** What {@link Lsuv} did: per layer, the rescalings it took and the output variance it reached. */
public final class LsuvResult {

    /** One layer's outcome. */
    public static final class Entry {
        private final String layer;
        private final String type;
        private final int iterations;
        private final double variance;
        private final boolean converged;

        Entry(String layer, String type, int iterations, double variance, boolean converged) {
            this.layer = layer;
            this.type = type;
            this.iterations = iterations;
            this.variance = variance;
            this.converged = converged;
        }

        public String layer() {
            return layer;
        }

        public String type() {
            return type;
        }

        /** Rescalings applied (0 if the orthonormal weights already gave unit variance). */
        public int iterations() {
            return iterations;
        }

        /** The layer's pre-activation output variance on the batch after the last rescaling. */
        public double variance() {
            return variance;
        }

        /** True if |variance − 1| &lt; tolerance. */
        public boolean converged() {
            return converged;
        }
    }

    private final List<Entry> entries;
    private final double tolerance;

    LsuvResult(List<Entry> entries, double tolerance) {
        this.entries = Collections.unmodifiableList(entries);
        this.tolerance = tolerance;
    }

    public List<Entry> entries() {
        return entries;
    }

    /** True if every layer reached |Var − 1| &lt; tolerance. */
    public boolean allConverged() {
        return entries.stream().allMatch(Entry::converged);
    }

    @Override
    public String toString() {
        TextTable table = TextTable.of("layer", "type", "iterations", "variance", "converged").alignRight(2, 3);
        for (Entry e : entries) {
            table.row(e.layer, e.type, e.iterations, String.format(Locale.ROOT, "%.4f", e.variance),
                    e.converged ? "yes" : "NO");
        }
        return String.format(Locale.ROOT, "LSUV (tolerance %.3g)%n", tolerance) + table;
    }
}
