package io.github.dl4jinit.examples;

import java.nio.file.Files;
import java.nio.file.Path;

/** Command-line argument checks with messages that name the option. */
final class OptionChecks {
    private OptionChecks() {
    }

    static int positive(String option, int value) {
        if (value <= 0) {
            throw new IllegalArgumentException(option + ": " + value + ", expected a positive number");
        }
        return value;
    }

    /** A finite number above zero (a learning rate). */
    static double positive(String option, double value) {
        if (!(value > 0) || Double.isInfinite(value)) {
            throw new IllegalArgumentException(option + ": " + value + ", expected a finite number > 0");
        }
        return value;
    }

    /** A count where 0 has a meaning of its own ({@code zero}, e.g. "all"). */
    static int nonNegative(String option, int value, String zero) {
        if (value < 0) {
            throw new IllegalArgumentException(option + ": " + value + ", expected 0 (" + zero + ") or a positive number");
        }
        return value;
    }

    /**
     * A folder the command can write its output to, checked before any work: an existing folder that
     * can be written, or a path whose nearest existing parent is such a folder (it is created later).
     * Nothing is created here.
     */
    static Path outputFolder(String option, Path out) {
        Path abs = out.toAbsolutePath();
        if (Files.exists(abs)) {
            if (!Files.isDirectory(abs)) {
                throw new IllegalArgumentException(option + ": " + out + " is a file, expected a folder");
            }
            if (!Files.isWritable(abs)) {
                throw new IllegalArgumentException(option + ": " + out + " is a folder that cannot be written");
            }
            return out;
        }
        Path parent = abs.getParent();
        while (parent != null && !Files.exists(parent)) {
            parent = parent.getParent();
        }
        if (parent != null && !Files.isDirectory(parent)) {
            throw new IllegalArgumentException(option + ": " + out + " cannot be created: " + parent + " is a file");
        }
        if (parent == null || !Files.isWritable(parent)) {
            throw new IllegalArgumentException(option + ": " + out + " cannot be created: " + parent + " cannot be written");
        }
        return out;
    }
}
