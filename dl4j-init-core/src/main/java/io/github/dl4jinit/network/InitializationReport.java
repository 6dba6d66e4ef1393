package io.github.dl4jinit.network;

import io.github.dl4jinit.internal.TextTable;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/**
 * What {@link NetworkInitializer#initialize} did: which parameter got which scheme, and which layers
 * were skipped and why. {@link #toString()} prints it as a table.
 */
public final class InitializationReport {

    /** One re-initialized parameter. */
    public static final class Entry {
        private final String layer;
        private final String type;
        private final String key;
        private final ParamRole role;
        private final String torchName;
        private final long[] torchShape;
        private final long length;
        private final String scheme;

        Entry(NetworkLayer l, LayerParam p, String scheme) {
            this.layer = l.name();
            this.type = l.typeName();
            this.key = p.key();
            this.role = p.role();
            this.torchName = p.torchName();
            this.torchShape = p.torchShape();
            this.length = p.length();
            this.scheme = scheme;
        }

        public String layer() {
            return layer;
        }

        public String type() {
            return type;
        }

        /** DL4J's parameter key. */
        public String key() {
            return key;
        }

        public ParamRole role() {
            return role;
        }

        public String torchName() {
            return torchName;
        }

        public long[] torchShape() {
            return torchShape.clone();
        }

        public long length() {
            return length;
        }

        /** The scheme's {@code toString()}. */
        public String scheme() {
            return scheme;
        }
    }

    /** A layer left alone, with the reason. */
    public static final class Skipped {
        private final String layer;
        private final String type;
        private final String reason;

        Skipped(NetworkLayer l, String reason) {
            this.layer = l.name();
            this.type = l.typeName();
            this.reason = reason;
        }

        public String layer() {
            return layer;
        }

        public String type() {
            return type;
        }

        public String reason() {
            return reason;
        }
    }

    private final List<Entry> entries;
    private final List<Skipped> skipped;
    private final String sampler;
    private final boolean updaterReset;

    InitializationReport(List<Entry> entries, List<Skipped> skipped, String sampler, boolean updaterReset) {
        this.entries = Collections.unmodifiableList(new ArrayList<>(entries));
        this.skipped = Collections.unmodifiableList(new ArrayList<>(skipped));
        this.sampler = sampler;
        this.updaterReset = updaterReset;
    }

    /** Re-initialized parameters, in the order they were drawn. */
    public List<Entry> entries() {
        return entries;
    }

    /** Layers left alone and why (frozen, no PyTorch twin, no parameters). */
    public List<Skipped> skipped() {
        return skipped;
    }

    /** The scheme given to a layer's parameter, or null if it was not re-initialized. */
    public String schemeOf(String layer, String key) {
        for (Entry e : entries) {
            if (e.layer.equals(layer) && e.key.equals(key)) {
                return e.scheme;
            }
        }
        return null;
    }

    /** Number of values written. */
    public long parametersWritten() {
        long n = 0;
        for (Entry e : entries) {
            n += e.length;
        }
        return n;
    }

    @Override
    public String toString() {
        TextTable written = TextTable.of("layer", "type", "param", "role", "PyTorch", "shape", "scheme");
        for (Entry e : entries) {
            written.row(e.layer, e.type, e.key, e.role.name().toLowerCase(Locale.ROOT), e.torchName,
                    Arrays.toString(e.torchShape), e.scheme);
        }
        StringBuilder sb = new StringBuilder();
        sb.append("Initialized ").append(entries.size()).append(" parameters (").append(parametersWritten())
                .append(" values) from ").append(sampler).append(updaterReset ? ", updater state reset" : "")
                .append('\n').append(written);
        if (!skipped.isEmpty()) {
            TextTable left = TextTable.of("skipped layer", "type", "reason");
            for (Skipped k : skipped) {
                left.row(k.layer, k.type, k.reason);
            }
            sb.append(left);
        }
        return sb.toString();
    }
}
