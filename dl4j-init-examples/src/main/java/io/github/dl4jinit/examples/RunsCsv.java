package io.github.dl4jinit.examples;

import java.io.BufferedWriter;
import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The CSV of every {@code compare-inits --seeds} run, one row per epoch, written by the Java command
 * and, with the same columns, by the PyTorch twin ({@code python/compare_inits_torch.py --seeds N}):
 * {@value #HEADER}. Accuracy in percent of the validation images; loss the mean over the epoch's
 * mini-batches; seconds of training only.
 */
public final class RunsCsv {
    /** The header line, also the column order. */
    public static final String HEADER = "framework,scheme,seed,epoch,validation_accuracy,mean_train_loss,train_seconds";
    /** The {@code framework} value of DL4J's rows. */
    public static final String DL4J = "dl4j";
    /** The {@code framework} value of the PyTorch twin's rows. */
    public static final String PYTORCH = "pytorch";

    private RunsCsv() {
    }

    /** One epoch of one run. */
    public record Row(String framework, Scheme scheme, long seed, int epoch, double validationAccuracy,
                      double meanTrainLoss, double trainSeconds) {
        String csv() {
            return String.format(Locale.ROOT, "%s,%s,%d,%d,%.4f,%.6f,%.3f", framework, scheme.cliName(), seed, epoch,
                    validationAccuracy, meanTrainLoss, trainSeconds);
        }
    }

    /**
     * Writes a new runs CSV (replacing the file) run by run: each {@link #append} writes a finished
     * run's rows and flushes them, so a sweep that is interrupted keeps the runs it finished.
     */
    public static final class Writer implements Closeable {
        private final BufferedWriter out;

        /** Creates (or truncates) {@code csv} and writes the header. */
        public Writer(Path csv) throws IOException {
            out = Files.newBufferedWriter(csv);
            out.write(HEADER);
            out.newLine();
            out.flush();
        }

        /** Appends the rows of one finished run and flushes them to the file. */
        public void append(List<Row> run) throws IOException {
            for (Row r : run) {
                out.write(r.csv());
                out.newLine();
            }
            out.flush();
        }

        @Override
        public void close() throws IOException {
            out.close();
        }
    }

    /**
     * Reads a runs CSV (Java's or the PyTorch twin's).
     *
     * @throws IllegalArgumentException naming the file and line when the header, a field or a scheme
     *                                  is not what the format expects, or a run's epoch appears twice
     */
    public static List<Row> read(Path csv) throws IOException {
        if (!Files.isRegularFile(csv)) {
            throw new IllegalArgumentException(csv + ": runs CSV not found");
        }
        List<String> lines = Files.readAllLines(csv);
        if (lines.isEmpty() || !lines.get(0).strip().equals(HEADER)) {
            throw new IllegalArgumentException(csv + " line 1: '" + (lines.isEmpty() ? "" : lines.get(0))
                    + "', expected the header " + HEADER);
        }
        List<Row> rows = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (int i = 1; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty()) {
                continue;
            }
            String where = csv + " line " + (i + 1);
            Row r = parse(line, where);
            if (!seen.add(r.framework() + "," + r.scheme() + "," + r.seed() + "," + r.epoch())) {
                throw new IllegalArgumentException(where + ": " + r.framework() + " " + r.scheme().cliName() + " seed "
                        + r.seed() + " epoch " + r.epoch() + " appears twice, expected each run once");
            }
            rows.add(r);
        }
        return rows;
    }

    private static Row parse(String line, String where) {
        String[] f = line.split(",", -1);
        if (f.length != 7) {
            throw new IllegalArgumentException(where + ": " + f.length + " fields, expected 7 (" + HEADER + ")");
        }
        String framework = f[0].strip();
        if (!framework.equals(DL4J) && !framework.equals(PYTORCH)) {
            throw new IllegalArgumentException(where + ": framework '" + framework + "', expected " + DL4J + " or " + PYTORCH);
        }
        Scheme scheme;
        try {
            scheme = Scheme.parse(f[1]);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(where + ": " + e.getMessage(), e);
        }
        long seed = whole(f[2], "seed", where);
        long epoch = whole(f[3], "epoch", where);
        if (epoch < 1 || epoch > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(where + ": epoch " + epoch + ", expected a positive number");
        }
        double accuracy = number(f[4], "validation_accuracy", where);
        if (!(accuracy >= 0 && accuracy <= 100)) {
            throw new IllegalArgumentException(where + ": validation_accuracy " + f[4] + ", expected a percentage in [0, 100]");
        }
        return new Row(framework, scheme, seed, (int) epoch, accuracy, number(f[5], "mean_train_loss", where),
                number(f[6], "train_seconds", where));
    }

    private static long whole(String field, String column, String where) {
        try {
            return Long.parseLong(field.strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(where + ": " + column + " '" + field + "', expected a whole number", e);
        }
    }

    /** A number as Java or Python prints it ({@code NaN}/{@code nan}, {@code Infinity}/{@code inf}). */
    private static double number(String field, String column, String where) {
        String s = field.strip().toLowerCase(Locale.ROOT);
        switch (s) {
            case "nan" -> {
                return Double.NaN;
            }
            case "inf", "infinity", "+inf", "+infinity" -> {
                return Double.POSITIVE_INFINITY;
            }
            case "-inf", "-infinity" -> {
                return Double.NEGATIVE_INFINITY;
            }
            default -> {
                try {
                    return Double.parseDouble(s);
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException(where + ": " + column + " '" + field + "', expected a number", e);
                }
            }
        }
    }
}
