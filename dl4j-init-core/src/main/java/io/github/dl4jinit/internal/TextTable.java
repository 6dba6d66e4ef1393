package io.github.dl4jinit.internal;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The one table printer of the library's reports: a Markdown table, columns padded to their widest
 * cell, so that it reads as a table in a terminal and renders as one in a document.
 *
 * <p>This package is internal: its API may change without notice.
 */
public final class TextTable {
    private final String[] header;
    private final boolean[] right;
    private final List<String[]> rows = new ArrayList<>();

    private TextTable(String[] header) {
        this.header = header.clone();
        this.right = new boolean[header.length];
    }

    /** A table with these column headings. */
    public static TextTable of(String... header) {
        return new TextTable(header);
    }

    /** Aligns these columns (0-based) to the right, as numbers read best. */
    public TextTable alignRight(int... columns) {
        for (int c : columns) {
            right[c] = true;
        }
        return this;
    }

    /** Adds a row; {@code null} cells print as {@code -}. */
    public TextTable row(Object... cells) {
        if (cells.length != header.length) {
            throw Args.invalid("cells", Arrays.toString(cells), header.length + " cells, one per column");
        }
        String[] r = new String[cells.length];
        for (int i = 0; i < cells.length; i++) {
            r[i] = cells[i] == null ? "-" : String.valueOf(cells[i]);
        }
        rows.add(r);
        return this;
    }

    @Override
    public String toString() {
        int[] w = new int[header.length];
        for (int i = 0; i < w.length; i++) {
            w[i] = Math.max(3, header[i].length());
            for (String[] r : rows) {
                w[i] = Math.max(w[i], r[i].length());
            }
        }
        StringBuilder sb = new StringBuilder();
        line(sb, header, w);
        for (int i = 0; i < w.length; i++) {
            sb.append(i == 0 ? "|" : "").append(right[i] ? "-".repeat(w[i] + 1) + ":|" : "-".repeat(w[i] + 2) + "|");
        }
        sb.append('\n');
        for (String[] r : rows) {
            line(sb, r, w);
        }
        return sb.toString();
    }

    private void line(StringBuilder sb, String[] cells, int[] w) {
        for (int i = 0; i < cells.length; i++) {
            String pad = " ".repeat(w[i] - cells[i].length());
            sb.append(i == 0 ? "| " : " ").append(right[i] ? pad + cells[i] : cells[i] + pad).append(" |");
        }
        sb.append('\n');
    }
}
