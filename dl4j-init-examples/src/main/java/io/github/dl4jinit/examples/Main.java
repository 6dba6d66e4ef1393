package io.github.dl4jinit.examples;

import io.github.dl4jinit.examples.data.IdxFormatException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * Entry point of {@code dl4j-init-examples.jar}: {@code train-cnn}, {@code compare-inits}, {@code diagnose} and
 * {@code port-check}.
 * Data errors print one line naming the file and exit with code 2, before anything is written.
 */
@Command(name = "dl4j-init-examples", mixinStandardHelpOptions = true, version = "dl4j-init-examples 0.1.0",
        description = "PyTorch's weight initialization in Deeplearning4j: example trainers.",
        subcommands = {TrainCnn.class, CompareInits.class, Diagnose.class, PortCheck.class,
                CommandLine.HelpCommand.class})
public final class Main implements Runnable {
    /** Exit code for unusable data (missing folder or file, corrupt or truncated IDX). */
    public static final int EXIT_DATA = 2;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    /** The configured command line (used by {@link #main} and by tests). */
    public static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new Main());
        cl.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
            if (ex instanceof IdxFormatException || ex instanceof IllegalArgumentException) {
                commandLine.getErr().println("error: " + ex.getMessage());
                return ex instanceof IdxFormatException ? EXIT_DATA : commandLine.getCommandSpec().exitCodeOnInvalidInput();
            }
            throw ex;
        });
        return cl;
    }

    public static void main(String[] args) {
        System.setProperty("java.awt.headless", "true");
        // JavaCPP reads the process's resident size on every native allocation to enforce a limit of
        // twice the heap: ~3 µs of every ND4J array created, hundreds per training step. The
        // examples' memory is bounded by their data, so the check goes unless the user set it.
        if (System.getProperty("org.bytedeco.javacpp.maxPhysicalBytes") == null
                && System.getProperty("org.bytedeco.javacpp.maxphysicalbytes") == null) {
            System.setProperty("org.bytedeco.javacpp.maxPhysicalBytes", "0");
        }
        System.exit(commandLine().execute(args));
    }
}
