package io.github.dl4jinit.examples;

import io.github.dl4jinit.examples.data.IdxFormatException;
import picocli.CommandLine.Command;
import picocli.CommandLine;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.util.Properties;

/**
 * Entry point of {@code dl4j-init-examples.jar}: {@code train-cnn}, {@code compare-inits},
 * {@code compare-inits-report}, {@code diagnose} and {@code port-check}.
 * Usage errors (an unusable {@code --out} included) and data errors print one line and exit with code
 * 2, before any work; an I/O error while a command runs prints one line and exits with code 1.
 */
@Command(name = "dl4j-init-examples", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "PyTorch's weight initialization in Deeplearning4j: example trainers.",
        subcommands = {TrainCnn.class, CompareInits.class, CompareInitsReport.class, Diagnose.class, PortCheck.class,
                CommandLine.HelpCommand.class})
public final class Main implements Runnable {
    /** Exit code for unusable data (missing folder or file, corrupt or truncated IDX). */
    public static final int EXIT_DATA = 2;
    /** Exit code for a file that could not be written or read while the command ran. */
    public static final int EXIT_IO = 1;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** Without a subcommand there is nothing to do: a usage error (usage on stderr, exit code 2). */
    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(),
                "Missing required subcommand: one of " + String.join(", ", spec.subcommands().keySet()));
    }

    /** The artifact's version, as Maven wrote it into the jar's resources. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() throws IOException {
            Properties p = new Properties();
            try (InputStream in = Main.class.getResourceAsStream("version.properties")) {
                if (in != null) {
                    p.load(in);
                }
            }
            return new String[]{"dl4j-init-examples " + p.getProperty("version", "(version unknown)")};
        }
    }

    /** The configured command line (used by {@link #main} and by tests). */
    public static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new Main());
        cl.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
            if (ex instanceof IdxFormatException || ex instanceof IllegalArgumentException) {
                commandLine.getErr().println("error: " + oneLine(ex.getMessage()));
                return ex instanceof IdxFormatException ? EXIT_DATA : commandLine.getCommandSpec().exitCodeOnInvalidInput();
            }
            if (ex instanceof IOException || ex instanceof UncheckedIOException) {
                commandLine.getErr().println("error: " + oneLine(ex instanceof IOException ? describe((IOException) ex)
                        : ex.getMessage()));
                return EXIT_IO;
            }
            throw ex;
        });
        return cl;
    }

    /** What went wrong with which file; java.nio's exceptions often carry only the path as message. */
    static String describe(IOException e) {
        if (e instanceof FileSystemException) {
            FileSystemException f = (FileSystemException) e;
            String reason = f.getReason() != null ? f.getReason()
                    : f instanceof AccessDeniedException ? "permission denied"
                    : f instanceof NoSuchFileException ? "no such file or folder"
                    : f instanceof FileAlreadyExistsException ? "already exists"
                    : f.getClass().getSimpleName();
            return (f.getFile() != null ? f.getFile() + ": " : "") + reason;
        }
        return e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
    }

    private static String oneLine(String message) {
        return String.valueOf(message).replaceAll("\\s*\\R\\s*", " ");
    }

    /**
     * The one process-wide setting the commands change, before any native library loads: JavaCPP's
     * limit on the process's physical memory (by default twice the heap) goes, unless the user set
     * it. JavaCPP enforces it by reading the process's resident size at every native allocation, and
     * a training step allocates hundreds of small ND4J arrays; the examples' memory is bounded by
     * their data.
     */
    private static void withoutJavaCppMemoryCheck() {
        if (System.getProperty("org.bytedeco.javacpp.maxPhysicalBytes") == null
                && System.getProperty("org.bytedeco.javacpp.maxphysicalbytes") == null) {
            System.setProperty("org.bytedeco.javacpp.maxPhysicalBytes", "0");
        }
    }

    public static void main(String[] args) {
        System.setProperty("java.awt.headless", "true");
        withoutJavaCppMemoryCheck();
        System.exit(commandLine().execute(args));
    }
}
