package io.github.dl4jinit.examples.data;

/** A data file or folder that cannot be used; the message names the file and what is wrong with it. */
public final class IdxFormatException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** @param source the file or folder, as the user would recognize it; @param problem what is wrong */
    public IdxFormatException(String source, String problem) {
        super(source + ": " + problem);
    }

    /** As {@link #IdxFormatException(String, String)}, keeping the low-level cause. */
    public IdxFormatException(String source, String problem, Throwable cause) {
        super(source + ": " + problem, cause);
    }
}
