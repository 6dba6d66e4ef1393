package io.github.dl4jinit.examples;

import io.github.dl4jinit.examples.CliEndToEndTest.Result;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;

import static io.github.dl4jinit.examples.CliEndToEndTest.run;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Usage errors are found before any work (no data read, nothing trained, nothing written): one line
 * naming the option on stderr, exit code 2. An I/O error while a command runs is one line too, never a
 * stack trace.
 */
class CliUsageErrorsTest {
    @TempDir
    Path tmp;

    private static void usageError(Result r, String... inMessage) {
        assertThat(r.exitCode()).as(r.err()).isEqualTo(2);
        assertThat(r.err().lines().toList()).as("stderr").hasSize(1);
        assertThat(r.err()).startsWith("error: ").contains(inMessage);
        assertThat(r.out()).as("nothing ran").isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"train-cnn", "compare-inits", "diagnose"})
    void anOutThatIsAFileIsRefusedBeforeAnyWork(String command) throws IOException {
        Path file = Files.writeString(tmp.resolve("results.txt"), "keep me");
        usageError(run(command, "--shipped-subset", "--threads", "1", "--out", file.toString()),
                "--out: " + file, "is a file, expected a folder");
        assertThat(Files.readString(file)).isEqualTo("keep me");
        Path below = file.resolve("plots");
        usageError(run(command, "--shipped-subset", "--threads", "1", "--out", below.toString()),
                "--out: " + below, "cannot be created", file + " is a file");
    }

    @Test
    void anOutFolderThatCannotBeWrittenIsRefusedBeforeAnyWork() throws IOException {
        Path locked = Files.createDirectory(tmp.resolve("locked"));
        Files.setPosixFilePermissions(locked, PosixFilePermissions.fromString("r-xr-xr-x"));
        try {
            // Whoever may write anyway (root) cannot see the refusal.
            assumeTrue(!Files.isWritable(locked), "the folder is writable to this user despite its permissions");
            usageError(run("train-cnn", "--shipped-subset", "--out", locked.toString()),
                    "--out: " + locked, "cannot be written");
            usageError(run("compare-inits", "--shipped-subset", "--out", locked.resolve("sub").toString()),
                    "cannot be created", "cannot be written");
        } finally {
            Files.setPosixFilePermissions(locked, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
    }

    /** A quick run (one iteration, one scheme) that would train if the bad option got through. */
    private static String[] args(String command, String option, String value, Path out) {
        List<String> a = new ArrayList<>(List.of(command, "--shipped-subset", "--threads", "1",
                "--out", out.toString(), option, value));
        if (!option.equals("--max-iterations")) {
            a.addAll(List.of("--max-iterations", "1"));
        }
        if (command.equals("compare-inits")) {
            a.addAll(List.of("--schemes", "zeros"));
        }
        return a.toArray(new String[0]);
    }

    @Test
    void numbersOutsideTheirRangeAreRefusedNamingTheOption() {
        Path out = tmp.resolve("out");
        String[][] trainCnn = {
                {"--lr", "NaN", "--lr: NaN, expected a finite number > 0"},
                {"--lr", "-1", "--lr: -1.0, expected a finite number > 0"},
                {"--lr", "0", "--lr: 0.0"},
                {"--lr", "Infinity", "--lr: Infinity"},
                {"--max-train", "-5", "--max-train: -5, expected 0 (all) or a positive number"},
                {"--max-test", "-1", "--max-test: -1"},
                {"--max-iterations", "-3", "--max-iterations: -3"},
                {"--eval-every", "-7", "--eval-every: -7, expected -1 (5 times per epoch), 0 (epoch ends only)"}};
        for (String[] c : trainCnn) {
            usageError(run(args("train-cnn", c[0], c[1], out)), c[2]);
        }
        String[][] compareInits = {
                {"--lr", "NaN", "--lr: NaN"},
                {"--lr", "-0.5", "--lr: -0.5"},
                {"--max-train", "-5", "--max-train: -5"},
                {"--max-iterations", "-1", "--max-iterations: -1"}};
        for (String[] c : compareInits) {
            usageError(run(args("compare-inits", c[0], c[1], out)), c[2]);
        }
        assertThat(out).doesNotExist();
    }

    @Test
    void withoutASubcommandUsageGoesToStderrWithExitCode2() {
        Result r = run();
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("Missing required subcommand").contains("train-cnn")
                .contains("Usage: dl4j-init-examples");
        assertThat(r.out()).isEmpty();
    }

    @Test
    void versionIsTheArtifactsVersion() {
        String expected = System.getProperty("expected.version");
        assertThat(expected).as("the build passes the project's version").isNotBlank();
        Result r = run("--version");
        assertThat(r.exitCode()).isZero();
        assertThat(r.out().trim()).isEqualTo("dl4j-init-examples " + expected);
    }

    @Test
    void anIoErrorWhileWritingResultsIsOneLineAndANonZeroExit() throws IOException {
        Path out = Files.createDirectory(tmp.resolve("out"));
        // The CSV's name is taken by a folder: writing it fails after training.
        Path blocker = Files.createDirectory(out.resolve("train-cnn-torch-default.csv"));
        Result r = run("train-cnn", "--shipped-subset", "--max-iterations", "2", "--eval-every", "0",
                "--max-test", "100", "--threads", "1", "--out", out.toString());
        assertThat(r.exitCode()).isEqualTo(Main.EXIT_IO);
        List<String> err = r.err().lines().toList();
        assertThat(err).hasSize(1);
        assertThat(err.get(0)).startsWith("error: ").contains(blocker.toString());
        assertThat(r.err()).doesNotContain("Exception").doesNotContain("\tat ");
    }
}
