package io.github.dl4jinit.torch;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A file that is not a well-formed safetensors file: its header length, JSON header, data types,
 * shapes or data offsets do not describe the bytes that follow. The message names the file and the
 * problem; safetensors' own reader refuses the same files ({@code SafetensorError}).
 */
public class SafetensorsFormatException extends IOException {
    private static final long serialVersionUID = 1L;

    /** A format error in {@code file}, described by {@code problem}. */
    public SafetensorsFormatException(Path file, String problem) {
        super("not a valid safetensors file " + file + ": " + problem);
    }

    /** A format error in {@code file}, described by {@code problem}, found by {@code cause}. */
    public SafetensorsFormatException(Path file, String problem, Throwable cause) {
        super("not a valid safetensors file " + file + ": " + problem, cause);
    }
}
